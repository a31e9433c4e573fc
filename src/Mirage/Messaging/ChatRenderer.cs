using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Messaging;

/// <summary>
/// Turns rows into the /v1 shapes. A page of chats costs one query per table (participants, last messages,
/// profiles) however many chats it holds; a page of messages one query for its authors.
/// </summary>
public static class ChatRenderer
{
    public static async Task<List<ChatDto>> ChatsAsync(DbSession db, IReadOnlyList<ChatRow> chats)
    {
        var chatIds = chats.Select(c => c.Id).ToList();
        var participants = await ChatStore.GetParticipantsAsync(db, chatIds);
        var lastMessages = (await MessageStore.LastOfChatsAsync(db, chatIds)).ToDictionary(m => m.ChatId);
        var profiles = await AccountStore.GetProfilesAsync(db, participants.Select(p => p.UserId).Concat(lastMessages.Values.Select(m => m.UserId)));
        var byChat = participants.ToLookup(p => p.ChatId);
        return chats.Select(chat => new ChatDto(
            MessageRules.FormatChatId(chat.Id),
            chat.Type,
            chat.Name,
            chat.AvatarUrl,
            Time.ToIso(chat.CreatedAt),
            Time.ToIso(chat.UpdatedAt),
            byChat[chat.Id].Select(p => new ChatParticipantDto(PublicId.Format(PublicId.User, p.UserId), profiles.GetValueOrDefault(p.UserId))).ToList(),
            lastMessages.TryGetValue(chat.Id, out var last) ? Message(last, profiles) : null,
            chat.UnreadCount,
            chat.ArchivedAt is not null)).ToList();
    }

    public static async Task<ChatDto> ChatAsync(DbSession db, ChatRow chat) => (await ChatsAsync(db, [chat]))[0];

    public static async Task<List<MessageDto>> MessagesAsync(DbSession db, IEnumerable<MessageRow> messages)
    {
        var list = messages.ToList();
        var profiles = await AccountStore.GetProfilesAsync(db, list.Select(m => m.UserId));
        return list.Select(m => Message(m, profiles)).ToList();
    }

    public static async Task<MessageDto> MessageAsync(DbSession db, MessageRow message) => (await MessagesAsync(db, [message]))[0];

    private static MessageDto Message(MessageRow m, IReadOnlyDictionary<long, UserProfile> profiles) => new(
        MessageRules.FormatMessageId(m.Id),
        MessageRules.FormatChatId(m.ChatId),
        PublicId.Format(PublicId.User, m.UserId),
        m.Content,
        Time.ToIso(m.CreatedAt),
        Time.ToIso(m.UpdatedAt),
        m.EditedAt is { } edited ? Time.ToIso(edited) : null,
        profiles.GetValueOrDefault(m.UserId));
}
