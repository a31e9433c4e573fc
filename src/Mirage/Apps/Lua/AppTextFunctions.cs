using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Mirage.Apps.Lua.LuaNative;

namespace Mirage.Apps.Lua;

/// <summary>
/// The native functions behind str.*: they check their arguments themselves and answer nil on anything wrong
/// (the Lua wrappers in prelude.lua raise the error), because raising from here would unwind this managed frame.
/// </summary>
internal static class AppTextFunctions
{
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int TimeAgo(nint state) => Guarded(state, static s =>
    {
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset? time = lua_type(s, 1) switch
        {
            TypeNumber => DateTimeOffset.FromUnixTimeMilliseconds((long)(Number(s, 1) * 1000)),
            TypeString => Mirage.Apps.AppText.ParseTime(ToText(s, 1)!),
            _ => null,
        };
        return time is null ? null : Mirage.Apps.AppText.TimeAgo(time.Value, now);
    });

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Markdown(nint state) => Guarded(state, static s =>
        lua_type(s, 1) == TypeString ? Mirage.Apps.AppText.Markdown(ToText(s, 1)!) : null);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int ScopedCss(nint state) => Guarded(state, static s =>
        lua_type(s, 1) == TypeString && lua_type(s, 2) == TypeString ? Mirage.Apps.AppText.ScopedCss(ToText(s, 1)!, ToText(s, 2)!) : null);

    /// <summary>ASCII whitespace off both ends, in one pass over the bytes (the pattern <c>%s+$</c> is quadratic on
    /// a long run of spaces, so str.trim must not use it on visitors' text).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static unsafe int Trim(nint state)
    {
        var was = LuaSandbox.SuspendLimit();
        try
        {
            _ = lua_checkstack(state, 1);
            if (lua_type(state, 1) != TypeString)
            {
                lua_pushnil(state);
                return 1;
            }
            nuint length;
            var text = lua_tolstring(state, 1, &length);
            var start = 0L;
            var end = (long)length;
            while (start < end && IsSpace(text[start]))
            {
                start++;
            }
            while (end > start && IsSpace(text[end - 1]))
            {
                end--;
            }
            lua_pushlstring(state, text + start, (nuint)(end - start));
            return 1;
        }
        finally
        {
            LuaSandbox.RestoreLimit(was);
        }

        static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v';
    }

    private static unsafe double Number(nint state, int index) => lua_tonumberx(state, index, null);

    private static int Guarded(nint state, Func<nint, string?> body)
    {
        var was = LuaSandbox.SuspendLimit();
        try
        {
            string? result;
            try
            {
                result = body(state);
            }
            catch (Exception)
            {
                result = null;
            }
            _ = lua_checkstack(state, 1);
            if (result is null)
            {
                lua_pushnil(state);
            }
            else
            {
                PushString(state, result);
            }
            return 1;
        }
        finally
        {
            LuaSandbox.RestoreLimit(was);
        }
    }
}
