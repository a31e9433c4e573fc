using Mirage.Hosting.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Mirage.Accounts;
using Mirage.Hosting;

namespace Mirage.Messaging;

/// <summary><c>/v1/messages</c> (seed 004 and DESIGN.md's additions): chats, messages, read markers.</summary>
public static class MessagingEndpointsV1
{
    public static RouteGroupBuilder MapMessagesV1(this RouteGroupBuilder v1)
    {
        var messages = v1.MapGroup("/messages").RequireAuthorization();
        messages.MapGet("/", (CurrentUser user, MessagingService messaging, int? limit, string? cursor, bool? archived) =>
            messaging.ListChatsAsync(user.Id, limit, cursor, archived ?? false));
        messages.MapPost("/chat", CreateChat).Idempotent();
        messages.MapGet("/unread", async (CurrentUser user, MessagingService messaging) =>
            new UnreadResponse(await messaging.CountUnreadAsync(user.Id)));

        messages.MapGet("/{chatId}", (string chatId, CurrentUser user, MessagingService messaging, int? limit, string? cursor) =>
            messaging.GetMessagesAsync(user.Id, MessageRules.ChatId(chatId), limit, cursor));
        messages.MapPost("/{chatId}", async (string chatId, SendMessageRequest request, CurrentUser user, MessagingService messaging) =>
            TypedResults.Json(new MessageResponse(await messaging.SendAsync(user.Id, MessageRules.ChatId(chatId), request.Content)),
                statusCode: StatusCodes.Status201Created)).Idempotent();
        messages.MapPatch("/{chatId}", async (string chatId, UpdateChatRequest request, CurrentUser user, MessagingService messaging) =>
            new ChatResponse(await messaging.UpdateChatAsync(user.Id, MessageRules.ChatId(chatId), request)));
        messages.MapPost("/{chatId}/archive", async (string chatId, CurrentUser user, MessagingService messaging) =>
        {
            await messaging.SetArchivedAsync(user.Id, MessageRules.ChatId(chatId), archived: true);
            return new Message("Chat archived");
        });
        messages.MapPost("/{chatId}/unarchive", async (string chatId, CurrentUser user, MessagingService messaging) =>
        {
            await messaging.SetArchivedAsync(user.Id, MessageRules.ChatId(chatId), archived: false);
            return new Message("Chat unarchived");
        });
        messages.MapPost("/{chatId}/invite", async (string chatId, InviteRequest request, CurrentUser user, MessagingService messaging) =>
            new Message(await messaging.InviteAsync(user.Id, MessageRules.ChatId(chatId), request.UserId)
                ? "User added to chat"
                : "User is already in the chat"));
        messages.MapPost("/{chatId}/read", MarkRead);
        messages.MapPost("/{chatId}/typing", async (string chatId, CurrentUser user, MessagingService messaging) =>
        {
            await messaging.TypingAsync(user.Id, MessageRules.ChatId(chatId));
            return new Message("Typing sent");
        });

        messages.MapPatch("/msg/{messageId}", async (string messageId, SendMessageRequest request, CurrentUser user, MessagingService messaging) =>
            new MessageResponse(await messaging.EditMessageAsync(user.Id, MessageRules.MessageId(messageId), request.Content)));
        messages.MapDelete("/msg/{messageId}", async (string messageId, CurrentUser user, MessagingService messaging) =>
        {
            await messaging.DeleteMessageAsync(user.Id, MessageRules.MessageId(messageId));
            return new Message("Message deleted");
        });
        return v1;
    }

    /// <summary>201 with a new chat; 200 with <c>existing: true</c> when the DM was already there.</summary>
    private static async Task<JsonHttpResult<CreateChatResponse>> CreateChat(
        CreateChatRequest request, CurrentUser user, MessagingService messaging)
    {
        var response = await messaging.CreateChatAsync(user.Id, request);
        return TypedResults.Json(response, statusCode: response.Existing ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    /// <summary>The body is optional: without <c>message_id</c> the whole chat is read.</summary>
    private static async Task<ReadResponse> MarkRead(string chatId, HttpRequest http, CurrentUser user, MessagingService messaging)
    {
        var request = http.HasJsonContentType() && http.ContentLength != 0
            ? await http.ReadFromJsonAsync<MarkReadRequest>(http.HttpContext.RequestAborted)
            : null;
        var id = MessageRules.ChatId(chatId);
        var unread = await messaging.MarkReadAsync(user.Id, id, request?.MessageId);
        return new ReadResponse("Chat marked as read", MessageRules.FormatChatId(id), unread);
    }
}
