using Dapper;
using Mirage.Data;

namespace Mirage.Messaging;

/// <summary>
/// SQL for the legacy inbox: the messages of the user's DM chats, each with its sender and recipient
/// (the DM's other participant), newest first on the (created_at, id) key.
/// </summary>
public static class InboxStore
{
    public sealed class InboxRow
    {
        public long Id { get; init; }
        public long ChatId { get; init; }
        public long SenderId { get; init; }
        public long RecipientId { get; init; }
        public string Content { get; init; } = "";
        public long CreatedAt { get; init; }
        public long LastReadMessageId { get; init; }
    }

    private const string DirectMessagesOfUser = """
        FROM chat_participants p
        JOIN chats c ON c.id = p.chat_id AND c.type = 'dm'
        JOIN messages m ON m.chat_id = p.chat_id AND m.deleted_at IS NULL
        """;

    public static async Task<List<InboxRow>> PageAsync(DbSession db, long userId, long[]? before, int take) =>
        (await db.QueryAsync<InboxRow>(
            $"""
            SELECT m.id, m.chat_id, m.user_id AS sender_id, r.user_id AS recipient_id, m.content, m.created_at, p.last_read_message_id
            {DirectMessagesOfUser}
            JOIN chat_participants r ON r.chat_id = m.chat_id AND r.user_id <> m.user_id
            WHERE p.user_id = @userId
            {(before is null ? "" : "AND (m.created_at < @createdAt OR (m.created_at = @createdAt AND m.id < @id))")}
            ORDER BY m.created_at DESC, m.id DESC
            LIMIT @take
            """,
            new { userId, createdAt = before?[0] ?? 0, id = before?[1] ?? 0, take })).AsList();

    /// <summary>All DM messages the user sent or received, and how many of the received ones are unread.</summary>
    public static Task<(long Total, long Unread)> CountAsync(DbSession db, long userId) =>
        db.QuerySingleAsync<(long Total, long Unread)>(
            $"""
            SELECT COUNT(*), COALESCE(SUM(CASE WHEN m.id > p.last_read_message_id AND m.user_id <> p.user_id THEN 1 ELSE 0 END), 0)
            {DirectMessagesOfUser}
            WHERE p.user_id = @userId
            """,
            new { userId });

    /// <summary>The paging key (created_at, id) of a message, for <c>before=</c>.</summary>
    public static async Task<long[]?> KeyOfAsync(DbSession db, long messageId) =>
        await db.QuerySingleOrDefaultAsync<long?>("SELECT created_at FROM messages WHERE id = @messageId", new { messageId })
            is { } createdAt ? [createdAt, messageId] : null;
}
