using Mirage.Data;

namespace Mirage.Realtime;

/// <summary>
/// Event positions on PostgreSQL, with no cluster-wide lock. An event's id is its transaction's id (xid8) shifted
/// left by <see cref="IndexBits"/>, plus its index within the transaction. Transactions commit in any order, so a
/// reader only ever looks below the <see cref="Horizon"/>: the oldest transaction still running anywhere on the
/// server (its snapshot's xmin), shifted the same way. Every transaction with a lower id has committed or aborted,
/// and any transaction that starts later gets a higher one, so the events below the horizon never change again:
/// a stream that has sent everything up to an id can resume after it without skipping an event that commits late.
/// The price is that delivery, not writing, waits for the oldest open write transaction (bounded by
/// <c>statement_timeout</c> and <c>idle_in_transaction_session_timeout</c>).
/// </summary>
public static class StreamOrder
{
    /// <summary>
    /// Up to 1,024 events per transaction. Ids stay below 2^53 (exact in JavaScript) until 2^43 transactions have
    /// run on the server, centuries at thousands a second.
    /// </summary>
    public const int IndexBits = 10;

    public const int MaxEventsPerTransaction = 1 << IndexBits;

    /// <summary>SQL: every event with a lower id has committed or never will; the statement's own snapshot decides.</summary>
    public const string Horizon = "(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 10)";

    private sealed class Used
    {
        public int Count;
    }

    /// <summary>The first of <paramref name="count"/> positions for this transaction's events.</summary>
    public static async Task<long> NextPositionsAsync(DbSession db, int count)
    {
        var used = db.State(() => new Used());
        if (used.Count + count > MaxEventsPerTransaction)
        {
            throw new InvalidOperationException($"A write may record at most {MaxEventsPerTransaction} stream events");
        }
        // pg_current_xact_id assigns the transaction its id if it has none yet (a write that recorded nothing else).
        var first = await db.QuerySingleAsync<long>("SELECT pg_current_xact_id()::text::bigint << 10") + used.Count;
        used.Count += count;
        return first;
    }

    /// <summary>The transaction an event belongs to (what a committing write announces over NOTIFY).</summary>
    public static long TransactionOf(long eventId) => eventId >> IndexBits;

    /// <summary>An event read back for delivery: its recipients, or its room (whose members are looked up on delivery).</summary>
    public sealed record Committed(long Horizon, List<StreamDelivery> Events);

    /// <summary>
    /// The events from <paramref name="from"/> up to the horizon, in order (at most <paramref name="limit"/>), and
    /// the horizon itself, read in one statement so that both come from the same snapshot.
    /// </summary>
    public static async Task<Committed> ReadCommittedAsync(DbSession db, long from, int limit)
    {
        var rows = await db.QueryRowsAsync(
            $"""
            SELECT h.horizon, e.id, e.type, e.data, e.room_id, e.created_at,
                CASE WHEN e.room_id IS NULL THEN ARRAY(SELECT r.user_id FROM stream_recipients r WHERE r.event_id = e.id) END
            FROM (SELECT {Horizon} AS horizon) AS h
            LEFT JOIN LATERAL (
                SELECT id, type, data, room_id, created_at FROM stream_events
                WHERE id >= @from AND id < h.horizon ORDER BY id LIMIT @limit
            ) AS e ON true
            ORDER BY e.id
            """,
            new { from, limit },
            static r => (Horizon: r.GetInt64(0), Event: r.IsDBNull(1) ? null : Delivery(r)));
        return new Committed(rows[0].Horizon, [.. rows.Select(r => r.Event).OfType<StreamDelivery>()]);
    }

    private static StreamDelivery Delivery(System.Data.IDataRecord r)
    {
        var streamEvent = new StreamEvent(r.GetInt64(1), r.GetString(2), r.GetString(3));
        return r.IsDBNull(4)
            ? new StreamDelivery(streamEvent, (long[])r.GetValue(6))
            : new StreamDelivery(streamEvent, [], r.GetInt64(4), r.GetInt64(5));
    }

    /// <summary>
    /// Waits, at most <paramref name="patience"/>, until every transaction running now has ended, so that a client
    /// resuming gets what committed before it reconnected ahead of its <c>ready</c>, not after it as live events. A
    /// transaction left open (a frozen node) only delays the <c>ready</c> by the patience: its events, and those after
    /// them, then arrive live.
    /// </summary>
    public static async Task SettleAsync(IDatabase database, TimeSpan patience, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var target = await database.ReadAsync(
            db => db.QuerySingleAsync<long>("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint << 10"), cancellationToken);
        var delay = TimeSpan.FromMilliseconds(2);
        while (await database.ReadAsync(HorizonAsync, cancellationToken) < target
            && System.Diagnostics.Stopwatch.GetElapsedTime(started) < patience)
        {
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks));
        }
    }

    /// <summary>The horizon alone (a node with no streams only needs to know where the stream stands).</summary>
    public static Task<long> HorizonAsync(DbSession db) => db.QuerySingleAsync<long>($"SELECT {Horizon}");
}
