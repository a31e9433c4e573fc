using System.Net;
using System.Reflection;
using Mirage.Hosting;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Posts;

namespace Mirage.Tests.Hosting;

/// <summary>Responses are written by <see cref="JsonBodyResult"/>: the same text as before, through the generated code.</summary>
public sealed class JsonBodyTestsOnSqlite(SqliteServer server) : JsonBodyTests(server), IClassFixture<SqliteServer>;

public sealed class JsonBodyTestsOnPostgres(PostgresServer server) : JsonBodyTests(server), IClassFixture<PostgresServer>;

public abstract class JsonBodyTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Text_is_written_as_utf8_without_escaping_what_json_does_not_require()
    {
        var user = await Api.NewUserAsync();
        const string text = "Grüße, 日本語 <b>&</b> 'quoted' \"double\" 😀";
        await Api.CreatePostAsync(user, text);

        var response = await Api.GetAsync($"/api/get_posts/{user.Username}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = await response.Content.ReadAsStringAsync();
        // ASP.NET Core's relaxed escaping, as before: only quotes, control characters and characters outside the BMP.
        Assert.Contains("\"content\":\"Grüße, 日本語 <b>&</b> 'quoted' \\\"double\\\" \\uD83D\\uDE00\"", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// A global converter, an encoder on the options or a property type the generated context does not know would each
    /// quietly send these back through System.Text.Json's general path. (CanUseSerializeHandler is internal: if a
    /// runtime renames it, this test fails and should be updated, not deleted.)
    /// </summary>
    [Theory]
    [InlineData(typeof(Mirage.Posts.PostsResponse))]
    [InlineData(typeof(Mirage.Posts.PostPageV1))]
    [InlineData(typeof(Mirage.Feed.FypResponse))]
    [InlineData(typeof(Mirage.Messaging.InboxResponse))]
    [InlineData(typeof(Mirage.Messaging.MessagePage))]
    [InlineData(typeof(Mirage.Messaging.ChatPage))]
    [InlineData(typeof(Mirage.Rooms.RoomMessagesResponse))]
    public void The_pages_served_most_take_the_generated_fast_path(Type response)
    {
        var info = JsonBodyResults.TypeInfo(response);
        var canUse = info.GetType().GetProperty("CanUseSerializeHandler", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException("System.Text.Json no longer has JsonTypeInfo.CanUseSerializeHandler");
        Assert.True((bool)canUse.GetValue(info)!, $"{response.Name} is not written by generated code");
    }
}
