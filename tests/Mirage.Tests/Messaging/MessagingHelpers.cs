using System.Net;
using System.Text.Json;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Messaging;

/// <summary>Short forms of the calls the messaging tests make again and again, all through HTTP.</summary>
public static class MessagingHelpers
{
    /// <summary>The /v1 id (<c>user_N</c>) of a test user.</summary>
    public static async Task<string> IdOfAsync(this MirageClient api, TestUser user)
    {
        var me = await (await api.GetAsync("/v1/users/me", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        return me.Str("id");
    }

    public static async Task<JsonElement> CreateChatAsync(this MirageClient api, TestUser creator, params string[] participantIds)
    {
        var response = await api.PostAsync("/v1/messages/chat", new { participant_ids = participantIds }, creator.Token, bearer: true);
        var body = await response.ShouldBe(response.StatusCode == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.Created);
        return body.GetProperty("chat");
    }

    public static async Task<string> CreateChatIdAsync(this MirageClient api, TestUser creator, params string[] participantIds) =>
        (await api.CreateChatAsync(creator, participantIds)).Str("id");

    public static async Task<JsonElement> SendAsync(this MirageClient api, TestUser sender, string chatId, string content)
    {
        var response = await api.PostAsync($"/v1/messages/{chatId}", new { content }, sender.Token, bearer: true);
        return (await response.ShouldBe(HttpStatusCode.Created)).GetProperty("message");
    }

    public static async Task<JsonElement> MessagesAsync(this MirageClient api, TestUser reader, string chatId, string query = "")
    {
        var response = await api.GetAsync($"/v1/messages/{chatId}{query}", reader.Token, bearer: true);
        return await response.ShouldBe(HttpStatusCode.OK);
    }

    public static async Task<List<string>> ContentsAsync(this MirageClient api, TestUser reader, string chatId, string query = "") =>
        (await api.MessagesAsync(reader, chatId, query)).GetProperty("messages").EnumerateArray().Select(m => m.Str("content")).ToList();

    public static async Task<JsonElement> ChatsAsync(this MirageClient api, TestUser user, string query = "")
    {
        var response = await api.GetAsync($"/v1/messages{query}", user.Token, bearer: true);
        return await response.ShouldBe(HttpStatusCode.OK);
    }

    public static async Task<JsonElement> ChatOfAsync(this MirageClient api, TestUser user, string chatId, string query = "")
    {
        var chats = (await api.ChatsAsync(user, query)).GetProperty("chats").EnumerateArray().ToList();
        return chats.Single(c => c.Str("id") == chatId);
    }

    public static async Task<long> UnreadAsync(this MirageClient api, TestUser user)
    {
        var body = await (await api.GetAsync("/v1/messages/unread", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        return body.GetProperty("unread_count").GetInt64();
    }

    /// <summary>Asserts a /v1 problem-details error: the status and its <c>detail</c>.</summary>
    public static async Task ShouldFailV1(this HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var body = await response.ShouldBe(status);
        Assert.Equal("application/problem+json", response.ContentType()?.MediaType);
        Assert.Equal(message, body.Str("detail"));
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
    }

    public static List<string> Ids(this JsonElement array) => array.EnumerateArray().Select(e => e.Str("id")).ToList();
}
