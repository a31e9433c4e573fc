using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Hosting;

public sealed class BadInputCorpusTestsOnSqlite(SqliteServer server) : BadInputCorpusTests(server), IClassFixture<SqliteServer>;

public sealed class BadInputCorpusTestsOnPostgres(PostgresServer server) : BadInputCorpusTests(server), IClassFixture<PostgresServer>;

/// <summary>
/// Every class of bad input found by testing Mirage from outside, sent to every mapped endpoint (enumerated from the
/// routing table, so a new endpoint is covered without touching this test), with and without a valid token: no
/// answer is a 5xx, and every error is JSON.
/// </summary>
public abstract class BadInputCorpusTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    /// <summary>Route values that are wrong in every way a client can make them wrong.</summary>
    private static readonly string[] BadRouteValues =
        ["0", "-1", "99999999999999999999999", "user_99999999999999999999", "chat_x", "%01", "%2500", "%ED%A0%80", "%20", new('a', 600)]; // (a NUL in the path never reaches Mirage: the server refuses it)

    private static readonly (string ContentType, string Body)[] BadBodies =
    [
        ("application/json", "{\"x\":"),
        ("application/json", "[1,2,3]"),
        ("application/json", "null"),
        ("application/json", "{\"content\":\"a\\u0000b\",\"message\":\"\\u0000\",\"name\":\"\\u0000\",\"username\":\"\\u0000\",\"room_id\":\"\\u0000\"}"),
        ("application/json", "{\"content\":\"\\ud800\",\"message\":\"\\udfff\",\"name\":\"\\ud83d\",\"participant_ids\":[\"\\ud800\"]}"),
        ("application/json", "{\"content\":123,\"message\":[],\"room_id\":1e400,\"post_id\":-1,\"participant_ids\":\"x\",\"limit\":{}}"),
        ("application/json", "{\"room_id\":99999999999999999999999,\"post_id\":\"99999999999999999999\",\"message_id\":\"msg_x\"}"),
        ("application/json; charset=bogus", "{}"),
        ("application/json; charset=", "{}"),
        ("application/json; charset=\"utf-8\"", "{}"),
        ("text/plain", "{}"),
        ("application/x-www-form-urlencoded", "a=b"),
        ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"room_id\"\r\n\r\n\u0000\r\n--x--\r\n"),
    ];

    private static readonly string[] BadQueries = ["?limit=-1&cursor=%00", "?limit=99999999999&cursor=not-a-cursor", "?since=1e400&room_id=%00&username=%ED%A0%80"];

    private static IEnumerable<(string Method, string Pattern)> Endpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct();

    private static string Fill(string pattern, string value) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "\\{[^}]+\\}", value);

    [Fact]
    public async Task No_bad_input_to_any_endpoint_gets_a_5xx_or_a_non_json_error()
    {
        var user = await Api.NewUserAsync();
        var endpoints = Endpoints(server.Factory.Services).ToList();
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints found");
        var failures = new List<string>();
        foreach (var (method, pattern) in endpoints)
        {
            foreach (var token in new string?[] { null, user.Token })
            {
                // A stream with a valid token is a stream: it is open, not an answer (its bad inputs are tested elsewhere).
                if (token is not null && pattern.StartsWith("/v1/stream", StringComparison.Ordinal))
                {
                    continue;
                }
                var paths = BadRouteValues.Select(v => Fill(pattern, v)).Distinct().SelectMany(p => BadQueries.Select(q => p + q).Prepend(p));
                foreach (var path in paths.Take(pattern.Contains('{') ? 40 : 4))
                {
                    var bodies = method is "GET" or "HEAD" or "DELETE" ? [(null, null)] : BadBodies.Select(b => ((string?)b.ContentType, (string?)b.Body));
                    foreach (var (contentType, body) in bodies)
                    {
                        await SendAsync(method, path, contentType, body, token, failures);
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} bad answers:\n" + string.Join("\n", failures.Take(40)));
    }

    private async Task SendAsync(string method, string path, string? contentType, string? body, string? token, List<string> failures)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await Api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var status = (int)response.StatusCode;
        var media = response.Content.Headers.ContentType?.MediaType ?? "";
        var what = $"{method} {path} [{contentType}] {body?[..Math.Min(40, body.Length)]} {(token is null ? "anonymous" : "signed in")}";
        if (status >= 500)
        {
            failures.Add($"{status} for {what}: {await response.Content.ReadAsStringAsync(timeout.Token)}");
        }
        else if (status >= 400 && media is not ("application/json" or "application/problem+json"))
        {
            failures.Add($"{status} with '{media}' for {what}");
        }
    }
}
