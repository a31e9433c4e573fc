using System.Data;
using Mirage.Data;

namespace Mirage.Messaging;

/// <summary>SQL for <c>chats</c> and <c>chat_participants</c>: membership, per-user state and listing.</summary>
public static class ChatStore
{
    /// <summary>Messages by others above the reader's marker, not deleted: the per-chat unread count.</summary>
    internal const string UnreadCount = """
        (SELECT COUNT(*) FROM messages m
         WHERE m.chat_id = p.chat_id AND m.id > p.last_read_message_id AND m.user_id <> p.user_id AND m.deleted_at IS NULL)
        """;

    private const string ChatColumns = "c.id, c.type, c.name, c.avatar_url, c.created_at, c.updated_at, p.archived_at";

    /// <summary>A chat as one participant sees it: <see cref="ChatColumns"/> and then its unread count, in that order.</summary>
    private static ChatRow ReadChat(IDataRecord r) => new()
    {
        Id = r.GetInt64(0),
        Type = r.GetString(1),
        Name = r.GetNullableString(2),
        AvatarUrl = r.GetNullableString(3),
        CreatedAt = r.GetInt64(4),
        UpdatedAt = r.GetInt64(5),
        ArchivedAt = r.GetNullableInt64(6),
        UnreadCount = r.GetInt64(7),
    };

    /// <summary>
    /// One page of a user's chats, latest activity first, keyed by (updated_at, id) after <paramref name="after"/>;
    /// only archived ones, only the others, or (null) both; of one <paramref name="type"/> or (null) any. The outer query (the page, named p like the participant
    /// row it carries) counts unread messages for the page's rows only.
    /// </summary>
    public static async Task<List<ChatRow>> ListForUserAsync(
        DbSession db, long userId, bool? archived, string? type, long[]? after, int take)
    {
        var sql = $"""
            SELECT p.id, p.type, p.name, p.avatar_url, p.created_at, p.updated_at, p.archived_at, {UnreadCount} AS unread_count FROM (
                SELECT {ChatColumns}, p.chat_id, p.user_id, p.last_read_message_id
                FROM chat_participants p JOIN chats c ON c.id = p.chat_id
                WHERE p.user_id = @userId
                {(archived is null ? "" : archived.Value ? "AND p.archived_at IS NOT NULL" : "AND p.archived_at IS NULL")}
                {(type is null ? "" : "AND c.type = @type")}
                {(after is null ? "" : "AND (c.updated_at, c.id) < (@updatedAt, @id)")}
                ORDER BY c.updated_at DESC, c.id DESC
                LIMIT @take) AS p
            ORDER BY p.updated_at DESC, p.id DESC
            """;
        return await db.QueryRowsAsync(sql, new { userId, type, updatedAt = after?[0] ?? 0, id = after?[1] ?? 0, take }, ReadChat);
    }

    /// <summary>The chat as <paramref name="userId"/> sees it, or null when they are not in it.</summary>
    public static Task<ChatRow?> FindForUserAsync(DbSession db, long chatId, long userId) =>
        db.QuerySingleRowOrDefaultAsync(
            $"""
            SELECT {ChatColumns}, {UnreadCount} AS unread_count
            FROM chat_participants p JOIN chats c ON c.id = p.chat_id
            WHERE p.chat_id = @chatId AND p.user_id = @userId
            """,
            new { chatId, userId }, ReadChat);

    /// <summary>What a new message's notification says about its chat and sender; null when the sender is not in it.</summary>
    public static Task<ChatHeader?> FindHeaderAsync(DbSession db, long chatId, long userId) =>
        db.QuerySingleRowOrDefaultAsync(
            """
            SELECT c.type, c.name, u.username FROM chats c
            JOIN chat_participants p ON p.chat_id = c.id AND p.user_id = @userId
            JOIN users u ON u.id = p.user_id
            WHERE c.id = @chatId
            """,
            new { chatId, userId },
            static r => new ChatHeader { Type = r.GetString(0), Name = r.GetNullableString(1), Username = r.GetString(2) });

    public sealed class ParticipantState
    {
        public long UserId { get; init; }
        public long? ArchivedAt { get; init; }
        public long UnreadCount { get; init; }
    }

    /// <summary>Every participant's own view of the chat (archive flag, unread count), in one query.</summary>
    public static async Task<List<ParticipantState>> GetParticipantStatesAsync(DbSession db, long chatId) =>
        await db.QueryRowsAsync(
            $"SELECT p.user_id, p.archived_at, {UnreadCount} AS unread_count FROM chat_participants p WHERE p.chat_id = @chatId",
            new { chatId },
            static r => new ParticipantState { UserId = r.GetInt64(0), ArchivedAt = r.GetNullableInt64(1), UnreadCount = r.GetInt64(2) });

    public static async Task<bool> IsParticipantAsync(DbSession db, long chatId, long userId) =>
        await db.ExecuteScalarAsync<long?>(
            "SELECT 1 FROM chat_participants WHERE chat_id = @chatId AND user_id = @userId", new { chatId, userId }) is not null;

    public static async Task<List<ParticipantRow>> GetParticipantsAsync(DbSession db, IReadOnlyCollection<long> chatIds)
    {
        if (chatIds.Count == 0)
        {
            return [];
        }
        var chats = db.Dialect.Ids("@chatIds", chatIds);
        return await db.QueryRowsAsync(
            $"SELECT chat_id, user_id, joined_at FROM chat_participants WHERE chat_id {chats.In} ORDER BY chat_id, joined_at, user_id",
            new { chatIds = chats.Value },
            static r => new ParticipantRow { ChatId = r.GetInt64(0), UserId = r.GetInt64(1), JoinedAt = r.GetInt64(2) });
    }

    public static Task<List<long>> GetParticipantIdsAsync(DbSession db, long chatId) =>
        db.QueryIdsAsync("SELECT user_id FROM chat_participants WHERE chat_id = @chatId", new { chatId });

    /// <summary>Everyone who shares at least one chat with the user: who hears of their presence.</summary>
    public static async Task<List<long>> ContactsOfAsync(DbSession db, long userId) =>
        (await db.QueryAsync<long>(
            """
            SELECT DISTINCT other.user_id FROM chat_participants mine
            JOIN chat_participants other ON other.chat_id = mine.chat_id
            WHERE mine.user_id = @userId AND other.user_id <> @userId
            """,
            new { userId })).ToList();

    public static Task<long> CountParticipantsAsync(DbSession db, long chatId) =>
        db.QuerySingleAsync<long>("SELECT COUNT(*) FROM chat_participants WHERE chat_id = @chatId", new { chatId });

    public static Task<long?> FindDirectAsync(DbSession db, string dmKey) =>
        db.QuerySingleOrDefaultAsync<long?>("SELECT id FROM chats WHERE dm_key = @dmKey", new { dmKey });

    /// <summary>Creates a chat; null when a DM with the same key exists (also one committed a moment ago).</summary>
    public static Task<long?> InsertAsync(DbSession db, string type, string? name, string? dmKey, long createdBy, long now) =>
        db.QuerySingleOrDefaultAsync<long?>(
            """
            INSERT INTO chats (type, name, dm_key, created_by, created_at, updated_at)
            VALUES (@type, @name, @dmKey, @createdBy, @now, @now)
            ON CONFLICT (dm_key) DO NOTHING
            RETURNING id
            """,
            new { type, name, dmKey, createdBy, now });

    /// <summary>
    /// Adds participants who are not in the chat yet, with their read marker at <paramref name="readUpTo"/>
    /// (a newcomer does not inherit the history as unread). Returns how many were added.
    /// </summary>
    public static Task<int> AddParticipantsAsync(DbSession db, long chatId, IEnumerable<long> userIds, long readUpTo, long now) =>
        db.ExecuteAsync(
            """
            INSERT INTO chat_participants (chat_id, user_id, joined_at, last_read_message_id)
            VALUES (@chatId, @userId, @now, @readUpTo)
            ON CONFLICT (chat_id, user_id) DO NOTHING
            """,
            userIds.Select(userId => new { chatId, userId, now, readUpTo }));

    /// <summary>Moves the chat to the top of its participants' lists; never back in time when writes race.</summary>
    public static Task TouchAsync(DbSession db, long chatId, long now) =>
        db.ExecuteAsync(
            "UPDATE chats SET updated_at = CASE WHEN updated_at < @now THEN @now ELSE updated_at END WHERE id = @chatId",
            new { chatId, now });

    public static Task UpdateAsync(DbSession db, long chatId, bool setName, string? name, bool setAvatar, string? avatarUrl) =>
        db.ExecuteAsync(
            """
            UPDATE chats SET
                name = CASE WHEN @setName THEN @name ELSE name END,
                avatar_url = CASE WHEN @setAvatar THEN @avatarUrl ELSE avatar_url END
            WHERE id = @chatId
            """,
            new { chatId, setName, name, setAvatar, avatarUrl });

    public static Task SetArchivedAsync(DbSession db, long chatId, long userId, long? archivedAt) =>
        db.ExecuteAsync(
            "UPDATE chat_participants SET archived_at = @archivedAt WHERE chat_id = @chatId AND user_id = @userId",
            new { chatId, userId, archivedAt });

    /// <summary>A new message brings an archived chat back for everyone but its sender.</summary>
    public static Task UnarchiveForOthersAsync(DbSession db, long chatId, long senderId) =>
        db.ExecuteAsync(
            "UPDATE chat_participants SET archived_at = NULL WHERE chat_id = @chatId AND user_id <> @senderId AND archived_at IS NOT NULL",
            new { chatId, senderId });

    /// <summary>Moves a read marker forward to <paramref name="messageId"/>; it never moves back.</summary>
    public static Task<int> AdvanceReadMarkerAsync(DbSession db, long chatId, long userId, long messageId) =>
        db.ExecuteAsync(
            """
            UPDATE chat_participants SET last_read_message_id = @messageId
            WHERE chat_id = @chatId AND user_id = @userId AND last_read_message_id < @messageId
            """,
            new { chatId, userId, messageId });

    /// <summary>Unread messages of one user, in one chat or (null) across all their chats: an index range per chat.</summary>
    public static Task<long> CountUnreadAsync(DbSession db, long userId, long? chatId = null) =>
        db.QuerySingleAsync<long>(
            $"""
            SELECT COALESCE(SUM({UnreadCount}), 0) FROM chat_participants p
            WHERE p.user_id = @userId {(chatId is null ? "" : "AND p.chat_id = @chatId")}
            """,
            new { userId, chatId });
}
