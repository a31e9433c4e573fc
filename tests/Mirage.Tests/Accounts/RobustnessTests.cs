using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Accounts;

public sealed class RobustnessTestsOnSqlite(SqliteServer server) : RobustnessTests(server), IClassFixture<SqliteServer>;

public sealed class RobustnessTestsOnPostgres(PostgresServer server) : RobustnessTests(server), IClassFixture<PostgresServer>;

/// <summary>Bad input gets a clear 4xx JSON error, never a 500; secrets never reach the database in clear.</summary>
public abstract class RobustnessTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Theory]
    [InlineData("{\"username\":", "application/json")]
    [InlineData("not json at all", "application/json")]
    [InlineData("[1,2,3]", "application/json")]
    [InlineData("\"a string\"", "application/json")]
    [InlineData("{\"username\": 42, \"email\": [], \"password\": {}}", "application/json")]
    [InlineData("{\"username\": \"abc\"}", "text/plain")]
    [InlineData("username=abc&password=x", "application/x-www-form-urlencoded")]
    [InlineData("", "application/json")]
    [InlineData("null", "application/json")]
    public async Task Malformed_bodies_get_a_400_json_error(string body, string contentType)
    {
        foreach (var path in new[] { "/api/register", "/api/login" })
        {
            var response = await Api.PostRawAsync(path, body, contentType);
            await response.ShouldFail(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task Wrong_types_name_the_field()
    {
        var user = await Api.NewUserAsync();
        var response = await Api.PostRawAsync("/api/user/settings", "{\"description\": 12345}", token: user.Token);
        await response.ShouldFail(HttpStatusCode.BadRequest, "invalid value for 'description'");
    }

    [Fact]
    public async Task Huge_bodies_get_413()
    {
        var huge = "{\"username\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        var response = await Api.PostRawAsync("/api/register", huge);
        await response.ShouldFail(HttpStatusCode.RequestEntityTooLarge, "request body too large");
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_json()
    {
        await (await Api.GetAsync("/api/no_such_thing")).ShouldFail(HttpStatusCode.NotFound, "not found");
        await (await Api.GetAsync("/api/register")).ShouldFail(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task The_database_holds_no_plaintext_password_or_token()
    {
        var user = await Api.NewUserAsync();
        var rows = await server.Database.ReadAsync(async db =>
        {
            var users = await db.Connection.QueryAsync("SELECT * FROM users");
            var sessions = await db.Connection.QueryAsync("SELECT * FROM sessions");
            return users.Concat(sessions).Cast<IDictionary<string, object?>>().ToList();
        });
        Assert.NotEmpty(rows);
        var cells = rows.SelectMany(r => r.Values).Select(v => v?.ToString() ?? "").ToList();
        Assert.DoesNotContain(cells, c => c.Contains(user.Password, StringComparison.Ordinal));
        Assert.DoesNotContain(cells, c => c.Contains(user.Token, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(cells, c => c.Contains(user.Token.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Concurrent_registrations_all_succeed()
    {
        var api = Api;
        var names = Enumerable.Range(0, 40).Select(_ => MirageClient.UniqueName("c")).ToList();
        var responses = await Task.WhenAll(names.Select(n =>
            api.PostAsync("/api/register", new { username = n, email = $"{n}@example.com", password = MirageClient.Password })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        foreach (var name in names.Take(5))
        {
            await (await api.GetAsync($"/api/user/{name}")).ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Refuses_to_start_on_a_database_newer_than_the_code()
    {
        // A throwaway fixture: this test marks its database as migrated by a future Mirage.
        var database = server.Database;
        await database.WriteAsync(db => db.ExecuteAsync(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99999, 'from_the_future', 0)"));
        try
        {
            using var next = server.CreateFactory();
            var error = Assert.ThrowsAny<Exception>(() => next.Server);
            Assert.Contains("99999", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await database.WriteAsync(db => db.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 99999"));
        }
    }
}
