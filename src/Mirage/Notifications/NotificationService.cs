using System.Text.Json;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Notifications;

/// <summary>
/// The rules for reading and dismissing notifications: newest first, owner only. Producers create them with
/// <see cref="NotificationStore.AddAsync"/> inside their own writes.
/// </summary>
public sealed class NotificationService(IDatabase database, TimeProvider clock)
{
    public const string IdPrefix = "notif";
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 50;

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
