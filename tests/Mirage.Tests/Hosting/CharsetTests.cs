using System.Net;
using System.Text;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Hosting;

public sealed class CharsetTestsOnSqlite(SqliteServer server) : CharsetTests(server), IClassFixture<SqliteServer>;

public sealed class CharsetTestsOnPostgres(PostgresServer server) : CharsetTests(server), IClassFixture<PostgresServer>;

/// <summary>The Content-Type's charset never turns a request into a 500: UTF-8 in any legal spelling works, anything else is a JSON 415.</summary>
public abstract class CharsetTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    private Task<HttpResponseMessage> PostAsync(string path, string json, string contentType, string? token = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return Api.SendAsync(HttpMethod.Post, path, content, token, bearer: true);
    }

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/json; charset=utf8")]
    [InlineData("application/json; charset=")]
    [InlineData("application/json;charset=\"\"")]
    public async Task Utf8_spelled_any_legal_way_or_left_empty_is_read_as_utf8(string contentType)
    {
        var user = await Api.NewUserAsync();
        var login = await PostAsync("/api/login", $"{{\"username\":\"{user.Username}\",\"password\":\"{user.Password}\"}}", contentType);
        await login.ShouldBe(HttpStatusCode.OK);

        var post = await PostAsync("/v1/posts", "{\"content\":\"Grüße 日本\"}", contentType, user.Token);
        var body = await post.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("Grüße 日本", body.GetProperty("post").Str("content"));
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=\"bogus\"")]
    [InlineData("application/json; charset=x-unknown-42")]
    public async Task An_unknown_charset_is_a_json_415_on_both_surfaces(string contentType)
    {
        var api = await PostAsync("/api/logout", "{\"token\":\"x\"}", contentType);
        await api.ShouldFail(HttpStatusCode.UnsupportedMediaType);

        var user = await Api.NewUserAsync();
        var v1 = await PostAsync("/v1/posts", "{\"content\":\"hi\"}", contentType, user.Token);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, v1.StatusCode);
        Assert.Equal("application/problem+json", v1.ContentType()?.MediaType);
    }
}
