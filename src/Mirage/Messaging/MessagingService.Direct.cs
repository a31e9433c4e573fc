using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Messaging;

/// <summary>
/// Direct messages addressed by user: the legacy /api inbox (seed 000) and seed 002's <c>api.messages</c>.
/// They are views of the DM chats, so /v1 and the inbox always show the same messages.
/// </summary>
public sealed partial class MessagingService
{
    public const int DefaultInboxPageSize = 100;
    public const int MaxInboxPageSize = 500;
    public const int DefaultConversationPageSize = 50;
    public const int MaxConversations = 200;

    /// <summary>
    /// Sends a direct message to a user named by id (<c>42</c>, <c>user_42</c>) or username, in their DM chat
    /// (created on first use).
    /// </summary>
    public async Task<MessageDto> SendDirectAsync(long userId, string? recipient, string? content)
    {
        if (string.IsNullOrWhiteSpace(recipient) || string.IsNullOrWhiteSpace(content))
        {
            throw MirageException.BadRequest("missing recipient or message");
        }
        var text = MessageRules.Content(content, "message");
        var now = clock.NowMs();
        return await database.WriteAsync(async db =>
        {
            var target = await UserLookup.FindAsync(db, recipient) ?? throw MirageException.NotFound("recipient not found");
            if (target.Id == userId)
            {
                throw MirageException.BadRequest("you cannot send a message to yourself");
            }
            var (chatId, created) = await OpenDirectAsync(db, userId, target.Id, now);
            if (created)
            {
                await events.ChatForEveryoneAsync(db, chatId, userId);
            }
            return await PostAsync(db, chatId, userId, text, now);
        });
    }

    /// <summary>
    /// The user's DM messages, sent and received, newest first; <paramref name="before"/> is a message id to
    /// page back from. Showing received messages counts as reading them (the legacy client has no read call).
    /// </summary>
    public async Task<InboxResponse> GetInboxAsync(long userId, int? limit, long? before)
    {
        var take = PageSize.Clamp(limit, DefaultInboxPageSize, MaxInboxPageSize);
        var (chats, messages, profiles) = await database.ReadAsync(async db =>
        {
            var key = before is null ? null : await InboxStore.KeyOfAsync(db, before.Value) ?? throw MirageException.BadRequest("before must be a message id");
            var direct = (await InboxStore.DirectChatsAsync(db, userId, key)).ToDictionary(c => c.ChatId);
            var page = await InboxStore.NewestAsync(db, ChatsThatCanReachThePage(direct.Values, take), key, take);
            return (direct, page, await AccountStore.GetProfilesAsync(db, page.Select(m => direct[m.ChatId].OtherId).Append(userId)));
        });
        await MarkShownAsReadAsync(userId, chats, messages);
        return new InboxResponse(messages.Select(m =>
        {
            var recipient = m.UserId == userId ? chats[m.ChatId].OtherId : userId;
            return new InboxMessage(
                m.Id,
                profiles.GetValueOrDefault(m.UserId)?.Username ?? "",
                profiles.GetValueOrDefault(recipient)?.Username ?? "",
                m.Content,
                Time.ToIso(m.CreatedAt),
                urls.Avatar(profiles.GetValueOrDefault(m.UserId)?.AvatarUrl));
        }).ToList());
    }

    /// <summary>
    /// The newest <paramref name="take"/> messages all come from the <paramref name="take"/> chats with the newest
    /// latest message (ties kept): each of those chats already has one message newer than anything elsewhere.
    /// </summary>
    private static List<long> ChatsThatCanReachThePage(IEnumerable<InboxStore.DirectChatRow> chats, int take)
    {
        var ranked = chats.Where(c => c.NewestAt is not null).OrderByDescending(c => c.NewestAt).ToList();
        var cutoff = ranked.Count > take ? ranked[take - 1].NewestAt : null;
        return ranked.Where(c => cutoff is null || c.NewestAt >= cutoff).Select(c => c.ChatId).ToList();
    }

    /// <summary>Advances read markers to the newest shown received message of each chat; writes only when needed.</summary>
    private async Task MarkShownAsReadAsync(long userId, Dictionary<long, InboxStore.DirectChatRow> chats, List<MessageRow> shown)
    {
        var newest = shown.Where(m => m.UserId != userId && m.Id > chats[m.ChatId].LastReadMessageId)
            .GroupBy(m => m.ChatId)
            .Select(g => (ChatId: g.Key, MessageId: g.Max(m => m.Id)))
            .ToList();
        if (newest.Count == 0)
        {
            return;
        }
        var now = clock.NowMs();
        await database.WriteAsync(async db =>
        {
            foreach (var (chatId, messageId) in newest)
            {
                await MarkReadUpToAsync(db, chatId, userId, messageId, now);
            }
            return true;
        });
    }

    /// <summary>The legacy delete: the sender or the recipient may delete a DM message, and it is gone for both.</summary>
    public Task DeleteDirectMessageAsync(long userId, string? messageId)
    {
        if (string.IsNullOrWhiteSpace(messageId))
        {
            throw MirageException.BadRequest("missing message ID");
        }
        var notFound = MirageException.NotFound("message not found or unauthorized access");
        var id = PublicId.TryParse(messageId, MessagingIds.Message, out var parsed) ? parsed : throw notFound;
        return database.WriteAsync(async db =>
        {
            await RemoveAsync(db, await MessageStore.FindVisibleAsync(db, id, userId, directOnly: true) ?? throw notFound);
            return true;
        });
    }

    public Task<InboxCountResponse> CountInboxAsync(long userId) =>
        database.ReadAsync(async db =>
        {
            var (total, unread) = await InboxStore.CountAsync(db, userId);
            return new InboxCountResponse(total, unread);
        });

    /// <summary>
    /// Page <paramref name="page"/> (1 = newest) of the DM with a user, oldest first within the page, and the
    /// total: seed 002's <c>api.messages.chat(uid, page, limit)</c>. No DM yet is an empty conversation.
    /// </summary>
    public Task<ConversationPage> GetConversationAsync(long userId, string other, int? page, int? limit)
    {
        var take = PageSize.Clamp(limit, DefaultConversationPageSize, MaxMessagePageSize);
        var number = page ?? 1;
        if (number < 1)
        {
            throw MirageException.BadRequest("page must be a positive number");
        }
        return database.ReadAsync(async db =>
        {
            var partner = await UserLookup.FindAsync(db, other) ?? throw MirageException.NotFound("user not found");
            if (await ChatStore.FindDirectAsync(db, MessageRules.DmKey(userId, partner.Id)) is not { } chatId || partner.Id == userId)
            {
                return new ConversationPage([], 0);
            }
            var rows = await MessageStore.PageByNumberAsync(db, chatId, (int)Math.Min(int.MaxValue, (number - 1L) * take), take);
            rows.Reverse();
            return new ConversationPage(await ChatRenderer.MessagesAsync(db, rows), await MessageStore.CountAsync(db, chatId));
        });
    }

    /// <summary>The user's DM partners by latest activity, archived ones included (seed 002 <c>api.messages.conversations()</c>).</summary>
    public Task<List<Conversation>> ListConversationsAsync(long userId, int? limit = null)
    {
        var take = PageSize.Clamp(limit, MaxConversations, MaxConversations);
        return database.ReadAsync(async db =>
        {
            var rows = await ChatStore.ListForUserAsync(db, userId, archived: null, ChatTypes.Dm, after: null, take);
            var chats = await ChatRenderer.ChatsAsync(db, rows);
            var self = PublicId.Format(PublicId.User, userId);
            return chats
                .Select(c => (Chat: c, Partner: c.ChatParticipants.FirstOrDefault(p => p.UserId != self)?.Profiles))
                .Where(x => x.Partner is not null)
                .Select(x => new Conversation(x.Partner!, x.Chat.Id, x.Chat.LastMessage, x.Chat.UnreadCount, x.Chat.UpdatedAt))
                .ToList();
        });
    }
}
