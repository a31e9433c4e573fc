using Mirage.Common;
using Mirage.Data;
using Mirage.Notifications;
using Mirage.Realtime;

namespace Mirage.Messaging;

/// <summary>
/// The rules of chats and messages, in one place for every surface: /v1/messages, the legacy /api inbox and
/// (later) the Lua <c>api.messages</c> binding. This part: messages, read markers and unread counts.
/// Non-participants learn nothing: a chat they are not in, and every message in it, is "not found".
/// </summary>
public sealed partial class MessagingService(
    IDatabase database, NotificationService notifications, MessagingEvents events, PublicUrls urls, TimeProvider clock)
{
    public const int DefaultMessagePageSize = 50;
    public const int MaxMessagePageSize = 100;

    public async Task<MessageDto> SendAsync(long userId, long chatId, string? content)
    {
        var text = MessageRules.Content(content);
        return await database.WriteAsync(db => PostAsync(db, chatId, userId, text, clock.NowMs()));
    }

    /// <summary>
    /// The one way a message enters a chat. It moves the chat up for everyone, brings it back from the
    /// recipients' archives, counts as the sender having read the chat, and notifies the others: one unread
    /// <c>new_message</c> notification per recipient and chat, replaced by each newer message.
    /// Every participant's stream gets <c>message.created</c>.
    /// </summary>
    private async Task<MessageDto> PostAsync(DbSession db, long chatId, long senderId, string content, long now)
    {
        var chat = await ChatStore.FindHeaderAsync(db, chatId, senderId) ?? throw MirageException.NotFound("chat not found");
        var message = await MessageStore.InsertAsync(db, chatId, senderId, content, now);
        await ChatStore.TouchAsync(db, chatId, now);
        await ChatStore.UnarchiveForOthersAsync(db, chatId, senderId);
        await ChatStore.AdvanceReadMarkerAsync(db, chatId, senderId, message.Id);
        await NotificationStore.MarkReadByKeyAsync(db, senderId, CollapseKey(chatId), now);
        var participants = await ChatStore.GetParticipantIdsAsync(db, chatId);
        await notifications.NotifyEachAsync(db, Others(participants, senderId), NewMessageNotification(chat, senderId, message), now);
        var rendered = await ChatRenderer.MessageAsync(db, message);
        events.Message(db, participants, StreamEventTypes.MessageCreated, rendered);
        return rendered;
    }

    private static List<long> Others(List<long> participants, long userId) => participants.Where(id => id != userId).ToList();

    private static NotificationContent NewMessageNotification(ChatHeader chat, long senderId, MessageRow message) => new(
        NotificationTypes.NewMessage,
        chat.Type == ChatTypes.Dm ? $"New message from {chat.Username}" : $"{chat.Username} in {chat.Name ?? "a group chat"}",
        MessageRules.Preview(message.Content),
        new Dictionary<string, object?>
        {
            ["chat_id"] = MessageRules.FormatChatId(message.ChatId),
            ["sender_id"] = PublicId.Format(PublicId.User, senderId),
            ["message_id"] = MessageRules.FormatMessageId(message.Id),
        },
        CollapseKey(message.ChatId));

    /// <summary>The collapse key of a chat's <c>new_message</c> notifications.</summary>
    public static string CollapseKey(long chatId) => $"chat:{chatId}";

    /// <summary>A chronological page: the newest <paramref name="limit"/> messages older than the cursor, oldest first.</summary>
    public Task<MessagePage> GetMessagesAsync(long userId, long chatId, int? limit, string? cursor)
    {
        var take = PageSize.Clamp(limit, DefaultMessagePageSize, MaxMessagePageSize);
        var before = Cursor.Decode(cursor, 2);
        return database.ReadAsync(async db =>
        {
            await EnsureParticipantAsync(db, chatId, userId);
            var rows = await MessageStore.PageAsync(db, chatId, before, take + 1);
            var page = rows.Take(take).Reverse().ToList();
            var next = rows.Count > take ? Cursor.Encode(page[0].CreatedAt, page[0].Id) : null;
            return new MessagePage(await ChatRenderer.MessagesAsync(db, page), next);
        });
    }

    /// <summary>One message the user may see, or null (seed 002 <c>api.messages.get</c>).</summary>
    public Task<MessageDto?> FindMessageAsync(long userId, long messageId) =>
        database.ReadAsync(async db =>
            await MessageStore.FindVisibleAsync(db, messageId, userId) is { } row ? await ChatRenderer.MessageAsync(db, row) : null);

    public async Task<MessageDto> EditMessageAsync(long userId, long messageId, string? content)
    {
        var text = MessageRules.Content(content);
        return await database.WriteAsync(async db =>
        {
            var message = await FindOwnAsync(db, messageId, userId, "edit");
            var edited = await ChatRenderer.MessageAsync(db, await MessageStore.EditAsync(db, messageId, text, clock.NowMs()));
            var participants = await ChatStore.GetParticipantIdsAsync(db, message.ChatId);
            await NotificationStore.SetMessageReferencingAsync(
                db, Others(participants, userId), CollapseKey(message.ChatId), "message_id", edited.Id, MessageRules.Preview(text));
            events.Message(db, participants, StreamEventTypes.MessageUpdated, edited);
            return edited;
        });
    }

    /// <summary>Deletes the user's own message; someone else's is refused (403), not silently kept.</summary>
    public Task DeleteMessageAsync(long userId, long messageId) =>
        database.WriteAsync(async db =>
        {
            await RemoveAsync(db, await FindOwnAsync(db, messageId, userId, "delete"));
            return true;
        });

    /// <summary>Deletes for everyone: the text is wiped, its notification previews go, participants hear of it.</summary>
    private async Task RemoveAsync(DbSession db, MessageRow message)
    {
        var deleted = await ChatRenderer.MessageAsync(db, await MessageStore.DeleteAsync(db, message.Id, clock.NowMs()));
        var participants = await ChatStore.GetParticipantIdsAsync(db, message.ChatId);
        await NotificationStore.DeleteReferencingAsync(db, Others(participants, message.UserId), CollapseKey(message.ChatId), "message_id", deleted.Id);
        events.Message(db, participants, StreamEventTypes.MessageDeleted, deleted);
    }

    private static async Task<MessageRow> FindOwnAsync(DbSession db, long messageId, long userId, string verb)
    {
        var message = await MessageStore.FindVisibleAsync(db, messageId, userId) ?? throw MirageException.NotFound("message not found");
        return message.UserId == userId ? message : throw MirageException.Forbidden($"you can only {verb} your own messages");
    }

    /// <summary>
    /// Moves the user's read marker to <paramref name="messageId"/> (a message of this chat), or to the chat's
    /// latest message when null. The marker never moves back. Returns the chat's remaining unread count.
    /// </summary>
    public Task<long> MarkReadAsync(long userId, long chatId, string? messageId)
    {
        long? upTo = messageId is null ? null : MessageRules.MessageId(messageId);
        return database.WriteAsync(async db =>
        {
            await EnsureParticipantAsync(db, chatId, userId);
            if (upTo is not null && !await MessageStore.IsInChatAsync(db, upTo.Value, chatId))
            {
                throw MirageException.NotFound("message not found");
            }
            return await MarkReadUpToAsync(db, chatId, userId, upTo ?? await MessageStore.LatestIdAsync(db, chatId), clock.NowMs());
        });
    }

    /// <summary>
    /// Advances the marker; once nothing in the chat is unread, its notification is read too. The reader's other
    /// devices get the chat with its new unread count.
    /// </summary>
    private async Task<long> MarkReadUpToAsync(DbSession db, long chatId, long userId, long messageId, long now)
    {
        var moved = await ChatStore.AdvanceReadMarkerAsync(db, chatId, userId, messageId) > 0;
        var unread = await ChatStore.CountUnreadAsync(db, userId, chatId);
        if (unread == 0)
        {
            await NotificationStore.MarkReadByKeyAsync(db, userId, CollapseKey(chatId), now);
        }
        if (moved)
        {
            await events.ChatForUserAsync(db, chatId, userId);
        }
        return unread;
    }

    /// <summary>Tells the chat's other participants that the user is typing (never stored).</summary>
    public async Task TypingAsync(long userId, long chatId)
    {
        var participants = await database.ReadAsync(db => ChatStore.GetParticipantIdsAsync(db, chatId));
        if (!participants.Contains(userId))
        {
            throw MirageException.NotFound("chat not found");
        }
        await events.TypingAsync(Others(participants, userId), chatId, userId);
    }

    /// <summary>Unread messages across all the user's chats (seed 002 <c>api.messages.unread()</c>).</summary>
    public Task<long> CountUnreadAsync(long userId) => database.ReadAsync(db => ChatStore.CountUnreadAsync(db, userId));

    private static async Task EnsureParticipantAsync(DbSession db, long chatId, long userId)
    {
        if (!await ChatStore.IsParticipantAsync(db, chatId, userId))
        {
            throw MirageException.NotFound("chat not found");
        }
    }
}
