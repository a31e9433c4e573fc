using Mirage.Accounts;
using Mirage.Data;
using Mirage.Notifications;

namespace Mirage.Posts;

/// <summary>Turns the @usernames of a new post or reply into notifications, inside the write that creates it.</summary>
public static class MentionNotifier
{
    /// <summary>
    /// Notifies each mentioned existing user once, never the author, and never someone in
    /// <paramref name="alreadyNotified"/> (a post's author who gets a reply notification for the same reply).
    /// </summary>
    public static async Task NotifyAsync(
        NotificationService notifications, DbSession db, CurrentUser author, IReadOnlyList<string> usernameKeys, string where, string content,
        IReadOnlyDictionary<string, object?> data, long now, long alreadyNotified = 0)
    {
        if (usernameKeys.Count == 0)
        {
            return;
        }
        var keys = db.Dialect.Texts("@keys", usernameKeys);
        var users = await db.QueryIdsAsync($"SELECT id FROM users WHERE username_key {keys.In}", new { keys = keys.Value });
        var message = $"{author.Username} mentioned you in a {where}: {PostText.Snippet(content)}";
        var mentioned = users.Where(id => id != author.Id && id != alreadyNotified).ToList();
        await notifications.NotifyEachAsync(db, mentioned, new NotificationContent(NotificationTypes.Mention, "New mention", message, data), now);
    }
}
