using System.Net.Http.Json;
using System.Text.Json;

namespace Mirage.Bench;

/// <summary>A seeded user: name and session token.</summary>
public sealed record BenchUser(int Index, string Username, string Token);

/// <summary>
/// Seeds a server through its public HTTP API only, so the same data set can be created on any server that
/// speaks the Mirage /api surface (and /v1 where it has one).
/// </summary>
public sealed class BenchApi(HttpClient http)
{
    public const string Password = "bench password 1";

    public async Task<BenchUser> RegisterAsync(int index, string runId)
    {
        var username = $"b{runId}_{index}";
        await PostAsync("/api/register", new { username, email = $"{username}@bench.invalid", password = Password }, null);
        var login = await PostAsync("/api/login", new { username, password = Password }, null);
        return new BenchUser(index, username, login.GetProperty("token").GetString()!);
    }

    public async Task<long> CreatePostAsync(BenchUser user, string content)
    {
        var created = await PostAsync("/api/create_post", new { content }, user.Token);
        if (created.TryGetProperty("post_id", out var id))
        {
            return id.GetInt64();
        }
        // Servers without the post_id addition: the newest post of the author.
        var posts = await GetAsync($"/api/get_posts/{user.Username}", null);
        return posts.GetProperty("posts")[0].GetProperty("id").GetInt64();
    }

    public Task FollowAsync(BenchUser user, BenchUser other) => PostAsync("/api/follow", new { username = other.Username }, user.Token);

    public async Task<long> CreateRoomAsync(BenchUser owner, string name)
    {
        var created = await PostAsync("/api/create_room", new { room_name = name, is_private = 0 }, owner.Token);
        return created.GetProperty("room_id").GetInt64();
    }

    public Task JoinRoomAsync(BenchUser user, string name) => PostAsync("/api/join_room", new { name }, user.Token);

    public Task SendRoomMessageAsync(BenchUser user, long roomId, string message) =>
        PostAsync("/api/send_room_message", new { room_id = roomId, message }, user.Token);

    public Task SendInboxMessageAsync(BenchUser from, BenchUser to, string message) =>
        PostAsync("/api/send_inbox_message", new { recipient = to.Username, message }, from.Token);

    /// <summary>The /v1 DM chat of two users, or null when the server has no /v1 surface.</summary>
    public async Task<string?> DmChatIdAsync(BenchUser user, BenchUser other)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages/chat")
        {
            Content = JsonContent.Create(new { participant_ids = new[] { other.Username } }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {user.Token}");
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("chat").GetProperty("id").GetString();
    }

    public async Task<JsonElement> PostAsync(string path, object body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }
        return await SendAsync(request);
    }

    public async Task<JsonElement> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }
        return await SendAsync(request);
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {text}");
        }
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
