using Dapper;

namespace Mirage.Data;

/// <summary>
/// Expands a list into numbered parameters, <c>(@name0, @name1, …)</c>. Dapper's own <c>IN @list</c> expansion
/// is not used because with Npgsql Dapper sends an array instead, which <c>IN</c> does not accept; numbered
/// parameters read the same on both dialects. Lists of ids use <see cref="SqlDialect.InIds"/> instead: one
/// parameter, however long the list.
/// </summary>
public static class SqlList
{
    /// <summary>Adds the values as parameters and returns <c>(@name0, @name1, …)</c> for an IN list.</summary>
    public static string Add<T>(DynamicParameters parameters, string name, IReadOnlyList<T> values) =>
        "(" + string.Join(", ", Names(parameters, name, values)) + ")";

    private static List<string> Names<T>(DynamicParameters parameters, string name, IReadOnlyList<T> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("an SQL list needs at least one value", nameof(values));
        }
        var names = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            parameters.Add($"{name}{i}", values[i]);
            names.Add($"@{name}{i}");
        }
        return names;
    }
}
