using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Mirage.Apps.Lua.LuaNative;

namespace Mirage.Apps.Lua;

/// <summary>Why a script was stopped; a stopped state is thrown away.</summary>
internal enum LuaKill { None, Time, Memory, ApiCalls }

/// <summary>A script failed: its message (with file:line), the traceback for the log, and the status an
/// uncaught <c>api.*</c> refusal carries (500 for anything else).</summary>
internal sealed class LuaScriptException(string message, string traceback, int status, LuaKill kill) : Exception(message)
{
    public string Traceback { get; } = traceback;
    public int Status { get; } = status;
    public LuaKill Kill { get; } = kill;
}

/// <summary>
/// One Lua 5.4 state with Mirage's sandbox (prelude.lua) loaded. Code runs only in coroutines; a script's
/// <c>api.*</c> and <c>ctx:*</c> calls yield to the host, which awaits the service and resumes with the answer, so
/// no Lua error is ever raised through a managed frame. Limits: memory through the allocator (refused only while
/// Lua code runs), time through a count hook that, once the time is up, installs <c>lua_error</c> itself as the hook.
/// One request at a time.
/// </summary>
internal sealed class LuaSandbox : IDisposable
{
    private struct AllocStats
    {
        public long Used;
        public long Limit;
        public int Enforce;
        public int Exceeded;
    }

    private const int HookInstructions = 1000;

    [ThreadStatic] private static LuaSandbox? running;

    private readonly unsafe AllocStats* stats;
    private long deadline;
    private bool disposed;

    public nint L { get; }
    public LuaKill Killed { get; private set; }
    public unsafe long MemoryUsed => stats->Used;

    private unsafe LuaSandbox(long memoryLimit)
    {
        stats = (AllocStats*)NativeMemory.AllocZeroed((nuint)sizeof(AllocStats));
        stats->Limit = memoryLimit;
        L = lua_newstate((delegate* unmanaged[Cdecl]<nint, nint, nuint, nuint, nint>)&Allocate, (nint)stats);
        if (L == 0)
        {
            NativeMemory.Free(stats);
            throw new InvalidOperationException("could not create a Lua state");
        }
        foreach (var (name, open) in Libraries)
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(name + "\0");
            fixed (byte* p = bytes)
            {
                luaL_requiref(L, p, Export(open), 1);
            }
            Pop(L, 1);
        }
        lua_sethook(L, (nint)(delegate* unmanaged[Cdecl]<nint, nint, void>)&Hook, MaskCount, HookInstructions);
    }

    private static readonly (string Name, string Open)[] Libraries =
    [
        ("_G", "luaopen_base"), ("coroutine", "luaopen_coroutine"), ("table", "luaopen_table"), ("string", "luaopen_string"),
        ("math", "luaopen_math"), ("utf8", "luaopen_utf8"), ("os", "luaopen_os"),
    ];

    private static readonly byte[] Prelude = ReadPrelude();

    private static byte[] ReadPrelude()
    {
        using var stream = typeof(LuaSandbox).Assembly.GetManifestResourceStream("apps/prelude.lua")
            ?? throw new InvalidOperationException("prelude.lua is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A new state with the prelude run: registry keys <c>mirage.entry</c>, <c>.host</c>, <c>.response</c>, <c>.error</c>.</summary>
    public static LuaSandbox Create(long memoryLimit)
    {
        var sandbox = new LuaSandbox(memoryLimit);
        try
        {
            sandbox.RunPrelude();
            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    private unsafe void RunPrelude()
    {
        var thread = lua_newthread(L);
        fixed (byte* source = Prelude)
        fixed (byte* name = "=prelude\0"u8)
        fixed (byte* mode = "t\0"u8)
        {
            if (luaL_loadbufferx(thread, source, (nuint)Prelude.Length, name, mode) != Ok)
            {
                throw new InvalidOperationException("prelude: " + ToText(thread, -1));
            }
        }
        foreach (var key in new[] { RegistryHost, RegistryResponse, RegistryError })
        {
            lua_createtable(thread, 0, 0);
            lua_pushvalue(thread, -1);
            SetField(thread, RegistryIndex, key);
        }
        // API errors print as their message.
        GetField(thread, RegistryIndex, RegistryError);
        lua_pushcclosure(thread, (delegate* unmanaged[Cdecl]<nint, int>)&ErrorToString, 0);
        SetField(thread, -2, "__tostring");
        Pop(thread, 1);
        lua_createtable(thread, 0, 3);
        lua_pushcclosure(thread, (delegate* unmanaged[Cdecl]<nint, int>)&AppTextFunctions.TimeAgo, 0);
        SetField(thread, -2, "time_ago");
        lua_pushcclosure(thread, (delegate* unmanaged[Cdecl]<nint, int>)&AppTextFunctions.Markdown, 0);
        SetField(thread, -2, "markdown");
        lua_pushcclosure(thread, (delegate* unmanaged[Cdecl]<nint, int>)&AppTextFunctions.ScopedCss, 0);
        SetField(thread, -2, "scoped_css");
        lua_pushcclosure(thread, (delegate* unmanaged[Cdecl]<nint, int>)&AppTextFunctions.Trim, 0);
        SetField(thread, -2, "trim");
        lua_pushcclosure(thread, (delegate* unmanaged[Cdecl]<nint, int>)&LuaPatterns.Find, 0);
        SetField(thread, -2, "pfind");
        var status = ResumeLimited(thread, 4, out var results, TimeSpan.FromSeconds(5));
        if (status != Ok || results != 1)
        {
            throw new InvalidOperationException("prelude: " + ToText(thread, -1));
        }
        SetField(thread, RegistryIndex, RegistryEntry);
        lua_settop(L, 0);
    }

    public const string RegistryEntry = "mirage.entry", RegistryHost = "mirage.host", RegistryResponse = "mirage.response", RegistryError = "mirage.error";

    /// <summary>
    /// Calls the prelude's entry point <paramref name="function"/> in a fresh coroutine with the arguments that
    /// <paramref name="pushArguments"/> pushes, serving host calls through <paramref name="host"/> until it returns;
    /// <paramref name="readResults"/> reads its results off the coroutine's stack. Throws <see cref="LuaScriptException"/>.
    /// </summary>
    public async ValueTask<T> RunAsync<T>(string function, Func<nint, int> pushArguments, Func<nint, int, T> readResults,
        IHostCalls host, TimeSpan timeLimit, int maxApiCalls)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var thread = lua_newthread(L);
        try
        {
            GetField(thread, RegistryIndex, RegistryEntry);
            GetField(thread, -1, function);
            lua_rotate(thread, -2, -1);
            Pop(thread, 1);
            var arguments = pushArguments(thread);
            var remaining = timeLimit;
            var calls = 0;
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                var status = ResumeLimited(thread, arguments, out var results, remaining);
                remaining -= Stopwatch.GetElapsedTime(started);
                if (Killed != LuaKill.None)
                {
                    // A limit hit inside a script's own coroutine or pcall was caught there: the request still fails.
                    throw Failure(thread, status);
                }
                if (status == Ok)
                {
                    return readResults(thread, results);
                }
                if (status != Yield)
                {
                    throw Failure(thread, status);
                }
                if (results < 2 || !IsHostYield(thread, -results))
                {
                    throw new LuaScriptException("coroutine.yield outside a coroutine", "", 500, LuaKill.None);
                }
                var op = ToText(thread, -results + 1) ?? "";
                if (op.StartsWith("api.", StringComparison.Ordinal) && ++calls > maxApiCalls)
                {
                    Killed = LuaKill.ApiCalls;
                    throw new LuaScriptException($"more than {maxApiCalls} api calls in one request", Where(thread), 500, LuaKill.ApiCalls);
                }
                var below = lua_gettop(thread) - results;
                var reply = await host.CallAsync(this, thread, op, below + 3, results - 2);
                lua_settop(thread, below);
                _ = lua_checkstack(thread, 4);
                if (reply.Error is { } error)
                {
                    lua_pushboolean(thread, 0);
                    PushError(thread, reply.Status, error);
                }
                else
                {
                    lua_pushboolean(thread, 1);
                    reply.Push(thread);
                }
                arguments = 2;
            }
        }
        finally
        {
            lua_settop(L, 0);
        }
    }

    /// <summary>A full collection when garbage has built up, so a request never meets the cap with another's garbage.</summary>
    public unsafe void CollectIfLarge()
    {
        if (stats->Used > stats->Limit / 4)
        {
            _ = lua_gc(L, GcCollect);
        }
    }

    private bool IsHostYield(nint thread, int index)
    {
        GetField(thread, RegistryIndex, RegistryHost);
        var same = lua_rawequal(thread, index - 1, -1) != 0;
        Pop(thread, 1);
        return same;
    }

    private unsafe int ResumeLimited(nint thread, int arguments, out int results, TimeSpan limit)
    {
        var previous = running;
        running = this;
        deadline = Stopwatch.GetTimestamp() + Math.Max(0, (long)(limit.TotalSeconds * Stopwatch.Frequency));
        stats->Enforce = 1;
        try
        {
            int count;
            var status = lua_resume(thread, L, arguments, &count);
            results = count;
            if (stats->Exceeded != 0 && Killed == LuaKill.None)
            {
                Killed = LuaKill.Memory;
            }
            return status;
        }
        finally
        {
            stats->Enforce = 0;
            running = previous;
        }
    }

    private LuaScriptException Failure(nint thread, int status)
    {
        var error = lua_gettop(thread);
        var statusCode = 500;
        string message;
        if (Killed != LuaKill.None)
        {
            message = Killed switch
            {
                LuaKill.Time => "time limit exceeded",
                LuaKill.Memory => "memory limit exceeded",
                _ => "limit exceeded",
            };
        }
        else if (status == ErrorMemory)
        {
            Killed = LuaKill.Memory;
            message = "memory limit exceeded";
        }
        else if (IsApiError(thread, error))
        {
            GetField(thread, error, "status");
            statusCode = (int)ToInteger(thread, -1);
            GetField(thread, error, "message");
            message = ToText(thread, -1) ?? "error";
            lua_settop(thread, error);
        }
        else
        {
            message = ToText(thread, error) ?? $"error object is a {TypeName(lua_type(thread, error))} value";
        }
        return new LuaScriptException(message, Traceback(thread, message), statusCode, Killed);
    }

    private bool IsApiError(nint thread, int index)
    {
        if (lua_type(thread, index) != TypeTable || lua_getmetatable(thread, index) == 0)
        {
            return false;
        }
        GetField(thread, RegistryIndex, RegistryError);
        var same = lua_rawequal(thread, -1, -2) != 0;
        Pop(thread, 2);
        return same;
    }

    private unsafe string Traceback(nint thread, string message)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(message + "\0");
        fixed (byte* p = bytes)
        {
            luaL_traceback(L, thread, p, 0);
        }
        var text = ToText(L, -1) ?? message;
        Pop(L, 1);
        return text;
    }

    private string Where(nint thread) => Traceback(thread, "");

    public void PushError(nint thread, int status, string message)
    {
        lua_createtable(thread, 0, 2);
        lua_pushinteger(thread, status);
        SetField(thread, -2, "status");
        PushString(thread, message);
        SetField(thread, -2, "message");
        GetField(thread, RegistryIndex, RegistryError);
        _ = lua_setmetatable(thread, -2);
    }

    public static void PushResponseMarker(nint thread) => GetField(thread, RegistryIndex, RegistryResponse);

    public static bool IsResponseMarker(nint thread, int index)
    {
        GetField(thread, RegistryIndex, RegistryResponse);
        var same = lua_rawequal(thread, index < 0 ? index - 1 : index, -1) != 0;
        Pop(thread, 1);
        return same;
    }

    public static string TypeName(int type) => type switch
    {
        TypeNil => "nil", TypeBoolean => "boolean", TypeNumber => "number", TypeString => "string", TypeTable => "table",
        TypeFunction => "function", TypeThread => "thread", _ => "userdata",
    };

    public unsafe void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        lua_close(L);
        NativeMemory.Free(stats);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe nint Allocate(nint userData, nint block, nuint oldSize, nuint newSize)
    {
        var s = (AllocStats*)userData;
        if (newSize == 0)
        {
            if (block != 0)
            {
                NativeMemory.Free((void*)block);
                s->Used -= (long)oldSize;
            }
            return 0;
        }
        var growth = (long)newSize - (block == 0 ? 0 : (long)oldSize);
        if (growth > 0 && s->Enforce != 0 && s->Used + growth > s->Limit)
        {
            // Past the cap the request is over (lauxlib's buffers take a single refusal as final, so a second try
            // after a collection cannot be waited for); states are collected between requests to stay clear of it.
            s->Exceeded = 1;
            return 0;
        }
        var result = (nint)NativeMemory.Realloc((void*)block, newSize);
        if (result != 0)
        {
            s->Used += growth;
        }
        return result;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void Hook(nint state, nint debug)
    {
        var sandbox = running;
        if (sandbox is null)
        {
            return;
        }
        if (sandbox.stats->Exceeded != 0 && sandbox.Killed == LuaKill.None)
        {
            sandbox.Killed = LuaKill.Memory;
        }
        else if (sandbox.Killed == LuaKill.None && Stopwatch.GetTimestamp() > sandbox.deadline)
        {
            sandbox.Killed = LuaKill.Time;
        }
        if (sandbox.Killed != LuaKill.None)
        {
            // From now on every instruction of this coroutine raises, from native code: pcall cannot outlast it.
            lua_sethook(state, ErrorAsHook, MaskCount, 1);
        }
    }

    /// <summary>Whether the running request is out of Lua time (for native code that loops, such as patterns).</summary>
    public static bool TimeIsUp() => running is { } sandbox && Stopwatch.GetTimestamp() > sandbox.deadline;

    /// <summary>Native code found the time up: the request is over (the hook then stops every instruction).</summary>
    public static void KillForTime()
    {
        if (running is { Killed: LuaKill.None } sandbox)
        {
            sandbox.Killed = LuaKill.Time;
        }
    }

    /// <summary>Native functions may allocate past the limit (a refusal would raise through their managed frame).</summary>
    public static unsafe int SuspendLimit()
    {
        var sandbox = running;
        if (sandbox is null)
        {
            return 0;
        }
        var was = sandbox.stats->Enforce;
        sandbox.stats->Enforce = 0;
        return was;
    }

    public static unsafe void RestoreLimit(int was)
    {
        if (running is { } sandbox)
        {
            sandbox.stats->Enforce = was;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ErrorToString(nint state)
    {
        var was = SuspendLimit();
        try
        {
            if (lua_type(state, 1) == TypeTable && GetField(state, 1, "message") == TypeString)
            {
                return 1;
            }
            PushString(state, "error");
            return 1;
        }
        finally
        {
            RestoreLimit(was);
        }
    }
}

/// <summary>What the host answers a yielded call with: a value to push, or an error (status, message).</summary>
internal readonly record struct HostReply(Action<nint> Push, int Status, string? Error)
{
    public static readonly HostReply Nil = new(t => lua_pushnil(t), 0, null);

    public static HostReply Value(Action<nint> push) => new(push, 0, null);

    public static HostReply Refused(int status, string message) => new(_ => { }, status, message);
}

/// <summary>The host for code that runs outside a request (loading an app, reading its routes): every call is refused.</summary>
internal sealed class NoHostCalls : IHostCalls
{
    public static readonly NoHostCalls Instance = new();

    public ValueTask<HostReply> CallAsync(LuaSandbox sandbox, nint thread, string op, int first, int count) =>
        new(HostReply.Refused(500, $"{op} is not available while an app loads"));
}

internal interface IHostCalls
{
    /// <summary>Serves <paramref name="op"/> with the <paramref name="count"/> arguments from stack index
    /// <paramref name="first"/> of <paramref name="thread"/>; read them before the first await.</summary>
    ValueTask<HostReply> CallAsync(LuaSandbox sandbox, nint thread, string op, int first, int count);
}
