using System.Net;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Rooms;

namespace Mirage.Tests.Hosting;

public sealed class StorableTextTestsOnSqlite(SqliteServer server) : StorableTextTests(server), IClassFixture<SqliteServer>;

public sealed class StorableTextTestsOnPostgres(PostgresServer server) : StorableTextTests(server), IClassFixture<PostgresServer>;

/// <summary>
/// One rule for every string Mirage stores: NUL or an unpaired surrogate is a 400 on both databases (PostgreSQL
/// cannot hold either, SQLite would keep both), and good text right beside it is stored as sent.
/// </summary>
public abstract class StorableTextTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    public static TheoryData<string> BadText => new() { "a\\u0000b", "\\u0000", "a\\ud800b", "\\udfff", "x\\ud83d" };

    /// <summary>Each place a client's text is stored, as a raw JSON body with TEXT where the text goes.</summary>
    private async Task<List<(string Path, string Body)>> TargetsAsync(TestUser user)
    {
        var (roomId, _) = await Api.NewRoomAsync(user);
        return
        [
            ("/api/send_room_message", $"{{\"room_id\":{roomId},\"message\":\"TEXT\"}}"),
            ($"/v1/rooms/room_{roomId}/messages", "{\"content\":\"TEXT\"}"),
            ("/api/create_room", "{\"room_name\":\"TEXT\",\"is_private\":0}"),
            ("/v1/rooms", "{\"name\":\"TEXT\",\"is_private\":false}"),
            ("/api/create_post", "{\"content\":\"TEXT\"}"),
            ("/api/user/settings", "{\"description\":\"TEXT\"}"),
            ("/api/user/settings", "{\"first_name\":\"TEXT\"}"),
            ("/api/user/settings", "{\"last_name\":\"TEXT\"}"),
            ("/api/user/settings", "{\"custom_css\":\"TEXT\"}"),
        ];
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task Text_that_cannot_be_stored_is_a_400_everywhere_it_would_be_stored(string text)
    {
        var user = await Api.NewUserAsync();
        foreach (var (path, template) in await TargetsAsync(user))
        {
            var response = await Api.PostRawAsync(path, template.Replace("TEXT", text, StringComparison.Ordinal), token: user.Token);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} with {text}: {(int)response.StatusCode} {body}");
            Assert.Contains("\"error\"", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Room_messages_beside_them_keep_good_text_as_sent()
    {
        var user = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(user);
        await (await Api.PostRawAsync("/api/send_room_message", $"{{\"room_id\":{roomId},\"message\":\"tab\\there \\ud83d\\ude00\"}}", token: user.Token))
            .ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["tab\there 😀"], await Api.MessageTextsAsync(user, roomId));
    }
}
