using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Messaging;

public sealed class MessagingAuthorizationTestsOnSqlite(SqliteServer server) : MessagingAuthorizationTests(server), IClassFixture<SqliteServer>;

public sealed class MessagingAuthorizationTestsOnPostgres(PostgresServer server) : MessagingAuthorizationTests(server), IClassFixture<PostgresServer>;

/// <summary>A third user can read, send, edit, delete, archive and invite nothing in a chat that is not theirs.</summary>
public abstract class MessagingAuthorizationTests(MirageServer server)
{
    protected MirageClient Api => server.Client;

    [Fact]
    public async Task An_outsider_gets_404_for_the_chat_and_every_message_in_it_and_changes_nothing()
    {
        var (alice, bob, mallory) = (await Api.NewUserAsync("alice"), await Api.NewUserAsync("bob"), await Api.NewUserAsync("mallory"));
        var carol = await Api.NewUserAsync("carol");
        var dm = await Api.CreateChatIdAsync(alice, bob.Username);
        var group = await Api.CreateChatIdAsync(alice, bob.Username, carol.Username);
        var dmMessage = await Api.SendAsync(alice, dm, "private");
        var groupMessage = await Api.SendAsync(alice, group, "members only");
        var malloryId = await Api.IdOfAsync(mallory);

        foreach (var chat in new[] { dm, group })
        {
            await (await Api.GetAsync($"/v1/messages/{chat}", mallory.Token, bearer: true)).ShouldFailV1(HttpStatusCode.NotFound, "chat not found");
            await (await Api.PostAsync($"/v1/messages/{chat}", new { content = "let me in" }, mallory.Token, bearer: true))
                .ShouldFailV1(HttpStatusCode.NotFound, "chat not found");
            await (await Api.PatchAsync($"/v1/messages/{chat}", new { name = "owned" }, mallory.Token)).ShouldFailV1(HttpStatusCode.NotFound, "chat not found");
            await (await Api.PostAsync($"/v1/messages/{chat}/archive", null, mallory.Token, bearer: true)).ShouldFailV1(HttpStatusCode.NotFound, "chat not found");
            await (await Api.PostAsync($"/v1/messages/{chat}/unarchive", null, mallory.Token, bearer: true)).ShouldFailV1(HttpStatusCode.NotFound, "chat not found");
            await (await Api.PostAsync($"/v1/messages/{chat}/invite", new { user_id = malloryId }, mallory.Token, bearer: true))
                .ShouldFailV1(HttpStatusCode.NotFound, "chat not found");
            await (await Api.PostAsync($"/v1/messages/{chat}/read", null, mallory.Token, bearer: true)).ShouldFailV1(HttpStatusCode.NotFound, "chat not found");
        }
        foreach (var message in new[] { dmMessage.Str("id"), groupMessage.Str("id") })
        {
            await (await Api.PatchAsync($"/v1/messages/msg/{message}", new { content = "defaced" }, mallory.Token))
                .ShouldFailV1(HttpStatusCode.NotFound, "message not found");
            await (await Api.DeleteAsync($"/v1/messages/msg/{message}", mallory.Token)).ShouldFailV1(HttpStatusCode.NotFound, "message not found");
            await (await Api.PostAsync("/api/delete_inbox_message", new { message_id = message["msg_".Length..] }, mallory.Token))
                .ShouldFail(HttpStatusCode.NotFound, "message not found or unauthorized access");
        }

        Assert.Empty((await Api.ChatsAsync(mallory)).GetProperty("chats").EnumerateArray());
        Assert.Equal(0, await Api.UnreadAsync(mallory));
        var inbox = await (await Api.GetAsync("/api/inbox", mallory.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Empty(inbox.GetProperty("messages").EnumerateArray());

        // Nothing changed for the members.
        Assert.Equal(new[] { "private" }, await Api.ContentsAsync(bob, dm));
        Assert.Equal(new[] { "members only" }, await Api.ContentsAsync(carol, group));
        var seen = await Api.ChatOfAsync(bob, group);
        Assert.Equal(3, seen.GetProperty("chat_participants").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, seen.GetProperty("name").ValueKind);
        Assert.False((await Api.ChatOfAsync(alice, dm)).GetProperty("archived").GetBoolean());
    }

    [Fact]
    public async Task A_member_can_neither_edit_nor_delete_another_members_message()
    {
        var (alice, bob, carol) = (await Api.NewUserAsync(), await Api.NewUserAsync(), await Api.NewUserAsync());
        var group = await Api.CreateChatIdAsync(alice, bob.Username, carol.Username);
        var message = await Api.SendAsync(alice, group, "alice's words");
        await (await Api.PatchAsync($"/v1/messages/msg/{message.Str("id")}", new { content = "carol's words" }, carol.Token))
            .ShouldFailV1(HttpStatusCode.Forbidden, "you can only edit your own messages");
        await (await Api.DeleteAsync($"/v1/messages/msg/{message.Str("id")}", carol.Token))
            .ShouldFailV1(HttpStatusCode.Forbidden, "you can only delete your own messages");
        // The legacy inbox covers DMs only, so it cannot delete a group member's message either.
        await (await Api.PostAsync("/api/delete_inbox_message", new { message_id = message.Str("id")["msg_".Length..] }, carol.Token))
            .ShouldFail(HttpStatusCode.NotFound, "message not found or unauthorized access");
        Assert.Equal(new[] { "alice's words" }, await Api.ContentsAsync(bob, group));
    }
}
