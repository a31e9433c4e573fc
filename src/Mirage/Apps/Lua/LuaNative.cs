using System.Runtime.InteropServices;

namespace Mirage.Apps.Lua;

/// <summary>
/// The few Lua 5.4 C functions Mirage calls, bound straight to KeraLua's native <c>lua54</c> library: function
/// pointers for the allocator and hook (no delegates to keep alive, no marshalling), and nothing that raises a Lua
/// error from managed code.
/// </summary>
internal static unsafe partial class LuaNative
{
    private const string Library = "lua54";

    public const int RegistryIndex = -1_001_000;
    public const int MultipleResults = -1;
    public const int MaskCount = 1 << 3;

    public const int Ok = 0, Yield = 1, ErrorRun = 2, ErrorSyntax = 3, ErrorMemory = 4, ErrorError = 5;
    public const int TypeNone = -1, TypeNil = 0, TypeBoolean = 1, TypeLightUserdata = 2, TypeNumber = 3, TypeString = 4,
        TypeTable = 5, TypeFunction = 6, TypeUserdata = 7, TypeThread = 8;

    [LibraryImport(Library)] public static partial nint lua_newstate(delegate* unmanaged[Cdecl]<nint, nint, nuint, nuint, nint> allocator, nint userData);
    [LibraryImport(Library)] public static partial void lua_close(nint state);
    [LibraryImport(Library)] public static partial nint lua_newthread(nint state);
    [LibraryImport(Library)] public static partial int lua_gettop(nint state);
    [LibraryImport(Library)] public static partial void lua_settop(nint state, int index);
    [LibraryImport(Library)] public static partial void lua_pushvalue(nint state, int index);
    [LibraryImport(Library)] public static partial void lua_rotate(nint state, int index, int n);
    [LibraryImport(Library)] public static partial int lua_checkstack(nint state, int n);
    [LibraryImport(Library)] public static partial int lua_absindex(nint state, int index);
    [LibraryImport(Library)] public static partial int lua_type(nint state, int index);
    [LibraryImport(Library)] public static partial int lua_isinteger(nint state, int index);
    [LibraryImport(Library)] public static partial double lua_tonumberx(nint state, int index, int* isNumber);
    [LibraryImport(Library)] public static partial long lua_tointegerx(nint state, int index, int* isNumber);
    [LibraryImport(Library)] public static partial int lua_toboolean(nint state, int index);
    [LibraryImport(Library)] public static partial byte* lua_tolstring(nint state, int index, nuint* length);
    [LibraryImport(Library)] public static partial nuint lua_rawlen(nint state, int index);
    [LibraryImport(Library)] public static partial int lua_rawequal(nint state, int index1, int index2);
    [LibraryImport(Library)] public static partial void lua_pushnil(nint state);
    [LibraryImport(Library)] public static partial void lua_pushnumber(nint state, double value);
    [LibraryImport(Library)] public static partial void lua_pushinteger(nint state, long value);
    [LibraryImport(Library)] public static partial byte* lua_pushlstring(nint state, byte* text, nuint length);
    [LibraryImport(Library)] public static partial void lua_pushboolean(nint state, int value);
    [LibraryImport(Library)] public static partial void lua_pushcclosure(nint state, delegate* unmanaged[Cdecl]<nint, int> function, int upvalues);
    [LibraryImport(Library)] public static partial void lua_createtable(nint state, int arrayCount, int hashCount);
    [LibraryImport(Library)] public static partial int lua_rawget(nint state, int index);
    [LibraryImport(Library)] public static partial void lua_rawset(nint state, int index);
    [LibraryImport(Library)] public static partial void lua_rawseti(nint state, int index, long n);
    [LibraryImport(Library)] public static partial int lua_setmetatable(nint state, int index);
    [LibraryImport(Library)] public static partial int lua_getmetatable(nint state, int index);
    [LibraryImport(Library)] public static partial int lua_next(nint state, int index);
    [LibraryImport(Library)] public static partial int lua_resume(nint thread, nint from, int arguments, int* results);
    [LibraryImport(Library)] public static partial void lua_sethook(nint state, nint hook, int mask, int count);
    /// <summary>Variadic in C; the options used here (collect) take no further arguments.</summary>
    [LibraryImport(Library)] public static partial int lua_gc(nint state, int what);
    public const int GcCollect = 2;
    [LibraryImport(Library)] public static partial int luaL_loadbufferx(nint state, byte* buffer, nuint size, byte* name, byte* mode);
    [LibraryImport(Library)] public static partial void luaL_traceback(nint state, nint thread, byte* message, int level);
    [LibraryImport(Library)] public static partial void luaL_requiref(nint state, byte* name, nint open, int global);

    /// <summary><c>lua_error</c> itself, installed as a count hook to stop a script that ran out of time: it raises
    /// from native code, so no managed frame is ever unwound by Lua's longjmp.</summary>
    public static readonly nint ErrorAsHook = Export("lua_error");

    public static nint Export(string name) =>
        NativeLibrary.GetExport(NativeLibrary.Load(Library, typeof(LuaNative).Assembly, null), name);

    public static long ToInteger(nint state, int index) => lua_tointegerx(state, index, null);

    public static void Pop(nint state, int n) => lua_settop(state, -n - 1);

    public static void PushString(nint state, string text)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= 512)
        {
            byte* stack = stackalloc byte[max];
            var length = System.Text.Encoding.UTF8.GetBytes(text, new Span<byte>(stack, max));
            lua_pushlstring(state, stack, (nuint)length);
            return;
        }
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
        {
            lua_pushlstring(state, p, (nuint)bytes.Length);
        }
    }

    public static void PushUtf8(nint state, ReadOnlySpan<byte> utf8)
    {
        fixed (byte* p = utf8)
        {
            lua_pushlstring(state, p, (nuint)utf8.Length);
        }
    }

    /// <summary>The string at <paramref name="index"/>, or null when the value is not a string or number. Numbers are
    /// not converted in place (that would confuse <c>lua_next</c>).</summary>
    public static string? ToText(nint state, int index)
    {
        var type = lua_type(state, index);
        if (type == TypeNumber)
        {
            return lua_isinteger(state, index) != 0
                ? lua_tointegerx(state, index, null).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : lua_tonumberx(state, index, null).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        if (type != TypeString)
        {
            return null;
        }
        nuint length;
        var p = lua_tolstring(state, index, &length);
        return System.Text.Encoding.UTF8.GetString(p, (int)length);
    }

    public static void SetField(nint state, int table, string key)
    {
        table = lua_absindex(state, table);
        PushString(state, key);
        lua_rotate(state, -2, 1);
        lua_rawset(state, table);
    }

    public static int GetField(nint state, int table, string key)
    {
        table = lua_absindex(state, table);
        PushString(state, key);
        return lua_rawget(state, table);
    }
}
