using System.Net;
using System.Text.Json;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Messaging;

public sealed class MessageTestsOnSqlite(SqliteServer server) : MessageTests(server), IClassFixture<SqliteServer>;

public sealed class MessageTestsOnPostgres(PostgresServer server) : MessageTests(server), IClassFixture<PostgresServer>;

/// <summary>Sending, paging, editing and deleting messages; read markers and unread counts.</summary>
public abstract class MessageTests(MirageServer server)
{
    protected MirageClient Api => server.Client;

    private async Task<(TestUser Alice, TestUser Bob, string Dm)> PairAsync()
    {
        var alice = await Api.NewUserAsync("alice");
        var bob = await Api.NewUserAsync("bob");
        return (alice, bob, await Api.CreateChatIdAsync(alice, bob.Username));
    }

    [Fact]
    public async Task Sending_returns_the_seed_004_message_and_moves_the_chat_up()
    {
        var (alice, bob, dm) = await PairAsync();
        var before = await Api.ChatOfAsync(alice, dm);
        server.Clock.Advance(TimeSpan.FromSeconds(5));

        var message = await Api.SendAsync(alice, dm, "Hey, how's the project going?");
        Assert.StartsWith("msg_", message.Str("id"), StringComparison.Ordinal);
        Assert.Equal(dm, message.Str("chat_id"));
        Assert.Equal(await Api.IdOfAsync(alice), message.Str("user_id"));
        Assert.Equal("Hey, how's the project going?", message.Str("content"));
        Assert.Equal(message.Str("created_at"), message.Str("updated_at"));
        Assert.Equal(JsonValueKind.Null, message.GetProperty("edited_at").ValueKind);
        Assert.Equal(alice.Username, message.GetProperty("author").Str("username"));
        Assert.Equal(message.Str("user_id"), message.GetProperty("author").Str("id"));

        var chat = await Api.ChatOfAsync(bob, dm);
        Assert.Equal(message.Str("created_at"), chat.Str("updated_at"));
        Assert.NotEqual(before.Str("updated_at"), chat.Str("updated_at"));
        Assert.Equal(message.Str("id"), chat.GetProperty("last_message").Str("id"));
        Assert.Equal(1, chat.GetProperty("unread_count").GetInt64());
        Assert.Equal(0, (await Api.ChatOfAsync(alice, dm)).GetProperty("unread_count").GetInt64());
    }

    [Fact]
    public async Task Content_is_required_kept_verbatim_and_limited_to_4000_characters()
    {
        var (alice, _, dm) = await PairAsync();
        async Task<HttpResponseMessage> Send(object body) => await Api.PostAsync($"/v1/messages/{dm}", body, alice.Token, bearer: true);

        await (await Send(new { content = "" })).ShouldFailV1(HttpStatusCode.BadRequest, "content must not be empty");
        await (await Send(new { content = "   \n " })).ShouldFailV1(HttpStatusCode.BadRequest, "content must not be empty");
        await (await Send(new { })).ShouldFailV1(HttpStatusCode.BadRequest, "content must not be empty");
        await (await Send(new { content = new string('x', 4001) })).ShouldFailV1(HttpStatusCode.BadRequest, "message content cannot exceed 4000 characters");
        await (await Send(new { content = "nul\0byte" })).ShouldFailV1(HttpStatusCode.BadRequest, "content contains invalid characters");
        await (await Api.SendAsync(HttpMethod.Post, $"/v1/messages/{dm}",
            new StringContent("""{"content":"lone \ud800 surrogate"}""", System.Text.Encoding.UTF8, "application/json"), alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.BadRequest, "invalid value for 'content'");
        await (await Api.SendAsync(HttpMethod.Post, $"/v1/messages/{dm}",
            new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.BadRequest, "malformed JSON: the body must be a JSON object");

        var exact = await Api.SendAsync(alice, dm, new string('x', 4000));
        Assert.Equal(4000, exact.Str("content").Length);
        var verbatim = await Api.SendAsync(alice, dm, "  indented\n\tcode 🎉 <b>not html</b>  ");
        Assert.Equal("  indented\n\tcode 🎉 <b>not html</b>  ", verbatim.Str("content"));
    }

    [Fact]
    public async Task A_NUL_character_is_a_400_or_404_never_a_database_error()
    {
        var (alice, bob, _) = await PairAsync();
        await (await Api.PostAsync("/api/register", new { username = MirageClient.UniqueName(), email = $"{Guid.NewGuid():N}@example.com", password = MirageClient.Password, description = "a\0b" }))
            .ShouldFail(HttpStatusCode.BadRequest, "description contains invalid characters");
        await (await Api.PostAsync("/api/user/settings", new { custom_css = "a\0b" }, alice.Token)).ShouldFail(HttpStatusCode.BadRequest, "custom_css contains invalid characters");
        await (await Api.PostAsync("/api/user/settings", new { avatar_url = "https://example.com/a\0b.png" }, alice.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "avatar_url contains invalid characters");
        await (await Api.PostAsync("/api/login", new { username = "ab\0c", password = MirageClient.Password })).ShouldFail(HttpStatusCode.NotFound, "user not found");
        await (await Api.PostAsync("/api/send_inbox_message", new { recipient = bob.Username, message = "a\0b" }, alice.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "message contains invalid characters");
        await (await Api.PostAsync("/api/send_inbox_message", new { recipient = "bo\0b", message = "hi" }, alice.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "invalid value for 'recipient'");
        await (await Api.PostAsync("/v1/messages/chat", new { participant_ids = new[] { "bo\0b" } }, alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.BadRequest, "invalid value for 'participant_ids'");
    }

    [Fact]
    public async Task Messages_page_chronologically_with_a_cursor_and_stay_stable_while_new_ones_arrive()
    {
        var (alice, bob, dm) = await PairAsync();
        for (var i = 1; i <= 7; i++)
        {
            await Api.SendAsync(i % 2 == 0 ? bob : alice, dm, $"m{i}");
        }

        var first = await Api.MessagesAsync(bob, dm, "?limit=3");
        Assert.Equal(new[] { "m5", "m6", "m7" }, first.GetProperty("messages").EnumerateArray().Select(m => m.Str("content")));
        var cursor = first.Str("next_cursor");

        // New messages after page 1 do not shift the pages that follow.
        await Api.SendAsync(alice, dm, "m8");
        await Api.SendAsync(bob, dm, "m9");
        var second = await Api.MessagesAsync(bob, dm, $"?limit=3&cursor={cursor}");
        Assert.Equal(new[] { "m2", "m3", "m4" }, second.GetProperty("messages").EnumerateArray().Select(m => m.Str("content")));
        var third = await Api.MessagesAsync(bob, dm, $"?limit=3&cursor={second.Str("next_cursor")}");
        Assert.Equal(new[] { "m1" }, third.GetProperty("messages").EnumerateArray().Select(m => m.Str("content")));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("next_cursor").ValueKind);

        var all = await Api.MessagesAsync(alice, dm);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"m{i}"), all.GetProperty("messages").EnumerateArray().Select(m => m.Str("content")));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Page_size_defaults_to_50_is_capped_at_100_and_bad_paging_input_is_400()
    {
        var (alice, _, dm) = await PairAsync();
        for (var i = 0; i < 105; i++)
        {
            await Api.SendAsync(alice, dm, $"n{i}");
        }
        Assert.Equal(50, (await Api.ContentsAsync(alice, dm)).Count);
        var capped = await Api.ContentsAsync(alice, dm, "?limit=1000");
        Assert.Equal(100, capped.Count);
        Assert.Equal("n104", capped[^1]);

        await (await Api.GetAsync($"/v1/messages/{dm}?limit=0", alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.BadRequest, "limit must be a positive number");
        await (await Api.GetAsync($"/v1/messages/{dm}?limit=abc", alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.BadRequest, "invalid value for 'limit'");
        await (await Api.GetAsync($"/v1/messages/{dm}?cursor=garbage!", alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.BadRequest, "invalid cursor");
        await (await Api.GetAsync("/v1/messages/not-a-chat", alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.NotFound, "chat not found");
    }

    [Fact]
    public async Task Only_the_author_edits_and_deletes_and_deleted_messages_vanish_everywhere()
    {
        var (alice, bob, dm) = await PairAsync();
        var first = await Api.SendAsync(alice, dm, "first");
        var second = await Api.SendAsync(alice, dm, "secnod");
        server.Clock.Advance(TimeSpan.FromMinutes(2));

        var edited = (await (await Api.PatchAsync($"/v1/messages/msg/{second.Str("id")["msg_".Length..]}", new { content = "second" }, alice.Token))
            .ShouldBe(HttpStatusCode.OK)).GetProperty("message");
        Assert.Equal("second", edited.Str("content"));
        Assert.Equal(second.Str("created_at"), edited.Str("created_at"));
        Assert.Equal(edited.Str("updated_at"), edited.Str("edited_at"));
        Assert.True(string.CompareOrdinal(edited.Str("updated_at"), second.Str("updated_at")) > 0);

        await (await Api.PatchAsync($"/v1/messages/msg/{second.Str("id")}", new { content = "mine now" }, bob.Token))
            .ShouldFailV1(HttpStatusCode.Forbidden, "you can only edit your own messages");
        await (await Api.PatchAsync($"/v1/messages/msg/{second.Str("id")}", new { content = " " }, alice.Token))
            .ShouldFailV1(HttpStatusCode.BadRequest, "content must not be empty");
        await (await Api.DeleteAsync($"/v1/messages/msg/{first.Str("id")}", bob.Token))
            .ShouldFailV1(HttpStatusCode.Forbidden, "you can only delete your own messages");
        Assert.Equal(new[] { "first", "second" }, await Api.ContentsAsync(bob, dm));

        var deleted = await (await Api.DeleteAsync($"/v1/messages/msg/{second.Str("id")}", alice.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Message deleted", deleted.Str("message"));
        Assert.Equal(new[] { "first" }, await Api.ContentsAsync(bob, dm));
        var chat = await Api.ChatOfAsync(bob, dm);
        Assert.Equal(first.Str("id"), chat.GetProperty("last_message").Str("id"));
        Assert.Equal(1, chat.GetProperty("unread_count").GetInt64());
        Assert.Equal(1, await Api.UnreadAsync(bob));

        await (await Api.DeleteAsync($"/v1/messages/msg/{second.Str("id")}", alice.Token))
            .ShouldFailV1(HttpStatusCode.NotFound, "message not found");
        await (await Api.PatchAsync($"/v1/messages/msg/{second.Str("id")}", new { content = "back" }, alice.Token))
            .ShouldFailV1(HttpStatusCode.NotFound, "message not found");
        await (await Api.DeleteAsync("/v1/messages/msg/msg_x", alice.Token)).ShouldFailV1(HttpStatusCode.NotFound, "message not found");
    }

    [Fact]
    public async Task Read_markers_drive_unread_counts_per_chat_and_in_total()
    {
        var (alice, bob, dm) = await PairAsync();
        var carol = await Api.NewUserAsync("carol");
        var group = await Api.CreateChatIdAsync(carol, alice.Username, bob.Username);
        var m1 = await Api.SendAsync(alice, dm, "one");
        var m2 = await Api.SendAsync(alice, dm, "two");
        await Api.SendAsync(alice, dm, "three");
        await Api.SendAsync(bob, group, "bob's own message never counts for bob");
        await Api.SendAsync(carol, group, "group hello");

        Assert.Equal(4, await Api.UnreadAsync(bob));
        Assert.Equal(3, (await Api.ChatOfAsync(bob, dm)).GetProperty("unread_count").GetInt64());

        var read = await (await Api.PostAsync($"/v1/messages/{dm}/read", new { message_id = m2.Str("id") }, bob.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, read.GetProperty("unread_count").GetInt64());
        Assert.Equal(dm, read.Str("chat_id"));
        Assert.Equal(2, await Api.UnreadAsync(bob));

        // The marker never moves back.
        await (await Api.PostAsync($"/v1/messages/{dm}/read", new { message_id = m1.Str("id") }, bob.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, (await Api.ChatOfAsync(bob, dm)).GetProperty("unread_count").GetInt64());

        // No body: everything in the chat is read.
        var all = await (await Api.PostAsync($"/v1/messages/{dm}/read", null, bob.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(0, all.GetProperty("unread_count").GetInt64());
        Assert.Equal(1, await Api.UnreadAsync(bob));

        // Replying counts as reading the chat.
        await Api.SendAsync(bob, group, "reply");
        Assert.Equal(0, await Api.UnreadAsync(bob));
        Assert.Equal(1, await Api.UnreadAsync(carol)); // "reply"; her own later message read the earlier one

        var otherChatMessage = await Api.SendAsync(carol, group, "elsewhere");
        await (await Api.PostAsync($"/v1/messages/{dm}/read", new { message_id = otherChatMessage.Str("id") }, bob.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.NotFound, "message not found");
        await (await Api.PostAsync($"/v1/messages/{dm}/read", new { message_id = "msg_999999999" }, bob.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.NotFound, "message not found");
    }

    [Fact]
    public async Task Chats_list_newest_activity_first_with_cursor_paging_that_never_repeats_a_chat()
    {
        var me = await Api.NewUserAsync("me");
        var chats = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var other = await Api.NewUserAsync($"p{i}");
            chats.Add(await Api.CreateChatIdAsync(me, other.Username));
            server.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        // Activity order: chats[4], [3], [2], [1], [0]; then chats[1] gets a message.
        var partnerOfOne = (await Api.ChatOfAsync(me, chats[1])).GetProperty("chat_participants")[1].GetProperty("profiles").Str("username");
        var page1 = await Api.ChatsAsync(me, "?limit=2");
        Assert.Equal(new[] { chats[4], chats[3] }, page1.GetProperty("chats").Ids());

        await Api.SendAsync(me, chats[1], $"hi {partnerOfOne}");
        var page2 = await Api.ChatsAsync(me, $"?limit=2&cursor={page1.Str("next_cursor")}");
        Assert.Equal(new[] { chats[2], chats[0] }, page2.GetProperty("chats").Ids());
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("next_cursor").ValueKind);

        var fresh = await Api.ChatsAsync(me);
        Assert.Equal(new[] { chats[1], chats[4], chats[3], chats[2], chats[0] }, fresh.GetProperty("chats").Ids());
        Assert.Equal($"hi {partnerOfOne}", fresh.GetProperty("chats")[0].GetProperty("last_message").Str("content"));
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("chats")[1].GetProperty("last_message").ValueKind);
        await (await Api.GetAsync("/v1/messages?limit=-1", me.Token, bearer: true)).ShouldFailV1(HttpStatusCode.BadRequest, "limit must be a positive number");
    }
}
