using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.WebApp;

public sealed class MessagesHttpTestsOnSqlite(WebAppSqliteServer server) : MessagesHttpTests(server), IClassFixture<WebAppSqliteServer>;

public sealed class MessagesHttpTestsOnPostgres(WebAppPostgresServer server) : MessagesHttpTests(server), IClassFixture<WebAppPostgresServer>;

/// <summary>Messages (DMs and groups) and notifications pages of the default web app.</summary>
public abstract class MessagesHttpTests(MirageServer server)
{
    private WebVisitor Visitor() => WebVisitor.For(server);

    private static async Task<HttpResponseMessage> FetchPostAsync(WebVisitor visitor, string path, params (string, string)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))),
        };
        request.Headers.Add("X-CSRF-Token", visitor.Csrf);
        request.Headers.Add("X-Requested-With", "fetch");
        return await visitor.Http.SendAsync(request);
    }

    [Fact]
    public async Task The_messages_page_shows_the_latest_thirty_conversations_and_all_on_request()
    {
        using var carol = Visitor();
        var carolName = await carol.SignUpAsync("carol");
        for (var i = 0; i < 31; i++)
        {
            var sender = await server.Client.NewUserAsync("s" + i);
            var sent = await server.Client.PostAsync("/api/send_inbox_message", new { recipient = carolName, message = $"note {i} from the crowd" }, sender.Token);
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }
        var latest = await carol.GetAsync("/messages");
        Assert.Equal(30, latest.Html.Split("<li class=\"convo").Length - 1);
        Assert.Contains("note 30 from the crowd", latest.Html);
        Assert.DoesNotContain("note 0 from the crowd", latest.Html);
        Assert.Contains("href=\"/messages?all=1\"", latest.Html);
        var all = await carol.GetAsync("/messages?all=1");
        Assert.Equal(31, all.Html.Split("<li class=\"convo").Length - 1);
        Assert.Contains("note 0 from the crowd", all.Html);
        Assert.DoesNotContain("href=\"/messages?all=1\"", all.Html);
    }

    [Fact]
    public async Task A_dm_starts_by_username_counts_as_unread_and_is_read_on_its_page()
    {
        using var alice = Visitor();
        using var bob = Visitor();
        var aliceName = await alice.SignUpAsync("alice");
        var bobName = await bob.SignUpAsync("bob");
        Assert.Contains("No conversations yet", (await bob.GetAsync("/messages")).Html);

        var started = await alice.PostAsync("/messages/new", ("username", bobName.ToUpperInvariant()), ("message", "hello bob"));
        Assert.Equal(HttpStatusCode.SeeOther, started.Status);
        Assert.Matches("^/messages/[0-9]+$", started.Location);
        var chat = await alice.GetAsync(started.Location!);
        Assert.Equal(HttpStatusCode.OK, chat.Status);
        Assert.Contains("hello bob", chat.Html);
        Assert.Contains("data-live-chat=\"chat_", chat.Html);

        var inbox = await bob.GetAsync("/messages");
        Assert.Contains("1 unread message", inbox.Html);
        Assert.Contains("hello bob", inbox.Html);
        Assert.Matches("data-badge=\"messages\"><span data-count>1<", inbox.Html);
        var aliceId = await bob.UserIdAsync(aliceName);
        var bobChat = await bob.GetAsync($"/messages/{aliceId}");
        Assert.Contains("hello bob", bobChat.Html);
        Assert.Contains("No unread messages", (await bob.GetAsync("/messages")).Html);

        var reply = await bob.PostAsync($"/messages/{aliceId}", ("content", "hi alice"));
        Assert.Equal(HttpStatusCode.SeeOther, reply.Status);
        Assert.Equal($"/messages/{aliceId}", reply.Location);
        var ajax = await FetchPostAsync(bob, $"/messages/{aliceId}", ("content", "by fetch"));
        Assert.Equal(HttpStatusCode.Created, ajax.StatusCode);
        Assert.Contains("by fetch", (await alice.GetAsync(started.Location!)).Html);
        var empty = await bob.SubmitAsync($"/messages/{aliceId}", ("content", "  "));
        Assert.Contains("Message cannot be empty", empty.Html);

        var nobody = await alice.SubmitAsync("/messages/new", ("username", "no_such_person_here"));
        Assert.Contains("There is no user called", nobody.Html);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("/messages/999999999")).Status);
        var self = await alice.GetAsync($"/messages/{aliceId}");
        Assert.Equal("/messages", self.Location);
    }

    [Fact]
    public async Task Own_messages_can_be_edited_and_deleted_and_chats_archived()
    {
        using var alice = Visitor();
        using var bob = Visitor();
        await alice.SignUpAsync("editor");
        var bobName = await bob.SignUpAsync("reader");
        var chat = await alice.SubmitAsync("/messages/new", ("username", bobName), ("message", "frist"));
        var messageId = WebVisitor.Find(chat, "action=\"/messages/m/([0-9]+)/edit\"");
        var chatId = WebVisitor.Find(chat, "action=\"/messages/c/([0-9]+)/archive\"");

        var edited = await alice.PostAsync($"/messages/m/{messageId}/edit", ("content", "first"));
        Assert.Equal(HttpStatusCode.SeeOther, edited.Status);
        Assert.Equal($"/messages/c/{chatId}", edited.Location);
        var dm = await alice.GetAsync(edited.Location!); // a DM's chat page sends on to the seed 002 page
        Assert.Equal(HttpStatusCode.Redirect, dm.Status);
        var page = await alice.GetAsync(dm.Location!);
        Assert.Contains(">first</p>", page.Html);
        Assert.DoesNotContain("<span hidden>· edited</span>", page.Html);

        var notMine = await bob.SubmitAsync($"/messages/m/{messageId}/delete");
        Assert.Contains("You can only delete your own messages.", notMine.Html);
        var notMineEdit = await bob.PostAsync($"/messages/m/{messageId}/edit", ("content", "hacked"));
        Assert.Equal(HttpStatusCode.SeeOther, notMineEdit.Status);

        Assert.Equal(HttpStatusCode.OK, (await FetchPostAsync(alice, $"/messages/c/{chatId}/typing")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FetchPostAsync(bob, $"/messages/c/{chatId}/read")).StatusCode);

        var deleted = await alice.PostAsync($"/messages/m/{messageId}/delete");
        Assert.Equal(HttpStatusCode.SeeOther, deleted.Status);
        Assert.Contains("No messages yet", (await alice.GetAsync((await alice.GetAsync(deleted.Location!)).Location!)).Html);

        var archived = await alice.SubmitAsync($"/messages/c/{chatId}/archive");
        Assert.Contains("Conversation archived.", archived.Html);
        var restored = await alice.SubmitAsync($"/messages/c/{chatId}/unarchive");
        Assert.Contains("Conversation restored.", restored.Html);
    }

    [Fact]
    public async Task Groups_are_created_renamed_invited_to_and_talked_in()
    {
        using var alice = Visitor();
        using var bob = Visitor();
        using var carol = Visitor();
        await alice.SignUpAsync("host");
        var bobName = await bob.SignUpAsync("member");
        var carolName = await carol.SignUpAsync("invitee");

        var none = await alice.SubmitAsync("/messages/groups", ("name", "Empty"), ("usernames", " , "));
        Assert.Contains("Add at least one member.", none.Html);
        var created = await alice.PostAsync("/messages/groups", ("name", "Book club"), ("usernames", bobName));
        Assert.Equal(HttpStatusCode.SeeOther, created.Status);
        Assert.Matches("^/messages/c/[0-9]+$", created.Location);
        var group = created.Location!;
        var page = await alice.GetAsync(group);
        Assert.Contains("<h1 id=\"chat-title\">Book club</h1>", page.Html);

        var sent = await alice.PostAsync(group, ("content", "welcome"));
        Assert.Equal(HttpStatusCode.SeeOther, sent.Status);
        Assert.Equal(HttpStatusCode.Created, (await FetchPostAsync(bob, group, ("content", "thanks"))).StatusCode);
        Assert.Contains("welcome", (await bob.GetAsync(group)).Html);
        Assert.Contains("Book club", (await bob.GetAsync("/messages")).Html);
        Assert.Contains("Message cannot be empty", (await alice.SubmitAsync(group, ("content", ""))).Html);

        Assert.Contains("Group renamed.", (await alice.SubmitAsync(group + "/rename", ("name", "Reading circle"))).Html);
        Assert.Contains("Reading circle", (await bob.GetAsync(group)).Html);
        var invited = await alice.SubmitAsync(group + "/invite", ("username", carolName));
        Assert.Contains($"@{carolName} was added to the group.", invited.Html);
        Assert.Contains("thanks", (await carol.GetAsync(group)).Html);
        Assert.Contains("There is no user called", (await alice.SubmitAsync(group + "/invite", ("username", "nobody_by_that_name"))).Html);

        using var stranger = Visitor();
        await stranger.SignUpAsync("stranger");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(group)).Status);
    }

    [Fact]
    public async Task Notifications_are_listed_marked_read_all_read_and_dismissed()
    {
        using var alice = Visitor();
        using var bob = Visitor();
        var aliceName = await alice.SignUpAsync("noticed");
        await bob.SignUpAsync("noticer");
        Assert.Contains("You’re all caught up", (await alice.GetAsync("/notifications")).Html);
        await bob.PostAsync($"/u/{aliceName}/follow");
        await bob.PostAsync("/posts", ("content", $"hey @{aliceName}"));

        var list = await alice.GetAsync("/notifications");
        Assert.Contains("2 unread", list.Html);
        Assert.Contains("Mark all read", list.Html);
        Assert.Matches("data-badge=\"notifications\"><span data-count>2<", list.Html);
        var first = WebVisitor.Find(list, "action=\"/notifications/([0-9]+)/read\"");
        var read = await alice.PostAsync($"/notifications/{first}/read");
        Assert.Equal(HttpStatusCode.SeeOther, read.Status);
        Assert.Equal("/notifications", read.Location);
        list = await alice.GetAsync("/notifications");
        Assert.Contains("1 unread", list.Html);
        Assert.DoesNotContain($"/notifications/{first}/read", list.Html);

        var all = await alice.SubmitAsync("/notifications/read-all");
        Assert.Contains("All caught up.", all.Html);
        Assert.DoesNotContain("Mark all read", all.Html);
        Assert.Matches("data-badge=\"notifications\" hidden><span data-count>0<", all.Html);

        var dismissed = await alice.SubmitAsync($"/notifications/{first}/dismiss");
        Assert.DoesNotContain($"/notifications/{first}/dismiss", dismissed.Html);
        var missing = await alice.SubmitAsync("/notifications/999999999/read");
        Assert.Contains("flash-error", missing.Html);
    }
}
