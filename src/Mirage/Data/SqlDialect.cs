using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mirage.Data;

/// <summary>The few places where SQLite and PostgreSQL differ, behind one small type.</summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>True when the exception is a UNIQUE / PRIMARY KEY violation.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>Row locks for a SELECT: PostgreSQL needs them; SQLite's single writer already serialises.</summary>
    public abstract string ForUpdate { get; }

    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect Postgres = new PostgresDialect();

    private sealed class SqliteDialect : SqlDialect
    {
        private const int SqliteConstraint = 19;
        private const int SqliteConstraintPrimaryKey = 1555;
        private const int SqliteConstraintUnique = 2067;

        public override string Name => "sqlite";

        public override string ForUpdate => "";

        public override bool IsUniqueViolation(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: SqliteConstraint } e
            && e.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey;
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override string Name => "postgres";

        public override string ForUpdate => " FOR UPDATE";

        public override bool IsUniqueViolation(Exception exception) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
    }
}
