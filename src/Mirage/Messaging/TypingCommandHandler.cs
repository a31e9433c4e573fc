using System.Text.Json;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Realtime;

namespace Mirage.Messaging;

/// <summary><c>{"type":"typing","chat_id":"chat_7"}</c> sent over the WebSocket stream.</summary>
public sealed class TypingCommandHandler(MessagingService messaging) : IStreamCommandHandler
{
    public string Type => StreamEventTypes.Typing;

    public Task HandleAsync(CurrentUser user, JsonElement command)
    {
        var chatId = command.TryGetProperty("chat_id", out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : throw MirageException.BadRequest("typing needs a chat_id");
        return messaging.TypingAsync(user.Id, MessageRules.ChatId(chatId));
    }
}
