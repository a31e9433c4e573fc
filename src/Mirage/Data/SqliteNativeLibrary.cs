using System.Runtime.InteropServices;

namespace Mirage.Data;

/// <summary>
/// Picks the native SQLite. The bundled e_sqlite3 (SQLitePCLRaw 2.0.6, the newest that restores here) was built
/// without <c>usleep</c>, so every wait inside SQLite (its busy handler, a WAL read retry) sleeps a whole second:
/// under steady load that stalled a few requests a minute for about a second (soak p99 0.4-0.8 s). The system's
/// libsqlite3 sleeps in microseconds, so on Linux it is used when present and new enough (RETURNING needs 3.35,
/// json_each is built in from 3.38, thread-safe build); otherwise, or with <c>MIRAGE_SQLITE=bundled</c>, the
/// bundled library is, and nothing needs installing.
/// </summary>
public static class SqliteNativeLibrary
{
    private static readonly Lock Gate = new();
    private static bool initialized;

    private const string SystemLibrary = "libsqlite3.so.0";
    private const int MinimumVersion = 3_038_000;

    /// <summary>Which library was loaded, for the startup log.</summary>
    public static string Source { get; private set; } = "bundled e_sqlite3";

    public static string Version { get; private set; } = "";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int IntFunction();

    /// <summary>Loads the library once per process; later calls do nothing.</summary>
    public static void Init()
    {
        lock (Gate)
        {
            if (!initialized)
            {
                Load();
                Version = SQLitePCL.raw.sqlite3_libversion().utf8_to_string();
                initialized = true;
            }
        }
    }

    private static void Load()
    {
        if (OperatingSystem.IsLinux()
            && !string.Equals(Environment.GetEnvironmentVariable("MIRAGE_SQLITE"), "bundled", StringComparison.OrdinalIgnoreCase)
            && TryLoadSystem(out var handle))
        {
            NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly,
                (name, _, _) => name == "e_sqlite3" ? handle : IntPtr.Zero);
            Source = $"system {SystemLibrary}";
            SqliteNative.Bind(handle);
            ConfigureBeforeFirstUse(handle);
        }
        SQLitePCL.Batteries_V2.Init();
        if (!SqliteNative.IsAvailable && NativeLibrary.TryLoad("e_sqlite3", typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, null, out var bundled))
        {
            SqliteNative.Bind(bundled);
            ConfigureBeforeFirstUse(bundled);
        }
    }

    private const int ConfigMultiThread = 2;
    private const int ConfigMemStatus = 9;

    /// <summary>
    /// Multi-thread mode: no mutex per connection. In the default (serialized) mode every SQLite call, each column
    /// read included, locks the connection's mutex; Mirage never uses a connection, nor a statement of one, on two
    /// threads at once (one writer thread, readers lent to one request at a time, commands disposed rather than
    /// finalized), so that lock guards nothing. Allocation statistics are off too: they take a global mutex on every
    /// malloc. Both must be set before SQLite initialises, which the provider's Init does: set after it, they were
    /// refused. Should something have initialised SQLite first, it keeps its defaults, which are merely slower; the
    /// startup log says "multi-thread mode" when the setting took.
    /// </summary>
    private static unsafe void ConfigureBeforeFirstUse(IntPtr library)
    {
        if (!NativeLibrary.TryGetExport(library, "sqlite3_config", out var config))
        {
            return;
        }
        // sqlite3_config is variadic; on x64 and arm64 Linux integer arguments are passed as in a fixed signature.
        if (((delegate* unmanaged[Cdecl]<int, int>)config)(ConfigMultiThread) == 0)
        {
            Source += ", multi-thread mode";
        }
        ((delegate* unmanaged[Cdecl]<int, int, int>)config)(ConfigMemStatus, 0);
    }

    private static bool TryLoadSystem(out IntPtr handle)
    {
        if (!NativeLibrary.TryLoad(SystemLibrary, out handle))
        {
            return false;
        }
        if (Call(handle, "sqlite3_libversion_number") >= MinimumVersion && Call(handle, "sqlite3_threadsafe") != 0)
        {
            return true;
        }
        NativeLibrary.Free(handle);
        handle = IntPtr.Zero;
        return false;
    }

    private static int Call(IntPtr library, string function) =>
        NativeLibrary.TryGetExport(library, function, out var address)
            ? Marshal.GetDelegateForFunctionPointer<IntFunction>(address)()
            : 0;
}
