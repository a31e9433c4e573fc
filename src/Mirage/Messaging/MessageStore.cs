using System.Data;
using Mirage.Data;

namespace Mirage.Messaging;

/// <summary>
/// SQL for <c>messages</c>. Lists page on the indexed (chat_id, created_at, id) key, so any page of a chat
/// with a million messages costs what the first one does. Deleted messages are never returned.
/// </summary>
public static class MessageStore
{
    internal const string Columns = "id, chat_id, user_id, content, created_at, updated_at, edited_at, deleted_at";

    /// <summary>One row of <see cref="Columns"/>, in its order (the page readers; single rows go through Dapper).</summary>
    internal static MessageRow ReadRow(IDataRecord r) => new()
    {
        Id = r.GetInt64(0),
        ChatId = r.GetInt64(1),
        UserId = r.GetInt64(2),
        Content = r.GetString(3),
        CreatedAt = r.GetInt64(4),
        UpdatedAt = r.GetInt64(5),
        EditedAt = r.GetNullableInt64(6),
        DeletedAt = r.GetNullableInt64(7),
    };

    public static async Task<MessageRow> InsertAsync(DbSession db, long chatId, long userId, string content, long now)
    {
        // SQLite stores messages by chat (migration 0008), a table without AUTOINCREMENT: message_ids numbers them,
        // never below a row already there (the seeder writes messages with their own ids).
        var id = await SqliteIdCounter.NextAsync(db,
            "UPDATE message_ids SET last = max(last, COALESCE((SELECT MAX(id) FROM messages), 0)) + 1 WHERE id = 1 RETURNING last");
        return await db.QuerySingleRowAsync(
            $"""
            INSERT INTO messages ({(id is null ? "" : "id, ")}chat_id, user_id, content, created_at, updated_at)
            VALUES ({(id is null ? "" : "@id, ")}@chatId, @userId, @content, @now, @now)
            RETURNING {Columns}
            """,
            new { id, chatId, userId, content, now }, ReadRow);
    }

    /// <summary>A message <paramref name="userId"/> may see: not deleted, in a chat they are in.</summary>
    public static Task<MessageRow?> FindVisibleAsync(DbSession db, long messageId, long userId, bool directOnly = false) =>
        db.QuerySingleRowOrDefaultAsync(
            $"""
            SELECT {Prefixed("m")} FROM messages m
            JOIN chat_participants p ON p.chat_id = m.chat_id AND p.user_id = @userId
            {(directOnly ? "JOIN chats c ON c.id = m.chat_id AND c.type = 'dm'" : "")}
            WHERE m.id = @messageId AND m.deleted_at IS NULL
            """,
            new { messageId, userId }, ReadRow);

    /// <summary>Newest first, strictly older than the (created_at, id) key <paramref name="before"/>.</summary>
    public static async Task<List<MessageRow>> PageAsync(DbSession db, long chatId, long[]? before, int take)
    {
        var sql = $"""
            SELECT {Columns} FROM messages
            WHERE chat_id = @chatId AND deleted_at IS NULL
            {(before is null ? "" : "AND (created_at, id) < (@createdAt, @id)")}
            ORDER BY created_at DESC, id DESC
            LIMIT @take
            """;
        return await db.QueryRowsAsync(sql, new { chatId, createdAt = before?[0] ?? 0, id = before?[1] ?? 0, take }, ReadRow);
    }

    /// <summary>
    /// Newest first by page number, for seed 002's <c>api.messages.chat(uid, page, limit)</c>. The cost grows with
    /// the page number (it skips rows); the cursor API is the scalable way through long histories.
    /// </summary>
    public static Task<List<MessageRow>> PageByNumberAsync(DbSession db, long chatId, int skip, int take) =>
        db.QueryRowsAsync(
            $"""
            SELECT {Columns} FROM messages WHERE chat_id = @chatId AND deleted_at IS NULL
            ORDER BY created_at DESC, id DESC LIMIT @take OFFSET @skip
            """,
            new { chatId, skip, take }, ReadRow);

    public static Task<long> CountAsync(DbSession db, long chatId) =>
        db.QuerySingleAsync<long>("SELECT COUNT(*) FROM messages WHERE chat_id = @chatId AND deleted_at IS NULL", new { chatId });

    /// <summary>The latest message of each chat, one query for a whole page of chats.</summary>
    public static async Task<List<MessageRow>> LastOfChatsAsync(DbSession db, IReadOnlyCollection<long> chatIds)
    {
        if (chatIds.Count == 0)
        {
            return [];
        }
        var chats = db.Dialect.Ids("@chatIds", chatIds);
        return await db.QueryRowsAsync(
            $"""
            SELECT {Columns} FROM messages WHERE id IN (
                SELECT (SELECT l.id FROM messages l WHERE l.chat_id = c.id AND l.deleted_at IS NULL
                        ORDER BY l.created_at DESC, l.id DESC LIMIT 1)
                FROM chats c WHERE c.id {chats.In})
            """,
            new { chatIds = chats.Value }, ReadRow);
    }

    /// <summary>The id "read everything" means: the chat's largest message id (0 when empty).</summary>
    public static Task<long> LatestIdAsync(DbSession db, long chatId) =>
        db.QuerySingleAsync<long>("SELECT COALESCE(MAX(id), 0) FROM messages WHERE chat_id = @chatId", new { chatId });

    public static async Task<bool> IsInChatAsync(DbSession db, long messageId, long chatId) =>
        await db.ExecuteScalarAsync<long?>("SELECT 1 FROM messages WHERE id = @messageId AND chat_id = @chatId", new { messageId, chatId }) is not null;

    public static Task<MessageRow> EditAsync(DbSession db, long messageId, string content, long now) =>
        db.QuerySingleRowAsync(
            $"UPDATE messages SET content = @content, edited_at = @now, updated_at = @now WHERE id = @messageId RETURNING {Columns}",
            new { messageId, content, now }, ReadRow);

    /// <summary>Soft delete: the row stays (ids, markers and cursors stay valid) but its text is gone for good.</summary>
    public static Task<MessageRow> DeleteAsync(DbSession db, long messageId, long now) =>
        db.QuerySingleRowAsync(
            $"UPDATE messages SET content = '', deleted_at = @now, updated_at = @now WHERE id = @messageId RETURNING {Columns}",
            new { messageId, now }, ReadRow);

    private static string Prefixed(string alias) => string.Join(", ", Columns.Split(", ").Select(c => $"{alias}.{c}"));
}
