namespace Mirage.Notifications;

/// <summary>Notification types (the <c>type</c> field of seed 004).</summary>
public static class NotificationTypes
{
    public const string NewMessage = "new_message";
    public const string Follow = "follow";
    public const string Reply = "reply";
    public const string Mention = "mention";
}

/// <summary>
/// A notification to create inside a feature's write. <paramref name="Data"/> is serialised as the JSON
/// <c>data</c> object (ids in their /v1 string form, e.g. <c>{"chat_id":"chat_7"}</c>).
/// <paramref name="CollapseKey"/>, when set, replaces the owner's unread notification with the same key.
/// </summary>
public sealed record NewNotification(
    long UserId,
    string Type,
    string Title,
    string Message,
    IReadOnlyDictionary<string, object?> Data,
    string? CollapseKey = null);

/// <summary>A row of <c>notifications</c>.</summary>
public sealed class NotificationRow
{
    public long Id { get; init; }
    public long UserId { get; init; }
    public string Type { get; init; } = "";
    public string Title { get; init; } = "";
    public string Message { get; init; } = "";
    public string Data { get; init; } = "{}";
    public string? CollapseKey { get; init; }
    public long? ReadAt { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
}
