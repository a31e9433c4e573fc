using Mirage.Data;

namespace Mirage.Messaging;

/// <summary>
/// SQL for the legacy inbox: the newest messages across all of a user's DM chats. Done in two indexed steps,
/// so the cost depends on the page size and the number of DM chats, never on how long any history is:
/// each DM's newest message time, then a LIMITed index range in only those chats that can reach the page.
/// </summary>
public static class InboxStore
{
    public sealed class DirectChatRow
    {
        public long ChatId { get; init; }
        public long OtherId { get; init; }
        public long LastReadMessageId { get; init; }
        public long? NewestAt { get; init; }
    }

    /// <summary>The user's DM chats, the other participant, and the time of the newest message before the key.</summary>
    public static async Task<List<DirectChatRow>> DirectChatsAsync(DbSession db, long userId, long[]? before) =>
        await db.QueryRowsAsync(
            $"""
            SELECT p.chat_id, p.last_read_message_id,
                (SELECT o.user_id FROM chat_participants o WHERE o.chat_id = p.chat_id AND o.user_id <> p.user_id) AS other_id,
                (SELECT l.created_at FROM messages l WHERE l.chat_id = p.chat_id AND l.deleted_at IS NULL
                 {(before is null ? "" : "AND (l.created_at, l.id) < (@createdAt, @id)")}
                 ORDER BY l.created_at DESC, l.id DESC LIMIT 1) AS newest_at
            FROM chat_participants p JOIN chats c ON c.id = p.chat_id AND c.type = 'dm'
            WHERE p.user_id = @userId
            """,
            new { userId, createdAt = before?[0] ?? 0, id = before?[1] ?? 0 },
            static r => new DirectChatRow
            {
                ChatId = r.GetInt64(0), LastReadMessageId = r.GetInt64(1), OtherId = r.GetInt64(2), NewestAt = r.GetNullableInt64(3),
            });

    /// <summary>The newest <paramref name="take"/> messages across these chats (each one an index range scan).</summary>
    public static async Task<List<MessageRow>> NewestAsync(DbSession db, IReadOnlyList<long> chatIds, long[]? before, int take)
    {
        if (chatIds.Count == 0)
        {
            return [];
        }
        var branches = chatIds.Select((chatId, i) => $"""
            SELECT * FROM (SELECT {MessageStore.Columns} FROM messages
                WHERE chat_id = {chatId} AND deleted_at IS NULL {(before is null ? "" : "AND (created_at, id) < (@createdAt, @id)")}
                ORDER BY created_at DESC, id DESC LIMIT @take) AS b{i}
            """);
        return await db.QueryRowsAsync(
            $"""
            SELECT * FROM ({string.Join("\nUNION ALL\n", branches)}) AS newest
            ORDER BY created_at DESC, id DESC LIMIT @take
            """,
            new { createdAt = before?[0] ?? 0, id = before?[1] ?? 0, take }, MessageStore.ReadRow);
    }

    /// <summary>All DM messages the user sent or received, and how many of the received ones are unread.</summary>
    public static Task<(long Total, long Unread)> CountAsync(DbSession db, long userId) =>
        db.QuerySingleRowAsync(
            $"""
            SELECT COALESCE(SUM((SELECT COUNT(*) FROM messages m WHERE m.chat_id = p.chat_id AND m.deleted_at IS NULL)), 0),
                   COALESCE(SUM({ChatStore.UnreadCount}), 0)
            FROM chat_participants p JOIN chats c ON c.id = p.chat_id AND c.type = 'dm'
            WHERE p.user_id = @userId
            """,
            new { userId },
            static r => (r.GetInt64(0), r.GetInt64(1)));

    /// <summary>The paging key (created_at, id) of a message, for <c>before=</c>.</summary>
    public static async Task<long[]?> KeyOfAsync(DbSession db, long messageId) =>
        await db.QuerySingleOrDefaultAsync<long?>("SELECT created_at FROM messages WHERE id = @messageId", new { messageId })
            is { } createdAt ? [createdAt, messageId] : null;
}
