using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace Mirage.Data;

/// <summary>
/// A long-lived SQLite connection that keeps its prepared statements between calls. Microsoft.Data.Sqlite 6 has
/// no statement cache and Dapper makes a new command per call, so every query was parsed and planned again:
/// measured at two to four times the cost of running a prepared one. Commands handed out here look up a
/// prepared <see cref="SqliteCommand"/> by SQL text when they execute and give it back when disposed.
/// Stores keep using Dapper unchanged. Most calls of a <see cref="DbSession"/> bypass the provider altogether
/// (<see cref="Direct"/>).
/// </summary>
public sealed class StatementCachingConnection(SqliteConnection inner, int capacity = 256) : DbConnection
{
    private readonly StatementCache<SqliteCommand> commands = new(capacity);
    private readonly StatementCache<SqliteStatement> statements = new(capacity);
    private readonly HashSet<string> providerOnly = new(StringComparer.Ordinal);

    public SqliteConnection Inner { get; } = inner;

    /// <summary>A prepared command for <paramref name="sql"/>: cached if one is free, otherwise new.</summary>
    internal SqliteCommand Rent(string sql)
    {
        if (commands.Take(sql) is { } cached)
        {
            return cached;
        }
        var command = Inner.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Keeps <paramref name="command"/> for the next caller of the same SQL.</summary>
    internal void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        commands.Put(command.CommandText, command);
    }

    /// <summary>
    /// <paramref name="sql"/> prepared straight on SQLite (<see cref="SqliteStatement"/>) with the properties of
    /// <paramref name="param"/> bound, running inside whatever transaction the connection has open; give it back
    /// with <see cref="Release"/>. Null when the call needs the provider: SQL of several statements or with
    /// unnamed parameters, or a parameter object with a list for Dapper to expand.
    /// </summary>
    internal SqliteStatement? Direct(string sql, object? param)
    {
        if (param is not null && !ParameterGetters.CanBind(param.GetType()))
        {
            return null;
        }
        var statement = statements.Take(sql);
        if (statement is null)
        {
            if (providerOnly.Contains(sql))
            {
                return null;
            }
            try
            {
                statement = new SqliteStatement(Inner.Handle!.DangerousGetHandle(), sql);
            }
            catch (NotSupportedException)
            {
                if (providerOnly.Count >= capacity)
                {
                    providerOnly.Clear();
                }
                providerOnly.Add(sql);
                return null;
            }
        }
        try
        {
            statement.Bind(param);
            return statement;
        }
        catch
        {
            Release(statement);
            throw;
        }
    }

    /// <summary>Resets <paramref name="statement"/> and keeps it for the next caller of its SQL.</summary>
    internal void Release(SqliteStatement statement)
    {
        statement.Reset();
        statements.Put(statement.Sql, statement);
    }

    protected override DbCommand CreateDbCommand() => new CachedCommand(this);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        Inner.BeginTransaction(isolationLevel);

    [AllowNull]
    public override string ConnectionString
    {
        get => Inner.ConnectionString;
        set => Inner.ConnectionString = value;
    }

    public override string Database => Inner.Database;
    public override string DataSource => Inner.DataSource;
    public override string ServerVersion => Inner.ServerVersion;
    public override ConnectionState State => Inner.State;
    public override void ChangeDatabase(string databaseName) => Inner.ChangeDatabase(databaseName);
    public override void Open() => Inner.Open();
    public override void Close() => Inner.Close();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Statements first: SQLite closes a connection only once all of its statements are finalized.
            statements.Dispose();
            commands.Dispose();
            Inner.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// What Dapper configures and executes. It holds the parameters itself and borrows the prepared command only
    /// while executing (and until disposed, when it returned a reader), so changing the SQL text after adding
    /// parameters works as on a plain command.
    /// </summary>
    private sealed class CachedCommand(StatementCachingConnection connection) : DbCommand
    {
        private readonly ParameterList parameters = new();
        private SqliteCommand? rented;

        [AllowNull]
        public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; } = 30;
        public override CommandType CommandType
        {
            get => CommandType.Text;
            set
            {
                if (value != CommandType.Text)
                {
                    throw new ArgumentException("Only CommandType.Text is supported", nameof(value));
                }
            }
        }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection
        {
            get => connection;
            set => throw new NotSupportedException("A cached command stays on its connection");
        }
        protected override DbParameterCollection DbParameterCollection => parameters;
        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel() => rented?.Cancel();
        public override void Prepare() { }
        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        public override int ExecuteNonQuery()
        {
            try
            {
                return Borrow().ExecuteNonQuery();
            }
            finally
            {
                GiveBack();
            }
        }

        public override object? ExecuteScalar()
        {
            try
            {
                return Borrow().ExecuteScalar();
            }
            finally
            {
                GiveBack();
            }
        }

        // The reader keeps the statement busy, so the command goes back when this wrapper is disposed.
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
            Borrow().ExecuteReader(behavior);

        private SqliteCommand Borrow()
        {
            GiveBack();
            var command = connection.Rent(CommandText);
            command.Transaction = (SqliteTransaction?)DbTransaction;
            command.CommandTimeout = CommandTimeout;
            foreach (SqliteParameter parameter in parameters)
            {
                command.Parameters.Add(parameter);
            }
            rented = command;
            return command;
        }

        private void GiveBack()
        {
            if (rented is { } command)
            {
                rented = null;
                connection.Return(command);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                GiveBack();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>The base collection's constructor is protected; this is only a way to own one.</summary>
    private sealed class ParameterList : SqliteParameterCollection;
}
