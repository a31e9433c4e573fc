using System.Data;

namespace Mirage.Data;

/// <summary>
/// A single-column result read as <typeparamref name="T"/>, with Dapper's rules for one value: NULL is the default,
/// Single wants exactly one row. Only numbers, booleans and text (and their nullable forms) are read here; anything
/// Dapper maps onto a record goes to Dapper (<see cref="IsSupported"/> is false).
/// </summary>
internal static class ScalarColumn<T>
{
    private static readonly Func<IDataRecord, T>? ReadValue = Reader();

    public static bool IsSupported => ReadValue is not null;

    public static T? FirstOrDefault(SqliteStatement statement) => statement.Step() ? Read(statement) : default;

    public static T Single(SqliteStatement statement)
    {
        if (!statement.Step())
        {
            throw new InvalidOperationException("Sequence contains no elements");
        }
        return OnlyRow(statement);
    }

    public static T? SingleOrDefault(SqliteStatement statement) => statement.Step() ? OnlyRow(statement) : default;

    public static List<T> All(SqliteStatement statement)
    {
        var values = new List<T>();
        while (statement.Step())
        {
            values.Add(Read(statement));
        }
        return values;
    }

    private static T OnlyRow(SqliteStatement statement)
    {
        var value = Read(statement);
        return statement.Step() ? throw new InvalidOperationException("Sequence contains more than one element") : value;
    }

    private static T Read(IDataRecord record) => record.IsDBNull(0) ? default! : ReadValue!(record);

    private static Func<IDataRecord, T>? Reader()
    {
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        Delegate? read =
            type == typeof(long) ? Typed<long>(r => r.GetInt64(0))
            : type == typeof(int) ? Typed<int>(r => r.GetInt32(0))
            : type == typeof(bool) ? Typed<bool>(r => r.GetBoolean(0))
            : type == typeof(double) ? Typed<double>(r => r.GetDouble(0))
            : type == typeof(string) ? (Func<IDataRecord, string>)(r => r.GetString(0))
            : null;
        return (Func<IDataRecord, T>?)read;
    }

    // The non-nullable reader where T is the value type itself, a lifting wrapper where T is its nullable form.
    private static Delegate Typed<TValue>(Func<IDataRecord, TValue> read) where TValue : struct =>
        typeof(T) == typeof(TValue) ? read : (Func<IDataRecord, TValue?>)(r => read(r));
}
