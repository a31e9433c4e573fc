using System.Text.Json;
using Mirage.Common;
using Mirage.Data;
using Mirage.Realtime;

namespace Mirage.Notifications;

/// <summary>
/// The rules for reading and dismissing notifications: newest first, owner only. Producers create them inside
/// their own writes with <see cref="NotifyAsync"/>, which also announces them on the owner's real-time stream
/// (<see cref="NotificationStore.AddAsync"/> alone stores them silently).
/// </summary>
public sealed class NotificationService(IDatabase database, EventStream events, TimeProvider clock)
{
    public const string IdPrefix = "notif";
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 50;

    /// <summary>Creates a notification inside <paramref name="db"/>'s write and sends <c>notification.created</c> to its owner.</summary>
    public async Task<NotificationRow> NotifyAsync(DbSession db, NewNotification notification, long now)
    {
        var row = await NotificationStore.AddAsync(db, notification, now);
        Announce(db, [row]);
        return row;
    }

    /// <summary>The same notification for several users (see <see cref="NotificationStore.AddToEachAsync"/>), each announced.</summary>
    public async Task<List<NotificationRow>> NotifyEachAsync(DbSession db, IReadOnlyCollection<long> userIds, NotificationContent content, long now)
    {
        var rows = await NotificationStore.AddToEachAsync(db, userIds, content, now);
        Announce(db, rows);
        return rows;
    }

    private void Announce(DbSession db, IEnumerable<NotificationRow> rows)
    {
        foreach (var row in rows)
        {
            events.Append(db, [row.UserId], StreamEventTypes.NotificationCreated, ToDto(row));
        }
    }

    public Task<NotificationPage> ListAsync(long userId, int? limit, string? cursor)
    {
        var take = PageSize.Clamp(limit, DefaultPageSize, MaxPageSize);
        var before = Cursor.Decode(cursor, 1)?[0];
        return database.ReadAsync(async db =>
        {
            var rows = await NotificationStore.PageAsync(db, userId, before, take + 1);
            var unread = await NotificationStore.CountUnreadAsync(db, userId);
            var page = rows.Take(take).Select(ToDto).ToList();
            var next = rows.Count > take ? Cursor.Encode(rows[take - 1].Id) : null;
            return new NotificationPage(page, unread, next);
        });
    }

    public Task<long> CountUnreadAsync(long userId) => database.ReadAsync(db => NotificationStore.CountUnreadAsync(db, userId));

    public Task MarkReadAsync(long userId, string? id) =>
        database.WriteAsync(async db =>
        {
            var row = await FindOwnAsync(db, userId, id);
            await NotificationStore.MarkReadAsync(db, row.Id, clock.NowMs());
            return true;
        });

    public Task<int> MarkAllReadAsync(long userId) =>
        database.WriteAsync(db => NotificationStore.MarkAllReadAsync(db, userId, clock.NowMs()));

    public Task DismissAsync(long userId, string? id) =>
        database.WriteAsync(async db =>
        {
            var row = await FindOwnAsync(db, userId, id);
            await NotificationStore.DeleteAsync(db, row.Id);
            return true;
        });

    private static async Task<NotificationRow> FindOwnAsync(DbSession db, long userId, string? id)
    {
        var row = PublicId.TryParse(id, IdPrefix, out var notificationId) ? await NotificationStore.FindAsync(db, notificationId) : null;
        if (row is null)
        {
            throw MirageException.NotFound("notification not found");
        }
        return row.UserId == userId ? row : throw MirageException.Forbidden("this notification belongs to another user");
    }

    public static NotificationDto ToDto(NotificationRow row) => new(
        PublicId.Format(IdPrefix, row.Id),
        PublicId.Format(PublicId.User, row.UserId),
        row.Type,
        row.Title,
        row.Message,
        ParseData(row.Data),
        row.ReadAt is { } readAt ? Time.ToIso(readAt) : null,
        Time.ToIso(row.CreatedAt),
        Time.ToIso(row.UpdatedAt));

    private static JsonElement ParseData(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : EmptyObject();
        }
        catch (JsonException)
        {
            return EmptyObject();
        }
    }

    private static JsonElement EmptyObject()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }
}
