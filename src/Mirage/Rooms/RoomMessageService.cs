using Microsoft.Extensions.Options;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;
using Mirage.Hosting;
using Mirage.Realtime;

namespace Mirage.Rooms;

/// <summary>
/// Room messages: members send and read; every read applies <c>Mirage:Rooms:MessageRetention</c> and
/// <c>MaxMessagesPerRoom</c> itself, and <see cref="PurgeAsync"/> deletes what they hide.
/// </summary>
public sealed class RoomMessageService(IDatabase database, EventStream events, IOptions<MirageOptions> options, TimeProvider clock)
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 100;
    private const int PurgeBatch = 500;

    private RoomOptions Rooms => options.Value.Rooms;

    private long CutoffMs => clock.NowMs() - (long)Rooms.MessageRetention.TotalMilliseconds;

    /// <param name="missing">The refusal for a missing room or text (the /api and /v1 surfaces word it differently).</param>
    public async Task<RoomMessageRow> SendAsync(CurrentUser user, long? roomId, string? content, string missing = "missing fields")
    {
        if (roomId is null or <= 0)
        {
            throw MirageException.BadRequest(missing);
        }
        var text = RoomRules.Content(content, missing);
        return await database.WriteAsync(db => AppendAsync(db, roomId.Value, user.Id, text, clock.NowMs()));
    }

    /// <summary>
    /// Appends a member's message inside the caller's write (uploads post their URL this way) and announces it to
    /// the room's members as a <c>room.message</c> event, delivered when the write commits.
    /// </summary>
    public async Task<RoomMessageRow> AppendAsync(DbSession db, long roomId, long userId, string content, long now,
        string refusal = RoomRules.NotAMember)
    {
        var message = await RoomMessageStore.AppendAsync(db, roomId, userId, content, now);
        if (message is null)
        {
            await RoomService.RequireMemberAsync(db, roomId, userId, refusal);
            throw new InvalidOperationException("a member's message was not appended");
        }
        events.AppendToRoom(db, roomId, StreamEventTypes.RoomMessage, RoomMessageV1.From(message));
        return message;
    }

    /// <summary>
    /// get_room_messages: the room's visible messages, oldest first. With <paramref name="sinceSeconds"/> only those
    /// after it (the first <paramref name="limit"/> of them); without, the newest <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<RoomMessageRow>> ListAsync(CurrentUser user, long roomId, double? sinceSeconds, int? limit)
    {
        var since = RoomRules.SinceMs(sinceSeconds);
        var size = PageSize.Clamp(limit, Rooms.MaxMessagesPerRoom, Rooms.MaxMessagesPerRoom);
        return await database.ReadAsync(async db =>
        {
            await RoomService.RequireMemberAsync(db, roomId, user.Id);
            return await RoomMessageStore.ListAsync(db, new RoomMessageStore.Query(roomId, CutoffMs, Rooms.MaxMessagesPerRoom, size, SinceMs: since));
        });
    }

    /// <summary>/v1 paging: each page oldest first; <c>next_cursor</c> leads to the older messages before it.</summary>
    public async Task<RoomMessagePage> PageAsync(CurrentUser user, long roomId, int? limit, string? cursor)
    {
        var size = PageSize.Clamp(limit, DefaultPageSize, MaxPageSize);
        var before = Cursor.Decode(cursor, 1)?[0];
        var rows = await database.ReadAsync(async db =>
        {
            await RoomService.RequireMemberAsync(db, roomId, user.Id);
            return await RoomMessageStore.ListAsync(db, new RoomMessageStore.Query(roomId, CutoffMs, Rooms.MaxMessagesPerRoom, size + 1, BeforeSeq: before));
        });
        // One row more than asked says there is an older page; it is the oldest, at the front.
        return rows.Count > size
            ? new RoomMessagePage(rows.Skip(1).ToList(), Cursor.Encode(rows[1].Seq))
            : new RoomMessagePage(rows, null);
    }

    /// <summary>Deletes expired and over-cap messages in bounded batches, so the writer is never held for long.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        int deleted;
        do
        {
            var cutoff = CutoffMs;
            deleted = await database.WriteAsync(db => RoomMessageStore.DeleteExpiredAsync(db, cutoff, PurgeBatch), cancellationToken);
            total += deleted;
        }
        while (deleted == PurgeBatch);
        do
        {
            deleted = await database.WriteAsync(db => RoomMessageStore.DeleteOverCapAsync(db, Rooms.MaxMessagesPerRoom, PurgeBatch), cancellationToken);
            total += deleted;
        }
        while (deleted == PurgeBatch);
        return total;
    }
}
