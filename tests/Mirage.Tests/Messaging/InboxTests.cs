using System.Net;
using System.Text.Json;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Messaging;

public sealed class InboxTestsOnSqlite(SqliteServer server) : InboxTests(server), IClassFixture<SqliteServer>;

public sealed class InboxTestsOnPostgres(PostgresServer server) : InboxTests(server), IClassFixture<PostgresServer>;

/// <summary>The seed 000 inbox under /api, and that it is the same data as the /v1 DM chats.</summary>
public abstract class InboxTests(MirageServer server)
{
    protected MirageClient Api => server.Client;

    private async Task<JsonElement> SendInboxAsync(TestUser from, string recipient, string message)
    {
        var response = await Api.PostAsync("/api/send_inbox_message", new { recipient, message }, from.Token);
        var body = await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("message sent", body.Str("message"));
        return body;
    }

    private async Task<List<JsonElement>> InboxAsync(TestUser user, string query = "")
    {
        var body = await (await Api.GetAsync($"/api/inbox{query}", user.Token)).ShouldBe(HttpStatusCode.OK);
        return body.GetProperty("messages").EnumerateArray().ToList();
    }

    private async Task<(long Total, long Unread)> CountAsync(TestUser user)
    {
        var body = await (await Api.GetAsync("/api/inbox_count", user.Token)).ShouldBe(HttpStatusCode.OK);
        return (body.GetProperty("inbox_count").GetInt64(), body.GetProperty("unread_count").GetInt64());
    }

    [Fact]
    public async Task Seed_000_send_list_count_and_delete()
    {
        var alice = await Api.NewUserAsync("alice");
        var bob = await Api.NewUserAsync("bob");
        await (await Api.PostAsync("/api/user/settings", new { avatar_url = "https://example.com/alice.png" }, alice.Token)).ShouldBe(HttpStatusCode.OK);

        var sent = await SendInboxAsync(alice, bob.Username, "hello bob");
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await SendInboxAsync(bob, alice.Username, "hi alice");

        var bobsInbox = await InboxAsync(bob);
        Assert.Equal(new[] { "hi alice", "hello bob" }, bobsInbox.Select(m => m.Str("message")));
        var reply = bobsInbox[0];
        Assert.Equal(bob.Username, reply.Str("sender"));
        Assert.Equal(alice.Username, reply.Str("recipient"));
        Assert.EndsWith("/static/default-avatar.svg", reply.Str("avatar_url"), StringComparison.Ordinal);
        Assert.StartsWith("http", reply.Str("avatar_url"), StringComparison.Ordinal);
        var hello = bobsInbox[1];
        Assert.Equal(sent.GetProperty("message_id").GetInt64(), hello.GetProperty("id").GetInt64());
        Assert.Equal("https://example.com/alice.png", hello.Str("avatar_url"));
        Assert.Equal(alice.Username, hello.Str("sender"));
        var created = DateTimeOffset.Parse(hello.Str("created_at"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((server.Clock.GetUtcNow() - created).TotalMinutes) < 1);
        Assert.Equal(bobsInbox.Select(m => m.GetProperty("id").GetInt64()), (await InboxAsync(alice)).Select(m => m.GetProperty("id").GetInt64()));

        Assert.Equal((2L, 0L), await CountAsync(bob)); // listing the inbox read it
        var deleted = await (await Api.PostAsync("/api/delete_inbox_message", new { message_id = hello.GetProperty("id").GetInt64() }, bob.Token))
            .ShouldBe(HttpStatusCode.OK);
        Assert.Equal("message deleted successfully", deleted.Str("message"));
        Assert.Equal(new[] { "hi alice" }, (await InboxAsync(alice)).Select(m => m.Str("message")));
        Assert.Equal((1L, 0L), await CountAsync(alice));
        await (await Api.PostAsync("/api/delete_inbox_message", new { message_id = hello.GetProperty("id").GetInt64() }, alice.Token))
            .ShouldFail(HttpStatusCode.NotFound, "message not found or unauthorized access");
    }

    [Fact]
    public async Task Inbox_errors_are_the_originals()
    {
        var alice = await Api.NewUserAsync();
        await (await Api.PostAsync("/api/send_inbox_message", new { recipient = "nobody_at_all_x" , message = "hi" }, alice.Token))
            .ShouldFail(HttpStatusCode.NotFound, "recipient not found");
        await (await Api.PostAsync("/api/send_inbox_message", new { recipient = alice.Username }, alice.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "missing recipient or message");
        await (await Api.PostAsync("/api/send_inbox_message", new { message = "hi" }, alice.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "missing recipient or message");
        await (await Api.PostAsync("/api/send_inbox_message", new { recipient = alice.Username, message = "me" }, alice.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "you cannot send a message to yourself");
        var bob = await Api.NewUserAsync();
        await (await Api.PostAsync("/api/send_inbox_message", new { recipient = bob.Username, message = new string('y', 4001) }, alice.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "message content cannot exceed 4000 characters");
        await (await Api.PostAsync("/api/send_inbox_message", new { recipient = bob.Username, message = "hi" }))
            .ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.PostAsync("/api/delete_inbox_message", new { }, alice.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing message ID");
        await (await Api.PostAsync("/api/delete_inbox_message", new { message_id = 999999999 }, alice.Token))
            .ShouldFail(HttpStatusCode.NotFound, "message not found or unauthorized access");
        await (await Api.PostAsync("/api/delete_inbox_message", new { message_id = "abc" }, alice.Token))
            .ShouldFail(HttpStatusCode.NotFound, "message not found or unauthorized access");
        await (await Api.GetAsync("/api/inbox")).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.GetAsync("/api/inbox_count", "bogus")).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.PostRawAsync("/api/send_inbox_message", "not json", token: alice.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "malformed JSON: the body must be a JSON object");
        await (await Api.GetAsync("/api/inbox?limit=x", alice.Token)).ShouldFail(HttpStatusCode.BadRequest, "invalid value for 'limit'");
    }

    [Fact]
    public async Task Recipient_may_be_a_user_id_in_any_form()
    {
        var (alice, bob) = (await Api.NewUserAsync(), await Api.NewUserAsync());
        var bobId = await Api.IdOfAsync(bob);
        var number = long.Parse(bobId["user_".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var first = await SendInboxAsync(alice, bobId, "by public id");
        await (await Api.PostAsync("/api/send_inbox_message", new { recipient = number, message = "by json number" }, alice.Token)).ShouldBe(HttpStatusCode.OK);
        var third = await SendInboxAsync(alice, bob.Username.ToUpperInvariant(), "by username, any case");
        Assert.Equal(first.Str("chat_id"), third.Str("chat_id"));
        Assert.Equal(new[] { "by username, any case", "by json number", "by public id" }, (await InboxAsync(bob)).Select(m => m.Str("message")));
    }

    [Theory]
    [InlineData("user_1")]
    [InlineData("USER_42")]
    public async Task Usernames_shaped_like_user_ids_are_refused_so_a_recipient_is_never_ambiguous(string username)
    {
        var response = await Api.PostAsync("/api/register", new { username, email = $"{Guid.NewGuid():N}@example.com", password = MirageClient.Password });
        await response.ShouldFail(HttpStatusCode.BadRequest, "username cannot look like a user id (user_N)");
        await (await Api.PostAsync("/api/register", new { username = $"user_{Guid.NewGuid():N}"[..20] + "x", email = $"{Guid.NewGuid():N}@example.com", password = MirageClient.Password }))
            .ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_inbox_and_v1_are_one_model_both_ways()
    {
        var (alice, bob) = (await Api.NewUserAsync(), await Api.NewUserAsync());
        var sent = await SendInboxAsync(alice, bob.Username, "legacy hello");

        // /api → /v1: the DM exists, holds the message under the same number, and is what POST /chat finds.
        var chat = await Api.ChatOfAsync(bob, sent.Str("chat_id"));
        Assert.Equal("dm", chat.Str("type"));
        Assert.Equal("legacy hello", chat.GetProperty("last_message").Str("content"));
        Assert.Equal($"msg_{sent.GetProperty("message_id").GetInt64()}", chat.GetProperty("last_message").Str("id"));
        var open = await Api.PostAsync("/v1/messages/chat", new { participant_ids = new[] { alice.Username } }, bob.Token, bearer: true);
        Assert.True((await open.ShouldBe(HttpStatusCode.OK)).GetProperty("existing").GetBoolean());

        // /v1 → /api.
        var reply = await Api.SendAsync(bob, sent.Str("chat_id"), "modern reply");
        var inbox = await InboxAsync(alice);
        Assert.Equal(new[] { "modern reply", "legacy hello" }, inbox.Select(m => m.Str("message")));
        Assert.Equal(reply.Str("id"), $"msg_{inbox[0].GetProperty("id").GetInt64()}");

        // A /v1 edit and delete show in the inbox; a legacy delete shows in /v1.
        await (await Api.PatchAsync($"/v1/messages/msg/{reply.Str("id")}", new { content = "edited reply" }, bob.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("edited reply", (await InboxAsync(alice))[0].Str("message"));
        await (await Api.PostAsync("/api/delete_inbox_message", new { message_id = inbox[0].GetProperty("id").GetInt64() }, alice.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(new[] { "legacy hello" }, await Api.ContentsAsync(bob, sent.Str("chat_id")));
    }

    [Fact]
    public async Task Inbox_merges_many_dm_chats_newest_first_page_after_page()
    {
        var me = await Api.NewUserAsync("me");
        var partners = new List<TestUser>();
        for (var i = 0; i < 5; i++)
        {
            partners.Add(await Api.NewUserAsync($"p{i}"));
        }
        var expected = new List<string>();
        for (var round = 0; round < 4; round++)
        {
            foreach (var (partner, i) in partners.Select((p, i) => (p, i)).Where(x => (x.i + round) % 2 == 0))
            {
                var text = $"r{round} p{i}";
                await SendInboxAsync(round % 2 == 0 ? partner : me, round % 2 == 0 ? me.Username : partner.Username, text);
                expected.Insert(0, text);
                server.Clock.Advance(TimeSpan.FromMilliseconds(5));
            }
        }
        var seen = new List<string>();
        var page = await InboxAsync(me, "?limit=2");
        while (page.Count > 0)
        {
            seen.AddRange(page.Select(m => m.Str("message")));
            page = await InboxAsync(me, $"?limit=2&before={page[^1].GetProperty("id").GetInt64()}");
        }
        Assert.Equal(expected, seen);
        var oneShot = await InboxAsync(me);
        Assert.Equal(expected, oneShot.Select(m => m.Str("message")));
        Assert.All(oneShot.Where(m => m.Str("sender") == me.Username), m => Assert.NotEqual(me.Username, m.Str("recipient")));
    }

    [Fact]
    public async Task Group_messages_stay_out_of_the_inbox()
    {
        var (alice, bob, carol) = (await Api.NewUserAsync(), await Api.NewUserAsync(), await Api.NewUserAsync());
        var group = await Api.CreateChatIdAsync(alice, bob.Username, carol.Username);
        var groupMessage = await Api.SendAsync(alice, group, "to the group");
        await SendInboxAsync(alice, bob.Username, "just bob");
        Assert.Equal(new[] { "just bob" }, (await InboxAsync(bob)).Select(m => m.Str("message")));
        Assert.Equal((1L, 0L), await CountAsync(bob));
        Assert.Equal(1, await Api.UnreadAsync(bob)); // /v1 counts every chat: the group message is still unread
        await (await Api.PostAsync("/api/delete_inbox_message", new { message_id = groupMessage.Str("id")["msg_".Length..] }, bob.Token))
            .ShouldFail(HttpStatusCode.NotFound, "message not found or unauthorized access");
    }

    [Fact]
    public async Task Inbox_pages_with_limit_and_before_and_reads_only_what_it_shows()
    {
        var (alice, bob) = (await Api.NewUserAsync(), await Api.NewUserAsync());
        var carol = await Api.NewUserAsync();
        for (var i = 1; i <= 3; i++)
        {
            await SendInboxAsync(alice, bob.Username, $"a{i}");
        }
        for (var i = 1; i <= 3; i++)
        {
            await SendInboxAsync(carol, bob.Username, $"c{i}");
        }
        Assert.Equal((6L, 6L), await CountAsync(bob));

        // Showing Carol's messages reads her chat (a read marker is per chat); Alice's were not shown.
        var newest = await InboxAsync(bob, "?limit=3");
        Assert.Equal(new[] { "c3", "c2", "c1" }, newest.Select(m => m.Str("message")));
        Assert.Equal((6L, 3L), await CountAsync(bob));

        var older = await InboxAsync(bob, $"?limit=3&before={newest[^1].GetProperty("id").GetInt64()}");
        Assert.Equal(new[] { "a3", "a2", "a1" }, older.Select(m => m.Str("message")));
        Assert.Equal((6L, 0L), await CountAsync(bob));
        Assert.Empty(await InboxAsync(bob, $"?before={older[^1].GetProperty("id").GetInt64()}"));
        await (await Api.GetAsync("/api/inbox?before=999999999", bob.Token)).ShouldFail(HttpStatusCode.BadRequest, "before must be a message id");
    }
}
