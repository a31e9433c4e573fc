using Mirage.Data;
using Mirage.Realtime;

namespace Mirage.Messaging;

/// <summary>
/// The real-time events of messaging (docs/realtime.md), appended inside the write that makes the change, so
/// they are delivered exactly when it commits. Messages go to every participant (the author's other devices
/// too); a chat goes to each participant as that participant sees it (own unread count and archive flag).
/// </summary>
public sealed class MessagingEvents(EventStream events)
{
    public void Message(DbSession db, IEnumerable<long> participants, string type, MessageDto message) =>
        events.Append(db, participants, type, message);

    /// <summary>
    /// <c>chat.updated</c> to every participant: rendered once, per-user fields filled per recipient. Returns the
    /// chat as <paramref name="actorId"/> sees it.
    /// </summary>
    public async Task<ChatDto> ChatForEveryoneAsync(DbSession db, long chatId, long actorId)
    {
        var row = await ChatStore.FindForUserAsync(db, chatId, actorId) ?? throw new InvalidOperationException("the actor is not in the chat");
        var chat = await ChatRenderer.ChatAsync(db, row);
        foreach (var state in await ChatStore.GetParticipantStatesAsync(db, chatId))
        {
            events.Append(db, [state.UserId], StreamEventTypes.ChatUpdated,
                chat with { UnreadCount = state.UnreadCount, Archived = state.ArchivedAt is not null });
        }
        return chat;
    }

    /// <summary><c>chat.updated</c> to one user, after a change only they see (read marker, archive).</summary>
    public async Task ChatForUserAsync(DbSession db, long chatId, long userId)
    {
        if (await ChatStore.FindForUserAsync(db, chatId, userId) is { } row)
        {
            events.Append(db, [userId], StreamEventTypes.ChatUpdated, await ChatRenderer.ChatAsync(db, row));
        }
    }

    /// <summary><c>typing</c> to the chat's other participants; never stored.</summary>
    public Task TypingAsync(IEnumerable<long> others, long chatId, long userId) =>
        events.PublishEphemeralAsync(others, StreamEventTypes.Typing, new TypingEvent(
            MessageRules.FormatChatId(chatId), Common.PublicId.Format(Common.PublicId.User, userId)));
}

public sealed record TypingEvent(string ChatId, string UserId);
