using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Mirage.Data;

/// <summary>
/// Direct entry points into the SQLite library that Microsoft.Data.Sqlite loaded, for <see cref="SqliteStatement"/>.
/// SQLitePCLRaw 2.0 marshals a SafeHandle on every call, two or three calls per column value read: its
/// AddRef/Release pair alone measured 12 % of the server's CPU while serving pages of posts. Here a call is a plain
/// call through a function pointer, and the calls that only read the current row skip the GC transition too.
/// </summary>
internal static unsafe class SqliteNative
{
    public const int Ok = 0;
    public const int Row = 100;
    public const int Done = 101;

    public const int Integer = 1;
    public const int Float = 2;
    public const int Text = 3;
    public const int Blob = 4;
    public const int Null = 5;

    /// <summary>SQLITE_PREPARE_PERSISTENT: the statement is kept for reuse, so SQLite allocates it accordingly.</summary>
    private const uint PreparePersistent = 1;

    /// <summary>SQLITE_TRANSIENT: SQLite copies a bound text or blob before the call returns.</summary>
    private static readonly IntPtr Transient = -1;

    /// <summary>False when the library's exports could not be found; the caller then reads through the provider.</summary>
    public static bool IsAvailable { get; private set; }

    // Step, prepare, reset and finalize may do I/O or wait on a lock: they keep the GC transition.
    private static delegate* unmanaged[Cdecl]<IntPtr, byte*, int, uint, IntPtr*, byte**, int> prepareV3;
    private static delegate* unmanaged[Cdecl]<IntPtr, int> step;
    private static delegate* unmanaged[Cdecl]<IntPtr, int> reset;
    private static delegate* unmanaged[Cdecl]<IntPtr, int> finalize;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int> clearBindings;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int> bindParameterCount;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, byte*> bindParameterName;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, long, int> bindInt64;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, double, int> bindDouble;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, int> bindNull;
    private static delegate* unmanaged[Cdecl]<IntPtr, int, byte*, int, IntPtr, int> bindText;
    private static delegate* unmanaged[Cdecl]<IntPtr, int, byte*, int, IntPtr, int> bindBlob;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int> columnCount;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, byte*> columnName;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, byte*> columnDeclType;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, int> columnType;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, long> columnInt64;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, double> columnDouble;
    private static delegate* unmanaged[Cdecl]<IntPtr, int, byte*> columnText;
    private static delegate* unmanaged[Cdecl]<IntPtr, int, byte*> columnBlob;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, int> columnBytes;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, byte*> errmsg;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int> extendedErrcode;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, IntPtr> dbHandle;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int> changes;
    private static delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int> readOnly;

    /// <summary>Resolves the entry points from <paramref name="library"/>, the handle of the loaded SQLite.</summary>
    internal static void Bind(IntPtr library)
    {
        IntPtr Export(string name) => NativeLibrary.GetExport(library, name);
        try
        {
            prepareV3 = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int, uint, IntPtr*, byte**, int>)Export("sqlite3_prepare_v3");
            step = (delegate* unmanaged[Cdecl]<IntPtr, int>)Export("sqlite3_step");
            reset = (delegate* unmanaged[Cdecl]<IntPtr, int>)Export("sqlite3_reset");
            finalize = (delegate* unmanaged[Cdecl]<IntPtr, int>)Export("sqlite3_finalize");
            clearBindings = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int>)Export("sqlite3_clear_bindings");
            bindParameterCount = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int>)Export("sqlite3_bind_parameter_count");
            bindParameterName = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, byte*>)Export("sqlite3_bind_parameter_name");
            bindInt64 = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, long, int>)Export("sqlite3_bind_int64");
            bindDouble = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, double, int>)Export("sqlite3_bind_double");
            bindNull = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, int>)Export("sqlite3_bind_null");
            bindText = (delegate* unmanaged[Cdecl]<IntPtr, int, byte*, int, IntPtr, int>)Export("sqlite3_bind_text");
            bindBlob = (delegate* unmanaged[Cdecl]<IntPtr, int, byte*, int, IntPtr, int>)Export("sqlite3_bind_blob");
            columnCount = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int>)Export("sqlite3_column_count");
            columnName = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, byte*>)Export("sqlite3_column_name");
            columnDeclType = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, byte*>)Export("sqlite3_column_decltype");
            columnType = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, int>)Export("sqlite3_column_type");
            columnInt64 = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, long>)Export("sqlite3_column_int64");
            columnDouble = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, double>)Export("sqlite3_column_double");
            columnText = (delegate* unmanaged[Cdecl]<IntPtr, int, byte*>)Export("sqlite3_column_text");
            columnBlob = (delegate* unmanaged[Cdecl]<IntPtr, int, byte*>)Export("sqlite3_column_blob");
            columnBytes = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int, int>)Export("sqlite3_column_bytes");
            errmsg = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, byte*>)Export("sqlite3_errmsg");
            extendedErrcode = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int>)Export("sqlite3_extended_errcode");
            dbHandle = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, IntPtr>)Export("sqlite3_db_handle");
            changes = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int>)Export("sqlite3_changes");
            readOnly = (delegate* unmanaged[Cdecl, SuppressGCTransition]<IntPtr, int>)Export("sqlite3_stmt_readonly");
            IsAvailable = true;
        }
        catch (EntryPointNotFoundException)
        {
            IsAvailable = false;
        }
    }

    /// <summary>Compiles <paramref name="sql"/> (one statement) on connection <paramref name="db"/>.</summary>
    public static IntPtr Prepare(IntPtr db, string sql)
    {
        var utf8 = Encoding.UTF8.GetBytes(sql);
        IntPtr statement;
        byte* tail;
        int rc;
        fixed (byte* text = utf8)
        {
            rc = prepareV3(db, text, utf8.Length, PreparePersistent, &statement, &tail);
            if (rc == Ok && statement != IntPtr.Zero && !IsBlank(new ReadOnlySpan<byte>(tail, utf8.Length - (int)(tail - text))))
            {
                finalize(statement);
                throw new NotSupportedException("A prepared statement holds one SQL statement: " + sql);
            }
        }
        if (rc != Ok)
        {
            throw Error(db, rc);
        }
        if (statement == IntPtr.Zero)
        {
            throw new NotSupportedException("The SQL holds no statement: " + sql);
        }
        return statement;
    }

    private static bool IsBlank(ReadOnlySpan<byte> text) => text.Trim(" \t\r\n;"u8).IsEmpty;

    /// <summary>Runs the statement to its next row: true on a row, false when done; throws on an error.</summary>
    public static bool Step(IntPtr statement)
    {
        var rc = step(statement);
        return rc switch
        {
            Row => true,
            Done => false,
            _ => throw Error(dbHandle(statement), rc),
        };
    }

    /// <summary>Ready to run again, with no values bound.</summary>
    public static void Reset(IntPtr statement)
    {
        reset(statement); // repeats the last step's error, already thrown
        clearBindings(statement);
    }

    public static void Finalize(IntPtr statement) => finalize(statement);

    /// <summary>Rows the statement inserted, updated or deleted (0 for one that only reads), as the provider counts them.</summary>
    public static int Changes(IntPtr statement) => readOnly(statement) != 0 ? 0 : changes(dbHandle(statement));

    public static int ParameterCount(IntPtr statement) => bindParameterCount(statement);

    public static string? ParameterName(IntPtr statement, int index) => Utf8(bindParameterName(statement, index));

    public static void BindNull(IntPtr statement, int index) => Check(statement, bindNull(statement, index));

    public static void BindInt64(IntPtr statement, int index, long value) => Check(statement, bindInt64(statement, index, value));

    public static void BindDouble(IntPtr statement, int index, double value) => Check(statement, bindDouble(statement, index, value));

    public static void BindText(IntPtr statement, int index, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var buffer = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(value, buffer);
        fixed (byte* text = buffer)
        {
            // A null pointer would bind NULL: an empty string must stay an empty string.
            byte empty = 0;
            Check(statement, bindText(statement, index, length == 0 ? &empty : text, length, Transient));
        }
    }

    public static void BindBlob(IntPtr statement, int index, ReadOnlySpan<byte> value)
    {
        fixed (byte* bytes = value)
        {
            byte empty = 0;
            Check(statement, bindBlob(statement, index, value.IsEmpty ? &empty : bytes, value.Length, Transient));
        }
    }

    public static int ColumnCount(IntPtr statement) => columnCount(statement);

    public static string ColumnName(IntPtr statement, int column) => Utf8(columnName(statement, column)) ?? "";

    public static string? ColumnDeclType(IntPtr statement, int column) => Utf8(columnDeclType(statement, column));

    public static int ColumnType(IntPtr statement, int column) => columnType(statement, column);

    public static long ColumnInt64(IntPtr statement, int column) => columnInt64(statement, column);

    public static double ColumnDouble(IntPtr statement, int column) => columnDouble(statement, column);

    public static string ColumnText(IntPtr statement, int column)
    {
        var text = columnText(statement, column);
        return text is null ? "" : Encoding.UTF8.GetString(text, columnBytes(statement, column));
    }

    public static ReadOnlySpan<byte> ColumnBlob(IntPtr statement, int column)
    {
        var blob = columnBlob(statement, column);
        return blob is null ? [] : new ReadOnlySpan<byte>(blob, columnBytes(statement, column));
    }

    private static void Check(IntPtr statement, int rc)
    {
        if (rc != Ok)
        {
            throw Error(dbHandle(statement), rc);
        }
    }

    /// <summary>The provider's own exception type, so callers (unique-violation checks among them) see no difference.</summary>
    private static SqliteException Error(IntPtr db, int rc) =>
        new(Utf8(errmsg(db)) ?? $"SQLite error {rc}", rc & 0xff, extendedErrcode(db));

    private static string? Utf8(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((IntPtr)text);
}
