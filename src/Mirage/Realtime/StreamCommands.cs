using System.Text.Json;
using Mirage.Accounts;
using Mirage.Common;

namespace Mirage.Realtime;

/// <summary>Messages a WebSocket client may send: <c>{"type":"ping"}</c> and <c>{"type":"typing","chat_id":...}</c>.</summary>
public sealed partial class StreamCommands(IEnumerable<IStreamCommandHandler> handlers, ILogger<StreamCommands> logger)
{
    public static StreamEvent Error(string message) =>
        new(null, "error", JsonSerializer.Serialize(new { error = message }));

    /// <summary>Answers one client message; never throws, so a bad message cannot end the stream.</summary>
    public async Task<StreamEvent?> HandleAsync(CurrentUser user, ReadOnlyMemory<byte> message)
    {
        JsonElement command;
        try
        {
            command = JsonSerializer.Deserialize<JsonElement>(message.Span);
        }
        catch (JsonException)
        {
            return Error("messages must be JSON objects");
        }
        // Parsing leaves escapes alone: a lone surrogate escape ("\ud800") only throws when a string is read,
        // which used to be deep in a handler, outside any error path. Every string is checked once, here.
        if (!IsStorableText(command))
        {
            return Error("messages must be valid text (no NUL, no unpaired surrogate escape)");
        }
        if (command.ValueKind != JsonValueKind.Object || !command.TryGetProperty("type", out var typeElement)
            || typeElement.ValueKind != JsonValueKind.String)
        {
            return Error("messages need a string \"type\"");
        }
        var type = typeElement.GetString()!;
        if (type == "ping")
        {
            return new StreamEvent(null, "pong", "{}");
        }
        var handler = handlers.FirstOrDefault(h => h.Type == type);
        if (handler is null)
        {
            return Error($"unknown message type '{type}'");
        }
        try
        {
            await handler.HandleAsync(user, command);
            return null;
        }
        catch (MirageException ex)
        {
            return Error(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As the HTTP error path does for a 500: log it, tell the client, and keep its stream.
            LogFailed(ex, type, user.Id);
            return Error("internal error");
        }
    }

    private static bool IsStorableText(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => StorableText.IsStorable(element.GetString()!),
                JsonValueKind.Array => element.EnumerateArray().All(IsStorableText),
                JsonValueKind.Object => element.EnumerateObject().All(p => StorableText.IsStorable(p.Name) && IsStorableText(p.Value)),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false; // an escape that decodes to no valid UTF-16
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSocket message of type {Type} from user {UserId} failed")]
    private partial void LogFailed(Exception exception, string type, long userId);
}

/// <summary>A feature's handler for one WebSocket message type (messaging handles "typing").</summary>
public interface IStreamCommandHandler
{
    string Type { get; }

    Task HandleAsync(CurrentUser user, JsonElement command);
}
