namespace Mirage.Data;

/// <summary>
/// Ids for the SQLite tables stored by their parent rather than by id (WITHOUT ROWID: messages by chat, room messages
/// by room), which have no rowid to number their rows. A one-row counter table hands them out and, like AUTOINCREMENT,
/// never hands one out twice. On PostgreSQL the table's identity column numbers the rows, and there is no counter.
/// </summary>
public static class SqliteIdCounter
{
    /// <summary>
    /// The next id from <paramref name="takeNext"/> (an <c>UPDATE … RETURNING last</c> of a counter row) on SQLite;
    /// null on PostgreSQL, where the insert leaves the id out.
    /// </summary>
    public static async Task<long?> NextAsync(DbSession db, string takeNext) =>
        ReferenceEquals(db.Dialect, SqlDialect.Sqlite) ? await db.QuerySingleAsync<long>(takeNext) : null;
}
