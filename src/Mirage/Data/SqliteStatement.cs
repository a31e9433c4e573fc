using System.Data;
using System.Globalization;

namespace Mirage.Data;

/// <summary>
/// One prepared SQLite statement, called through <see cref="SqliteNative"/>, that is also the record of its current
/// row. It serves the typed row reads (<see cref="DbSession.QueryRowsAsync{T}"/>) on SQLite, where the provider's
/// per-value marshalling was the largest cost after SQLite itself. Values read behave as Microsoft.Data.Sqlite's
/// do (a typed getter on NULL throws), so a row reader works the same on either path. Used by one thread at a time.
/// </summary>
internal sealed class SqliteStatement : IDataRecord, IDisposable
{
    private IntPtr handle;
    private readonly string[] parameterNames;
    private Type? boundType;
    private Func<object, object?>[] getters = [];

    public SqliteStatement(IntPtr db, string sql)
    {
        Sql = sql;
        handle = SqliteNative.Prepare(db, sql);
        FieldCount = SqliteNative.ColumnCount(handle);
        parameterNames = new string[SqliteNative.ParameterCount(handle)];
        for (var i = 0; i < parameterNames.Length; i++)
        {
            // "@name", ":name" or "$name"; "?" parameters have no name and cannot be bound from an object.
            if (SqliteNative.ParameterName(handle, i + 1) is not { } name)
            {
                Dispose();
                throw new NotSupportedException("Unnamed parameters are not supported: " + sql);
            }
            parameterNames[i] = name[1..];
        }
    }

    public string Sql { get; }

    /// <summary>Binds the properties of <paramref name="param"/> (an anonymous object, as with Dapper) by name.</summary>
    public void Bind(object? param)
    {
        if (parameterNames.Length == 0)
        {
            return;
        }
        ArgumentNullException.ThrowIfNull(param);
        if (param.GetType() != boundType)
        {
            getters = ParameterGetters.For(param.GetType(), parameterNames, Sql);
            boundType = param.GetType();
        }
        for (var i = 0; i < getters.Length; i++)
        {
            BindValue(i + 1, getters[i](param));
        }
    }

    private void BindValue(int index, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                SqliteNative.BindNull(handle, index);
                break;
            case string text:
                SqliteNative.BindText(handle, index, text);
                break;
            case long or int or short or sbyte or byte or ushort or uint:
                SqliteNative.BindInt64(handle, index, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case bool flag:
                SqliteNative.BindInt64(handle, index, flag ? 1 : 0);
                break;
            case Enum:
                SqliteNative.BindInt64(handle, index, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                SqliteNative.BindDouble(handle, index, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case byte[] blob:
                SqliteNative.BindBlob(handle, index, blob);
                break;
            default:
                throw new NotSupportedException($"A {value.GetType().Name} parameter (@{parameterNames[index - 1]}) cannot be bound: {Sql}");
        }
    }

    /// <summary>Moves to the next row: false when there is none.</summary>
    public bool Step() => SqliteNative.Step(handle);

    /// <summary>Runs the statement to its end; the rows it changed (as <c>ExecuteNonQuery</c> counts them).</summary>
    public int Execute()
    {
        while (Step())
        {
        }
        return SqliteNative.Changes(handle);
    }

    /// <summary>Ready for the next caller: the run ended and no values stay bound.</summary>
    public void Reset() => SqliteNative.Reset(handle);

    public void Dispose()
    {
        if (handle != IntPtr.Zero)
        {
            SqliteNative.Finalize(handle);
            handle = IntPtr.Zero;
        }
    }

    public int FieldCount { get; }

    public object this[int i] => GetValue(i);

    public object this[string name] => GetValue(GetOrdinal(name));

    public bool IsDBNull(int i) => SqliteNative.ColumnType(handle, Column(i)) == SqliteNative.Null;

    public long GetInt64(int i) => SqliteNative.ColumnInt64(handle, NotNull(i));

    public int GetInt32(int i) => checked((int)GetInt64(i));

    public short GetInt16(int i) => checked((short)GetInt64(i));

    public byte GetByte(int i) => checked((byte)GetInt64(i));

    public bool GetBoolean(int i) => GetInt64(i) != 0;

    public double GetDouble(int i) => SqliteNative.ColumnDouble(handle, NotNull(i));

    public float GetFloat(int i) => (float)GetDouble(i);

    public decimal GetDecimal(int i) => SqliteNative.ColumnType(handle, NotNull(i)) == SqliteNative.Text
        ? decimal.Parse(GetString(i), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture)
        : (decimal)GetDouble(i);

    public string GetString(int i) => SqliteNative.ColumnText(handle, NotNull(i));

    public char GetChar(int i) => SqliteNative.ColumnType(handle, NotNull(i)) == SqliteNative.Integer
        ? (char)GetInt64(i)
        : GetString(i)[0];

    public DateTime GetDateTime(int i) => SqliteNative.ColumnType(handle, NotNull(i)) == SqliteNative.Text
        ? DateTime.Parse(GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
        : DateTime.FromOADate(GetDouble(i) - 2415018.5);

    public Guid GetGuid(int i) => SqliteNative.ColumnType(handle, NotNull(i)) == SqliteNative.Blob
        ? new Guid(SqliteNative.ColumnBlob(handle, i))
        : Guid.Parse(GetString(i));

    public long GetBytes(int i, long fieldOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var blob = SqliteNative.ColumnBlob(handle, NotNull(i));
        if (buffer is null)
        {
            return blob.Length;
        }
        var count = (int)Math.Max(0, Math.Min(length, blob.Length - fieldOffset));
        blob.Slice((int)fieldOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    public long GetChars(int i, long fieldOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(i);
        if (buffer is null)
        {
            return text.Length;
        }
        var count = (int)Math.Max(0, Math.Min(length, text.Length - fieldOffset));
        text.AsSpan((int)fieldOffset, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    public object GetValue(int i) => SqliteNative.ColumnType(handle, Column(i)) switch
    {
        SqliteNative.Integer => SqliteNative.ColumnInt64(handle, i),
        SqliteNative.Float => SqliteNative.ColumnDouble(handle, i),
        SqliteNative.Text => SqliteNative.ColumnText(handle, i),
        SqliteNative.Blob => SqliteNative.ColumnBlob(handle, i).ToArray(),
        _ => DBNull.Value,
    };

    public int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }
        return count;
    }

    public string GetName(int i) => SqliteNative.ColumnName(handle, Column(i));

    public int GetOrdinal(string name)
    {
        for (var i = 0; i < FieldCount; i++)
        {
            if (string.Equals(GetName(i), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        throw new IndexOutOfRangeException($"No column named '{name}'");
    }

    public string GetDataTypeName(int i) => SqliteNative.ColumnDeclType(handle, Column(i)) ?? TypeName(SqliteNative.ColumnType(handle, i));

    public Type GetFieldType(int i) => SqliteNative.ColumnType(handle, Column(i)) switch
    {
        SqliteNative.Integer => typeof(long),
        SqliteNative.Float => typeof(double),
        SqliteNative.Blob => typeof(byte[]),
        _ => typeof(string),
    };

    public IDataReader GetData(int i) => throw new NotSupportedException("Nested readers are not supported");

    private static string TypeName(int type) => type switch
    {
        SqliteNative.Integer => "INTEGER",
        SqliteNative.Float => "REAL",
        SqliteNative.Blob => "BLOB",
        _ => "TEXT",
    };

    private int Column(int i) => (uint)i < (uint)FieldCount ? i : throw new ArgumentOutOfRangeException(nameof(i), i, $"The row has {FieldCount} columns");

    private int NotNull(int i) => IsDBNull(i)
        ? throw new InvalidOperationException($"The value of column {i} ({GetName(i)}) is NULL")
        : i;
}
