using System.Data;

namespace Mirage.Data;

/// <summary>Typed reads of nullable columns, for the row readers of <see cref="DbSession.QueryRowsAsync{T}"/>.</summary>
public static class DataRecordExtensions
{
    public static string? GetNullableString(this IDataRecord record, int ordinal) =>
        record.IsDBNull(ordinal) ? null : record.GetString(ordinal);

    public static long? GetNullableInt64(this IDataRecord record, int ordinal) =>
        record.IsDBNull(ordinal) ? null : record.GetInt64(ordinal);
}
