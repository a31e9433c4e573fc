using System.Text.Json;

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

/// <summary>What a notification says, for <see cref="NotificationStore.AddToEachAsync"/> (the same to several owners).</summary>
public sealed record NotificationContent(
    string Type,
    string Title,
    string Message,
    IReadOnlyDictionary<string, object?> Data,
    string? CollapseKey = null);

/// <summary>A notification as <c>/v1/notifications</c> shows it (seed 004).</summary>
public sealed record NotificationDto(
    string Id,
    string NotifiableId,
    string Type,
    string Title,
    string Message,
    JsonElement Data,
    string? ReadAt,
    string CreatedAt,
    string UpdatedAt);

public sealed record NotificationPage(IReadOnlyList<NotificationDto> Notifications, long UnreadCount, string? NextCursor);

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
