using System.Text.Json;
using Mirage.Data;

namespace Mirage.Notifications;

/// <summary>
/// SQL for <c>notifications</c>. Producers (follows, replies, mentions, messages) call <see cref="AddAsync"/>
/// inside their own write, so a notification exists exactly when the thing it announces does.
/// </summary>
public static class NotificationStore
{
    private const string Columns = "id, user_id, type, title, message, data, collapse_key, read_at, created_at, updated_at";

    /// <summary>Creates a notification (replacing an unread one with the same collapse key) and returns it.</summary>
    public static async Task<NotificationRow> AddAsync(DbSession db, NewNotification notification, long now)
    {
        if (notification.CollapseKey is not null)
        {
            await db.ExecuteAsync(
                "DELETE FROM notifications WHERE user_id = @UserId AND collapse_key = @CollapseKey AND read_at IS NULL",
                new { notification.UserId, notification.CollapseKey });
        }
        return await db.QuerySingleAsync<NotificationRow>(
            $"""
            INSERT INTO notifications (user_id, type, title, message, data, collapse_key, created_at, updated_at)
            VALUES (@UserId, @Type, @Title, @Message, @data, @CollapseKey, @now, @now)
            RETURNING {Columns}
            """,
            new
            {
                notification.UserId, notification.Type, notification.Title, notification.Message,
                data = JsonSerializer.Serialize(notification.Data), notification.CollapseKey, now,
            });
    }
}
