using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;
using Mirage.Notifications;

namespace Mirage.Social;

/// <summary>
/// The rules for follows. The profile counters move in the same write as the follow row, and the follow row's
/// primary key makes a second follow (even a racing one) a clear refusal instead of a duplicate.
/// </summary>
public sealed class FollowService(IDatabase database, PublicUrls urls, NotificationService notifications, TimeProvider clock)
{
    public const int DefaultListSize = 1000;
    public const int MaxListSize = 5000;

    /// <summary>Follows <paramref name="username"/> and returns its stored spelling.</summary>
    public Task<string> FollowAsync(CurrentUser user, string? username)
    {
        var name = RequireUsername(username);
        var now = clock.NowMs();
        return database.WriteAsync(async db =>
        {
            var target = await FindAsync(db, name);
            if (target.Id == user.Id)
            {
                throw MirageException.BadRequest("you cannot follow yourself");
            }
            if (!await FollowStore.InsertAsync(db, user.Id, target.Id, now))
            {
                throw MirageException.BadRequest("already following");
            }
            await FollowStore.AdjustCountsAsync(db, user.Id, target.Id, +1);
            await notifications.NotifyAsync(db, FollowNotification(user, target.Id), now);
            return target.Username;
        });
    }

    /// <summary>
    /// Following, unfollowing and following again leaves one unread notification, not three: the collapse key
    /// replaces the earlier one while it is unread.
    /// </summary>
    private static NewNotification FollowNotification(CurrentUser follower, long followeeId) => new(
        followeeId,
        NotificationTypes.Follow,
        "New follower",
        $"{follower.Username} started following you",
        new Dictionary<string, object?> { ["follower_id"] = PublicId.Format(PublicId.User, follower.Id) },
        CollapseKey: $"follow:{follower.Id}");

    /// <summary>Unfollows <paramref name="username"/> and returns its stored spelling.</summary>
    public Task<string> UnfollowAsync(CurrentUser user, string? username)
    {
        var name = RequireUsername(username);
        return database.WriteAsync(async db =>
        {
            var target = await FindAsync(db, name);
            if (!await FollowStore.DeleteAsync(db, user.Id, target.Id))
            {
                throw MirageException.BadRequest("not following this user");
            }
            await FollowStore.AdjustCountsAsync(db, user.Id, target.Id, -1);
            return target.Username;
        });
    }

    public async Task<bool> IsFollowingAsync(CurrentUser user, string? username)
    {
        var name = RequireUsername(username);
        return await database.ReadAsync(async db => await FollowStore.ExistsAsync(db, user.Id, (await FindAsync(db, name)).Id));
    }

    /// <summary>Who follows <paramref name="username"/>, newest first.</summary>
    public Task<IReadOnlyList<FollowEntry>> FollowersAsync(string username, int? limit) =>
        ListAsync(username, limit, FollowStore.ListFollowersAsync);

    /// <summary>Whom <paramref name="username"/> follows, newest first.</summary>
    public Task<IReadOnlyList<FollowEntry>> FollowingAsync(string username, int? limit) =>
        ListAsync(username, limit, FollowStore.ListFollowingAsync);

    private async Task<IReadOnlyList<FollowEntry>> ListAsync(
        string username, int? limit, Func<DbSession, long, int, Task<IEnumerable<FollowRow>>> list)
    {
        var size = PageSize.Clamp(limit, DefaultListSize, MaxListSize);
        var rows = await database.ReadAsync(async db => await list(db, (await FindAsync(db, username)).Id, size));
        return rows.Select(r => new FollowEntry(r.Username, urls.Avatar(r.AvatarUrl))).ToList();
    }

    private static string RequireUsername(string? username) =>
        string.IsNullOrWhiteSpace(username) ? throw MirageException.BadRequest("missing fields") : username.Trim();

    private static async Task<UserRow> FindAsync(DbSession db, string username) =>
        await AccountStore.FindByUsernameAsync(db, username) ?? throw MirageException.NotFound("user not found");
}
