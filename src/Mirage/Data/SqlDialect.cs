using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mirage.Data;

/// <summary>The few places where SQLite and PostgreSQL differ, behind one small type.</summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>True when the exception is a UNIQUE / PRIMARY KEY violation.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>
    /// The database cannot be reached or cannot take the work right now (server down, connection lost, pool
    /// exhausted, disk full): the request may succeed later, so it is a 503 with Retry-After, not a 500.
    /// </summary>
    public abstract bool IsUnavailable(Exception exception);

    /// <summary>
    /// A table named <paramref name="alias"/> of the values in <paramref name="parameter"/> (bound with
    /// <see cref="IdArray"/> or <see cref="TextArray"/>), one row each in a column named <c>value</c>. One parameter
    /// however long the list, so the statement text never changes and stays prepared, instead of one parameter per
    /// value, each bound by name.
    /// </summary>
    public abstract string ListTable(string parameter, string alias);

    /// <summary>
    /// A test of a column against <paramref name="ids"/>, bound as the one parameter <paramref name="parameter"/>.
    /// A single id is compared directly: through json_each, SQLite builds a temporary table for the list on every
    /// run, a few µs on each write that notifies one user or renders one author.
    /// </summary>
    public SqlList Ids(string parameter, IReadOnlyCollection<long> ids) =>
        ids.Count == 1 ? new SqlList($"= {parameter}", ids.First()) : new SqlList(InList(parameter), IdArray(ids));

    /// <summary>The same as <see cref="Ids"/>, for strings.</summary>
    public SqlList Texts(string parameter, IReadOnlyCollection<string> values) =>
        values.Count == 1 ? new SqlList($"= {parameter}", values.First()) : new SqlList(InList(parameter), TextArray(values));

    private string InList(string parameter) => $"IN (SELECT id_list.value FROM {ListTable(parameter, "id_list")})";

    /// <summary>A list of ids to bind for <see cref="ListTable"/>.</summary>
    public abstract object IdArray(IEnumerable<long> ids);

    /// <summary>A list of strings to bind for <see cref="ListTable"/>.</summary>
    public abstract object TextArray(IEnumerable<string> values);

    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect Postgres = new PostgresDialect();

    private sealed class SqliteDialect : SqlDialect
    {
        private const int SqliteConstraint = 19;
        private const int SqliteConstraintPrimaryKey = 1555;
        private const int SqliteConstraintUnique = 2067;

        public override string Name => "sqlite";

        public override string ListTable(string parameter, string alias) => $"json_each({parameter}) AS {alias}";

        public override object IdArray(IEnumerable<long> ids) => "[" + string.Join(',', ids) + "]";

        public override object TextArray(IEnumerable<string> values) => System.Text.Json.JsonSerializer.Serialize(values);

        public override bool IsUniqueViolation(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: SqliteConstraint } e
            && e.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey;

        // SQLITE_BUSY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
        public override bool IsUnavailable(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 5 or 10 or 13 or 14 };
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override string Name => "postgres";

        public override string ListTable(string parameter, string alias) => $"unnest({parameter}) AS {alias}(value)";

        public override object IdArray(IEnumerable<long> ids) => ids.ToArray();

        public override object TextArray(IEnumerable<string> values) => values.ToArray();

        public override bool IsUniqueViolation(Exception exception) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

        // Npgsql's own judgement: a lost or refused connection, a timeout, a server shutting down or out of connections.
        public override bool IsUnavailable(Exception exception) => exception is NpgsqlException { IsTransient: true };
    }
}

/// <summary>
/// A list in SQL: <see cref="In"/> goes after the column (<c>user_id {list.In}</c>), <see cref="Value"/> is bound to the
/// parameter named when it was made (<see cref="SqlDialect.Ids"/>).
/// </summary>
public readonly record struct SqlList(string In, object Value);
