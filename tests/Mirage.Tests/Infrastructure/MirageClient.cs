using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Mirage.Tests.Infrastructure;

/// <summary>A signed-up user a test owns: unique name, its password and a session token.</summary>
public sealed record TestUser(string Username, string Email, string Password, string Token);

/// <summary>Thin HTTP helpers: JSON in, status + JSON out. Every assertion goes through the real API.</summary>
public sealed class MirageClient(HttpClient http)
{
    public const string Password = "correct horse battery";

    public HttpClient Http => http;

    public static string UniqueName(string prefix = "u") => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(32, prefix.Length + 17)];

    public async Task<TestUser> NewUserAsync(string prefix = "u")
    {
        var username = UniqueName(prefix);
        var email = $"{username}@example.com";
        var register = await PostAsync("/api/register", new { username, email, password = Password });
        await register.ShouldBe(HttpStatusCode.Created);
        var token = await LoginAsync(username, Password);
        return new TestUser(username, email, Password, token);
    }

    public async Task<string> LoginAsync(string username, string password)
    {
        var login = await PostAsync("/api/login", new { username, password });
        var body = await login.ShouldBe(HttpStatusCode.OK);
        return body.GetProperty("token").GetString()!;
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token = null, bool bearer = false) =>
        SendAsync(HttpMethod.Get, path, null, token, bearer);

    public Task<HttpResponseMessage> DeleteAsync(string path, string? token = null) =>
        SendAsync(HttpMethod.Delete, path, null, token, true);

    public Task<HttpResponseMessage> PostAsync(string path, object? body, string? token = null, bool bearer = false) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonContent.Create(body), token, bearer);

    public Task<HttpResponseMessage> PatchAsync(string path, object? body, string? token = null) =>
        SendAsync(HttpMethod.Patch, path, body is null ? null : JsonContent.Create(body), token, true);

    /// <summary>Posts raw text as a body, for malformed-input tests.</summary>
    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json", string? token = null) =>
        SendAsync(HttpMethod.Post, path, new StringContent(body, Encoding.UTF8, contentType), token, false);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string? token, bool bearer)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", bearer ? $"Bearer {token}" : token);
        }
        return await http.SendAsync(request);
    }
}

public static class ResponseAssertions
{
    /// <summary>Asserts the status and returns the JSON body (or an empty object for an empty body).</summary>
    public static async Task<JsonElement> ShouldBe(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? JsonDocument.Parse("{}").RootElement : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a /api error: the status and <c>{"error": message}</c>.</summary>
    public static async Task ShouldFail(this HttpResponseMessage response, HttpStatusCode status, string? message = null)
    {
        var body = await response.ShouldBe(status);
        Assert.True(body.TryGetProperty("error", out var error), $"no error member in {body}");
        Assert.False(string.IsNullOrWhiteSpace(error.GetString()));
        if (message is not null)
        {
            Assert.Equal(message, error.GetString());
        }
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;
}
