using System.Data;
using System.Text.Json;
using Dapper;
using Mirage.Data;

namespace Mirage.Notifications;

/// <summary>
/// SQL for <c>notifications</c>. Producers (follows, replies, mentions, messages) do not call it directly but
/// <see cref="NotificationService.NotifyAsync"/>, inside their own write, so a notification exists exactly when
/// the thing it announces does and its owner hears of it in real time.
/// </summary>
public static class NotificationStore
{
    private const string Columns = "id, user_id, type, title, message, data, collapse_key, read_at, created_at, updated_at";

    /// <summary>One row of <see cref="Columns"/>, in its order.</summary>
    private static NotificationRow ReadRow(IDataRecord r) => new()
    {
        Id = r.GetInt64(0),
        UserId = r.GetInt64(1),
        Type = r.GetString(2),
        Title = r.GetString(3),
        Message = r.GetString(4),
        Data = r.GetString(5),
        CollapseKey = r.GetNullableString(6),
        ReadAt = r.GetNullableInt64(7),
        CreatedAt = r.GetInt64(8),
        UpdatedAt = r.GetInt64(9),
    };

    /// <summary>Creates a notification (replacing an unread one with the same collapse key) and returns it.</summary>
    public static async Task<NotificationRow> AddAsync(DbSession db, NewNotification notification, long now)
    {
        var content = new NotificationContent(
            notification.Type, notification.Title, notification.Message, notification.Data, notification.CollapseKey);
        var rows = await AddToEachAsync(db, [notification.UserId], content, now);
        return rows.Single();
    }

    /// <summary>
    /// The same notification for several users in two statements (a message to a big group chat does not cost
    /// one round trip per member). A collapsing notification replaces each owner's unread one with the same key:
    /// deleted and inserted anew, so it moves to the top of the newest-first list. When two writes collapse at
    /// the same moment on PostgreSQL, the unique index on unread keys makes the later one update the earlier.
    /// </summary>
    public static async Task<List<NotificationRow>> AddToEachAsync(
        DbSession db, IReadOnlyCollection<long> userIds, NotificationContent content, long now)
    {
        if (userIds.Count == 0)
        {
            return [];
        }
        var users = db.Dialect.Ids("@users", userIds);
        if (content.CollapseKey is not null)
        {
            await db.ExecuteAsync(
                $"DELETE FROM notifications WHERE user_id {users.In} AND collapse_key = @CollapseKey AND read_at IS NULL",
                new { content.CollapseKey, users = users.Value });
        }
        return await db.QueryRowsAsync(
            $"""
            INSERT INTO notifications (user_id, type, title, message, data, collapse_key, created_at, updated_at)
            SELECT id, @Type, @Title, @Message, @data, @CollapseKey, @now, @now FROM users WHERE id {users.In}
            ON CONFLICT (user_id, collapse_key) WHERE read_at IS NULL AND collapse_key IS NOT NULL
            DO UPDATE SET type = excluded.type, title = excluded.title, message = excluded.message, data = excluded.data,
                          updated_at = excluded.updated_at
            RETURNING {Columns}
            """,
            new { content.Type, content.Title, content.Message, data = JsonSerializer.Serialize(content.Data), content.CollapseKey, now, users = users.Value },
            ReadRow);
    }

    /// <summary>Newest first (ids only grow), strictly below <paramref name="beforeId"/> when given.</summary>
    public static async Task<List<NotificationRow>> PageAsync(DbSession db, long userId, long? beforeId, int take) =>
        await db.QueryRowsAsync(
            $"""
            SELECT {Columns} FROM notifications
            WHERE user_id = @userId {(beforeId is null ? "" : "AND id < @beforeId")}
            ORDER BY id DESC LIMIT @take
            """,
            new { userId, beforeId, take }, ReadRow);

    public static Task<long> CountUnreadAsync(DbSession db, long userId) =>
        db.QuerySingleAsync<long>("SELECT COUNT(*) FROM notifications WHERE user_id = @userId AND read_at IS NULL", new { userId });

    public static Task<NotificationRow?> FindAsync(DbSession db, long id) =>
        db.QuerySingleRowOrDefaultAsync($"SELECT {Columns} FROM notifications WHERE id = @id", new { id }, ReadRow);

    /// <summary>Marks one notification read; an already read one keeps its first <c>read_at</c>.</summary>
    public static Task MarkReadAsync(DbSession db, long id, long now) =>
        db.ExecuteAsync("UPDATE notifications SET read_at = @now, updated_at = @now WHERE id = @id AND read_at IS NULL", new { id, now });

    public static Task<int> MarkAllReadAsync(DbSession db, long userId, long now) =>
        db.ExecuteAsync(
            "UPDATE notifications SET read_at = @now, updated_at = @now WHERE user_id = @userId AND read_at IS NULL", new { userId, now });

    /// <summary>Marks the owner's unread notification with this collapse key read (e.g. when they read the chat).</summary>
    public static Task<int> MarkReadByKeyAsync(DbSession db, long userId, string collapseKey, long now) =>
        db.ExecuteAsync(
            """
            UPDATE notifications SET read_at = @now, updated_at = @now
            WHERE user_id = @userId AND collapse_key = @collapseKey AND read_at IS NULL
            """,
            new { userId, collapseKey, now });

    public static Task DeleteAsync(DbSession db, long id) =>
        db.ExecuteAsync("DELETE FROM notifications WHERE id = @id", new { id });

    /// <summary>
    /// Removes the notifications (read or not) of these users, with this collapse key, whose <c>data</c> has
    /// <paramref name="member"/> = <paramref name="value"/>: e.g. the preview of a message that was deleted.
    /// </summary>
    public static Task<int> DeleteReferencingAsync(DbSession db, IReadOnlyCollection<long> userIds, string collapseKey, string member, string value)
    {
        if (userIds.Count == 0)
        {
            return Task.FromResult(0);
        }
        var users = db.Dialect.Ids("@users", userIds);
        return db.ExecuteAsync(
            $"DELETE FROM notifications WHERE user_id {users.In} AND collapse_key = @collapseKey AND data LIKE @pattern ESCAPE '\\'",
            new { collapseKey, pattern = DataPattern(member, value), users = users.Value });
    }

    /// <summary>Replaces the <c>message</c> text of the notifications that <see cref="DeleteReferencingAsync"/> would match.</summary>
    public static Task<int> SetMessageReferencingAsync(
        DbSession db, IReadOnlyCollection<long> userIds, string collapseKey, string member, string value, string message)
    {
        if (userIds.Count == 0)
        {
            return Task.FromResult(0);
        }
        var users = db.Dialect.Ids("@users", userIds);
        return db.ExecuteAsync(
            $"""
            UPDATE notifications SET message = @message
            WHERE user_id {users.In} AND collapse_key = @collapseKey AND data LIKE @pattern ESCAPE '\'
            """,
            new { collapseKey, pattern = DataPattern(member, value), message, users = users.Value });
    }

    /// <summary>A LIKE pattern for <c>"member":"value"</c> in the compact JSON that <see cref="AddToEachAsync"/> writes.</summary>
    private static string DataPattern(string member, string value)
    {
        var pair = JsonSerializer.Serialize(member) + ":" + JsonSerializer.Serialize(value);
        return "%" + pair.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal) + "%";
    }

}
