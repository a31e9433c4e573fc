using Microsoft.Extensions.DependencyInjection;
using Mirage.Common;
using Mirage.Messaging;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Messaging;

public sealed class LuaMessagesApiTestsOnSqlite(SqliteServer server) : LuaMessagesApiTests(server), IClassFixture<SqliteServer>;

public sealed class LuaMessagesApiTestsOnPostgres(PostgresServer server) : LuaMessagesApiTests(server), IClassFixture<PostgresServer>;

/// <summary>
/// The MessagingService operations seed 002's <c>api.messages</c> binding will call (get, send by id or
/// username, chat pages, conversations, unread, edit, delete). No HTTP surface of their own yet, so the tests
/// call the service the app resolved, and check the results against HTTP.
/// </summary>
public abstract class LuaMessagesApiTests(MirageServer server)
{
    private MirageClient Api => server.Client;
    private MessagingService Messages => server.Factory.Services.GetRequiredService<MessagingService>();

    private async Task<(TestUser User, long Id)> UserAsync(string prefix)
    {
        var user = await Api.NewUserAsync(prefix);
        return (user, long.Parse((await Api.IdOfAsync(user))["user_".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Send_by_id_or_username_then_read_the_conversation_by_page()
    {
        var (alice, aliceId) = await UserAsync("alice");
        var (bob, bobId) = await UserAsync("bob");
        var first = await Messages.SendDirectAsync(aliceId, bobId.ToString(System.Globalization.CultureInfo.InvariantCulture), "Hey, how are you?");
        await Messages.SendDirectAsync(aliceId, bob.Username, "Hello from Lua!");
        for (var i = 1; i <= 5; i++)
        {
            await Messages.SendDirectAsync(bobId, $"user_{aliceId}", $"reply {i}");
        }

        var page1 = await Messages.GetConversationAsync(bobId, aliceId.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, 3);
        Assert.Equal(7, page1.Total);
        Assert.Equal(new[] { "reply 3", "reply 4", "reply 5" }, page1.Items.Select(m => m.Content));
        Assert.Equal(bob.Username, page1.Items[0].Author!.Username);
        var page3 = await Messages.GetConversationAsync(aliceId, bob.Username, 3, 3);
        Assert.Equal(new[] { "Hey, how are you?" }, page3.Items.Select(m => m.Content));
        Assert.Empty((await Messages.GetConversationAsync(aliceId, bob.Username, 4, 3)).Items);
        var defaults = await Messages.GetConversationAsync(aliceId, bob.Username, null, null);
        Assert.Equal(7, defaults.Items.Count);

        var stranger = await UserAsync("carol");
        Assert.Equal(0, (await Messages.GetConversationAsync(aliceId, stranger.User.Username, 1, 10)).Total);
        Assert.Equal(404, (await Assert.ThrowsAsync<MirageException>(() => Messages.GetConversationAsync(aliceId, "no_such_user_q", 1, 10))).Status);
        Assert.Equal(400, (await Assert.ThrowsAsync<MirageException>(() => Messages.GetConversationAsync(aliceId, bob.Username, 0, 10))).Status);

        // The same messages over HTTP.
        Assert.Equal(first.ChatId, (await Api.ChatsAsync(alice)).GetProperty("chats")[0].Str("id"));
    }

    [Fact]
    public async Task Conversations_unread_get_edit_and_delete()
    {
        var (alice, aliceId) = await UserAsync("alice");
        var (bob, bobId) = await UserAsync("bob");
        var (carol, carolId) = await UserAsync("carol");
        await Messages.SendDirectAsync(bobId, alice.Username, "from bob");
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var fromCarol = await Messages.SendDirectAsync(carolId, alice.Username, "from carol");

        var conversations = await Messages.ListConversationsAsync(aliceId);
        Assert.Equal(new[] { carol.Username, bob.Username }, conversations.Select(c => c.User.Username));
        Assert.Equal("from carol", conversations[0].LastMessage!.Content);
        Assert.Equal(1, conversations[0].UnreadCount);
        Assert.Equal(2, await Messages.CountUnreadAsync(aliceId));

        var messageId = MessageRules.ParseMessageId(fromCarol.Id);
        Assert.Equal("from carol", (await Messages.FindMessageAsync(aliceId, messageId))!.Content);
        Assert.Null(await Messages.FindMessageAsync(bobId, messageId));

        Assert.Equal(403, (await Assert.ThrowsAsync<MirageException>(() => Messages.EditMessageAsync(aliceId, messageId, "forged"))).Status);
        Assert.Equal("from carol, edited", (await Messages.EditMessageAsync(carolId, messageId, "from carol, edited")).Content);
        Assert.Equal(403, (await Assert.ThrowsAsync<MirageException>(() => Messages.DeleteMessageAsync(aliceId, messageId))).Status);
        await Messages.DeleteMessageAsync(carolId, messageId);
        Assert.Null(await Messages.FindMessageAsync(carolId, messageId));
        Assert.Equal(1, await Messages.CountUnreadAsync(aliceId));
        Assert.Equal(1, await Api.UnreadAsync(alice));
    }
}
