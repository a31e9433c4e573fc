using System.Net;
using System.Text.Json;
using Mirage.Notifications;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Messaging;

namespace Mirage.Tests.Notifications;

public sealed class NotificationTestsOnSqlite(SqliteServer server) : NotificationTests(server), IClassFixture<SqliteServer>;

public sealed class NotificationTestsOnPostgres(PostgresServer server) : NotificationTests(server), IClassFixture<PostgresServer>;

/// <summary>/v1/notifications (seed 004) and the new_message producer: one per chat while unread.</summary>
public abstract class NotificationTests(MirageServer server)
{
    protected MirageClient Api => server.Client;

    private async Task<JsonElement> ListAsync(TestUser user, string query = "") =>
        await (await Api.GetAsync($"/v1/notifications{query}", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);

    private async Task<List<JsonElement>> NotificationsAsync(TestUser user) =>
        (await ListAsync(user)).GetProperty("notifications").EnumerateArray().ToList();

    /// <summary>What the social feature does when someone follows: a producer inside its own write.</summary>
    private async Task AddFollowNotificationAsync(string userId, string followerId)
    {
        var id = long.Parse(userId["user_".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await server.Database.WriteAsync(db => NotificationStore.AddAsync(db, new NewNotification(
            id, NotificationTypes.Follow, "New follower", "someone followed you",
            new Dictionary<string, object?> { ["follower_id"] = followerId }), now));
    }

    [Fact]
    public async Task A_message_notifies_the_recipient_once_per_chat_while_unread()
    {
        var (alice, bob) = (await Api.NewUserAsync("alice"), await Api.NewUserAsync("bob"));
        var dm = await Api.CreateChatIdAsync(alice, bob.Username);
        await Api.SendAsync(alice, dm, "first");
        await Api.SendAsync(alice, dm, "second");
        var last = await Api.SendAsync(alice, dm, new string('z', 200));

        Assert.Empty(await NotificationsAsync(alice));
        var list = await ListAsync(bob);
        Assert.Equal(1, list.GetProperty("unread_count").GetInt64());
        var notification = Assert.Single(list.GetProperty("notifications").EnumerateArray());
        Assert.StartsWith("notif_", notification.Str("id"), StringComparison.Ordinal);
        Assert.Equal(await Api.IdOfAsync(bob), notification.Str("notifiable_id"));
        Assert.Equal("new_message", notification.Str("type"));
        Assert.Equal($"New message from {alice.Username}", notification.Str("title"));
        Assert.Equal(new string('z', 140) + "…", notification.Str("message"));
        var data = notification.GetProperty("data");
        Assert.Equal(dm, data.Str("chat_id"));
        Assert.Equal(await Api.IdOfAsync(alice), data.Str("sender_id"));
        Assert.Equal(last.Str("id"), data.Str("message_id"));
        Assert.Equal(JsonValueKind.Null, notification.GetProperty("read_at").ValueKind);

        // Reading the chat reads its notification; the next message starts a new one.
        await (await Api.PostAsync($"/v1/messages/{dm}/read", null, bob.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        var read = Assert.Single(await NotificationsAsync(bob));
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("read_at").ValueKind);
        await Api.SendAsync(alice, dm, "again");
        var both = await ListAsync(bob);
        Assert.Equal(1, both.GetProperty("unread_count").GetInt64());
        Assert.Equal(new[] { "again", read.Str("message") }, both.GetProperty("notifications").EnumerateArray().Select(n => n.Str("message")));
    }

    [Fact]
    public async Task Concurrent_messages_still_collapse_into_one_unread_notification()
    {
        var (alice, bob, carol) = (await Api.NewUserAsync(), await Api.NewUserAsync(), await Api.NewUserAsync());
        var group = await Api.CreateChatIdAsync(alice, bob.Username, carol.Username);
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Api.SendAsync(i % 2 == 0 ? alice : carol, group, $"burst {i}")));
        var list = await ListAsync(bob);
        Assert.Equal(1, list.GetProperty("unread_count").GetInt64());
        var notification = Assert.Single(list.GetProperty("notifications").EnumerateArray());
        Assert.Equal(group, notification.GetProperty("data").Str("chat_id"));
        Assert.EndsWith(" in a group chat", notification.Str("title"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_producers_with_one_collapse_key_leave_one_unread_notification()
    {
        var bob = await Api.NewUserAsync();
        var bobId = long.Parse((await Api.IdOfAsync(bob))["user_".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => server.Database.WriteAsync(db => NotificationStore.AddAsync(db,
            new NewNotification(bobId, NotificationTypes.Mention, "Mentioned", $"mention {i}", new Dictionary<string, object?>(), "post:1"), now)))));
        var list = await ListAsync(bob);
        Assert.Equal(1, list.GetProperty("unread_count").GetInt64());
        Assert.StartsWith("mention ", Assert.Single(list.GetProperty("notifications").EnumerateArray()).Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_updates_and_deleting_removes_the_preview()
    {
        var (alice, bob) = (await Api.NewUserAsync(), await Api.NewUserAsync());
        var dm = await Api.CreateChatIdAsync(alice, bob.Username);
        var message = await Api.SendAsync(alice, dm, "tpyo");
        await (await Api.PatchAsync($"/v1/messages/msg/{message.Str("id")}", new { content = "typo fixed" }, alice.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("typo fixed", Assert.Single(await NotificationsAsync(bob)).Str("message"));
        await (await Api.DeleteAsync($"/v1/messages/msg/{message.Str("id")}", alice.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Empty(await NotificationsAsync(bob));
    }

    [Fact]
    public async Task Any_producer_type_renders_and_lists_page_newest_first()
    {
        var bob = await Api.NewUserAsync();
        var bobId = await Api.IdOfAsync(bob);
        for (var i = 0; i < 55; i++)
        {
            await AddFollowNotificationAsync(bobId, $"user_{1000 + i}");
        }
        var first = await ListAsync(bob);
        var page1 = first.GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(20, page1.Count);
        Assert.Equal(55, first.GetProperty("unread_count").GetInt64());
        Assert.Equal("follow", page1[0].Str("type"));
        Assert.Equal("New follower", page1[0].Str("title"));
        Assert.Equal("user_1054", page1[0].GetProperty("data").Str("follower_id"));

        var capped = await ListAsync(bob, "?limit=500");
        Assert.Equal(50, capped.GetProperty("notifications").GetArrayLength());
        var rest = await ListAsync(bob, $"?limit=50&cursor={capped.Str("next_cursor")}");
        Assert.Equal(
            Enumerable.Range(0, 5).Reverse().Select(i => $"user_{1000 + i}"),
            rest.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("data").Str("follower_id")));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_cursor").ValueKind);
        await (await Api.GetAsync("/v1/notifications?cursor=%25%25", bob.Token, bearer: true)).ShouldFailV1(HttpStatusCode.BadRequest, "invalid cursor");
        await (await Api.GetAsync("/v1/notifications?limit=0", bob.Token, bearer: true)).ShouldFailV1(HttpStatusCode.BadRequest, "limit must be a positive number");
    }

    [Fact]
    public async Task Mark_read_read_all_and_dismiss_are_owner_only()
    {
        var (alice, bob) = (await Api.NewUserAsync(), await Api.NewUserAsync());
        var bobId = await Api.IdOfAsync(bob);
        await AddFollowNotificationAsync(bobId, "user_1");
        await AddFollowNotificationAsync(bobId, "user_2");
        await AddFollowNotificationAsync(bobId, "user_3");
        var ids = (await NotificationsAsync(bob)).Select(n => n.Str("id")).ToList();

        await (await Api.PatchAsync($"/v1/notifications/{ids[0]}/read", null, alice.Token))
            .ShouldFailV1(HttpStatusCode.Forbidden, "this notification belongs to another user");
        await (await Api.DeleteAsync($"/v1/notifications/{ids[0]}", alice.Token))
            .ShouldFailV1(HttpStatusCode.Forbidden, "this notification belongs to another user");
        await (await Api.PatchAsync("/v1/notifications/notif_999999999/read", null, bob.Token)).ShouldFailV1(HttpStatusCode.NotFound, "notification not found");
        await (await Api.PatchAsync("/v1/notifications/garbage/read", null, bob.Token)).ShouldFailV1(HttpStatusCode.NotFound, "notification not found");
        await (await Api.DeleteAsync("/v1/notifications/notif_999999999", bob.Token)).ShouldFailV1(HttpStatusCode.NotFound, "notification not found");
        await (await Api.GetAsync("/v1/notifications")).ShouldFailV1(HttpStatusCode.Unauthorized, "unauthorized");

        var marked = await (await Api.PatchAsync($"/v1/notifications/{ids[0]}/read", null, bob.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Marked as read", marked.Str("message"));
        var first = (await NotificationsAsync(bob))[0];
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        await (await Api.PatchAsync($"/v1/notifications/{ids[0]}/read", null, bob.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(first.Str("read_at"), (await NotificationsAsync(bob))[0].Str("read_at"));
        Assert.Equal(2, (await ListAsync(bob)).GetProperty("unread_count").GetInt64());

        var all = await (await Api.PostAsync("/v1/notifications/read-all", null, bob.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("All marked as read", all.Str("message"));
        Assert.Equal(0, (await ListAsync(bob)).GetProperty("unread_count").GetInt64());
        Assert.All(await NotificationsAsync(bob), n => Assert.NotEqual(JsonValueKind.Null, n.GetProperty("read_at").ValueKind));

        var dismissed = await (await Api.DeleteAsync($"/v1/notifications/{ids[1]}", bob.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Notification dismissed", dismissed.Str("message"));
        Assert.Equal(new[] { ids[0], ids[2] }, (await NotificationsAsync(bob)).Select(n => n.Str("id")));
    }
}
