using System.Net;
using System.Net.Http.Json;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Rooms;

namespace Mirage.Tests.Hosting;

public sealed class IdempotencyTestsOnSqlite(SqliteServer server) : IdempotencyTests(server), IClassFixture<SqliteServer>;

public sealed class IdempotencyTestsOnPostgres(PostgresServer server) : IdempotencyTests(server), IClassFixture<PostgresServer>;

/// <summary>A retried creating POST with the same Idempotency-Key gets the first answer and writes nothing.</summary>
public abstract class IdempotencyTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    private Task<HttpResponseMessage> PostAsync(string path, object body, TestUser user, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {user.Token}");
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }
        return Api.Http.SendAsync(request);
    }

    private static string NewKey() => Guid.NewGuid().ToString();

    private async Task<int> PostCountAsync(TestUser user) =>
        (await (await Api.GetAsync($"/api/get_posts/{user.Username}")).ShouldBe(HttpStatusCode.OK)).GetProperty("posts").GetArrayLength();

    [Fact]
    public async Task The_same_key_returns_the_first_answer_and_writes_nothing()
    {
        var user = await Api.NewUserAsync();
        var key = NewKey();
        var first = await PostAsync("/v1/posts", new { content = "once" }, user, key);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await PostAsync("/v1/posts", new { content = "once" }, user, key);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await PostCountAsync(user));

        // Another user's key is their own; without a key every POST creates.
        var other = await Api.NewUserAsync();
        await (await PostAsync("/v1/posts", new { content = "mine" }, other, key)).ShouldBe(HttpStatusCode.Created);
        await (await PostAsync("/v1/posts", new { content = "once" }, user, null)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(2, await PostCountAsync(user));

        // The key for another request is refused; after 24 hours it is a new key.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync($"/v1/posts/{(await first.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("post").Str("id")}/replies", new { content = "re" }, user, key)).StatusCode);
        server.Clock.Advance(TimeSpan.FromHours(25));
        await (await PostAsync("/v1/posts", new { content = "once" }, user, key)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(3, await PostCountAsync(user));
    }

    [Fact]
    public async Task Chats_messages_and_room_messages_are_created_once_per_key()
    {
        var (alice, bob) = (await Api.NewUserAsync(), await Api.NewUserAsync());
        var chatKey = NewKey();
        var chat = (await (await PostAsync("/v1/messages/chat", new { participant_ids = new[] { bob.Username }, type = "group", name = "g" }, alice, chatKey))
            .ShouldBe(HttpStatusCode.Created)).GetProperty("chat").Str("id");
        var repeat = await (await PostAsync("/v1/messages/chat", new { participant_ids = new[] { bob.Username }, type = "group", name = "g" }, alice, chatKey))
            .ShouldBe(HttpStatusCode.Created);
        Assert.Equal(chat, repeat.GetProperty("chat").Str("id"));

        var messageKey = NewKey();
        for (var i = 0; i < 3; i++)
        {
            await (await PostAsync($"/v1/messages/{chat}", new { content = "hello" }, alice, messageKey)).ShouldBe(HttpStatusCode.Created);
        }
        var page = await (await Api.GetAsync($"/v1/messages/{chat}", alice.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Single(page.GetProperty("messages").EnumerateArray());

        var (roomId, _) = await Api.NewRoomAsync(alice);
        var roomKey = NewKey();
        for (var i = 0; i < 3; i++)
        {
            await (await PostAsync($"/v1/rooms/room_{roomId}/messages", new { content = "hi room" }, alice, roomKey)).ShouldBe(HttpStatusCode.Created);
        }
        Assert.Equal(["hi room"], await Api.MessageTextsAsync(alice, roomId));
    }

    [Fact]
    public async Task A_refused_request_keeps_no_answer_and_bad_keys_are_refused()
    {
        var user = await Api.NewUserAsync();
        var key = NewKey();
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/v1/posts", new { content = "" }, user, key)).StatusCode);
        await (await PostAsync("/v1/posts", new { content = "corrected" }, user, key)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/v1/posts", new { content = "x" }, user, new string('k', 256))).StatusCode);
        Assert.Equal(1, await PostCountAsync(user));
    }
}
