using System.Net;
using System.Net.Http.Headers;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.WebApp;

public sealed class RoomsHttpTestsOnSqlite(WebAppSqliteServer server) : RoomsHttpTests(server), IClassFixture<WebAppSqliteServer>;

public sealed class RoomsHttpTestsOnPostgres(WebAppPostgresServer server) : RoomsHttpTests(server), IClassFixture<WebAppPostgresServer>;

/// <summary>The rooms pages: list, create, join (with a password), messages, files, members, leave, delete.</summary>
public abstract class RoomsHttpTests(MirageServer server)
{
    private WebVisitor Visitor() => WebVisitor.For(server);

    private static async Task<(string Id, WebPage Page)> CreateAsync(WebVisitor owner, string name, string? password = null)
    {
        var fields = new List<(string, string)> { ("name", name) };
        if (password is not null)
        {
            fields.Add(("is_private", "1"));
            fields.Add(("password", password));
        }
        var posted = await owner.PostAsync("/rooms", [.. fields]);
        Assert.Equal(HttpStatusCode.SeeOther, posted.Status);
        Assert.Matches("^/rooms/[0-9]+$", posted.Location);
        var page = await owner.GetAsync(posted.Location!);
        Assert.Contains($"Room \"{name}\" created.", System.Net.WebUtility.HtmlDecode(page.Html));
        return (posted.Location!["/rooms/".Length..], page);
    }

    [Fact]
    public async Task A_public_room_is_listed_joined_talked_in_and_left()
    {
        using var owner = Visitor();
        using var guest = Visitor();
        await owner.SignUpAsync("owner");
        var guestName = await guest.SignUpAsync("roomie");
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/rooms")).Status);
        var name = "Lobby " + Guid.NewGuid().ToString("N")[..6];
        var (id, room) = await CreateAsync(owner, name);
        Assert.Contains("<h1 id=\"room-title\">" + name + "</h1>", room.Html);
        Assert.Contains("Delete room", room.Html);

        var list = await guest.GetAsync("/rooms");
        Assert.Contains($"href=\"/rooms/{id}\">{name}</a>", list.Html);
        Assert.Contains($"action=\"/rooms/{id}/join\"", list.Html);
        var join = await guest.GetAsync($"/rooms/{id}");
        Assert.Contains("Join room", join.Html);
        Assert.DoesNotContain("Room password", join.Html);
        var joined = await guest.SubmitAsync($"/rooms/{id}/join");
        Assert.Contains($"Welcome to {name}.", joined.Html);
        Assert.Contains("Leave", joined.Html);

        var sent = await guest.PostAsync($"/rooms/{id}/messages", ("content", "hi all"));
        Assert.Equal(HttpStatusCode.SeeOther, sent.Status);
        Assert.Equal($"/rooms/{id}", sent.Location);
        Assert.Contains("hi all", (await owner.GetAsync($"/rooms/{id}")).Html);
        var empty = await guest.SubmitAsync($"/rooms/{id}/messages", ("content", " "));
        Assert.Contains("Write a message first.", empty.Html);

        using var fetch = new HttpRequestMessage(HttpMethod.Post, $"/rooms/{id}/messages") { Content = new FormUrlEncodedContent([new("content", "by fetch")]) };
        fetch.Headers.Add("X-CSRF-Token", guest.Csrf);
        fetch.Headers.Add("X-Requested-With", "fetch");
        var ajax = await guest.Http.SendAsync(fetch);
        Assert.Equal(HttpStatusCode.Created, ajax.StatusCode);

        var members = await owner.GetAsync($"/rooms/{id}/members");
        Assert.Equal(HttpStatusCode.OK, members.Status);
        Assert.Contains("@" + guestName, members.Html);
        Assert.Contains("Owner", members.Html);

        var left = await guest.SubmitAsync($"/rooms/{id}/leave");
        Assert.Contains("You left the room.", left.Html);
        Assert.Contains("Join room", (await guest.GetAsync($"/rooms/{id}")).Html);
    }

    [Fact]
    public async Task A_private_room_is_joined_by_its_link_or_its_name_with_the_password()
    {
        using var owner = Visitor();
        using var guest = Visitor();
        using var other = Visitor();
        await owner.SignUpAsync("secret");
        await guest.SignUpAsync("knock");
        await other.SignUpAsync("byname");
        var name = "Hideout " + Guid.NewGuid().ToString("N")[..6];
        var (id, _) = await CreateAsync(owner, name, "open sesame");
        Assert.DoesNotContain(name, (await guest.GetAsync("/rooms")).Html);

        var join = await guest.GetAsync($"/rooms/{id}");
        Assert.Equal(HttpStatusCode.NotFound, join.Status); // the same answer as for a room that does not exist
        Assert.Contains("<label for=\"join-password\">Room password</label>", join.Html);
        Assert.DoesNotContain(name, join.Html);
        var wrong = await guest.SubmitAsync($"/rooms/{id}/join", ("password", "nope"));
        Assert.Contains("flash-error", wrong.Html);
        Assert.Contains("Room password", wrong.Html);
        var right = await guest.SubmitAsync($"/rooms/{id}/join", ("password", "open sesame"));
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains($"Welcome to {name}.", right.Html);
        Assert.Contains("Private", right.Html);

        var rooms = await other.GetAsync("/rooms");
        Assert.Contains("<label for=\"join-name\">Room name</label>", rooms.Html);
        Assert.Contains("flash-error", (await other.SubmitAsync("/rooms/join", ("name", name), ("password", "nope"))).Html);
        Assert.Contains("Type the room", (await other.SubmitAsync("/rooms/join", ("name", " "), ("password", "x"))).Html);
        var byName = await other.PostAsync("/rooms/join", ("name", name), ("password", "open sesame"));
        Assert.Equal(HttpStatusCode.SeeOther, byName.Status);
        Assert.Equal($"/rooms/{id}", byName.Location);
        Assert.Contains("3 members", (await other.GetAsync(byName.Location!)).Html);

        var noPassword = await owner.SubmitAsync("/rooms", ("name", "Nopass"), ("is_private", "1"), ("password", ""));
        Assert.Contains("flash-error", noPassword.Html);
        var noName = await owner.SubmitAsync("/rooms", ("name", "  "));
        Assert.Contains("flash-error", noName.Html);
    }

    [Fact]
    public async Task Files_upload_into_the_room_and_only_the_owner_deletes_it()
    {
        using var owner = Visitor();
        using var guest = Visitor();
        await owner.SignUpAsync("uploader");
        await guest.SignUpAsync("outsider");
        var (id, _) = await CreateAsync(owner, "Files " + Guid.NewGuid().ToString("N")[..6]);

        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(owner.Csrf!), "csrf_token");
        var file = new ByteArrayContent("hello, file"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "file", "notes.txt");
        var uploaded = await owner.Http.PostAsync($"/rooms/{id}/files", form);
        Assert.Equal(HttpStatusCode.SeeOther, uploaded.StatusCode);
        var room = await owner.GetAsync($"/rooms/{id}");
        Assert.Contains("Shared notes.txt.", room.Html);
        var url = WebVisitor.Find(room, "(https?://[^\\s<\"]+notes\\.txt)");
        var download = await owner.Http.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("hello, file", await download.Content.ReadAsStringAsync());

        var missing = await owner.SubmitAsync($"/rooms/{id}/files");
        Assert.Contains("Choose a file to share.", missing.Html);

        await guest.SubmitAsync($"/rooms/{id}/join");
        var notOwner = await guest.SubmitAsync($"/rooms/{id}/delete");
        Assert.Contains("flash-error", notOwner.Html);
        var deleted = await owner.PostAsync($"/rooms/{id}/delete");
        Assert.Equal(HttpStatusCode.SeeOther, deleted.Status);
        Assert.Equal("/rooms", deleted.Location);
        Assert.Contains("The room was deleted.", (await owner.GetAsync("/rooms")).Html);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/rooms/{id}")).Status);
    }
}
