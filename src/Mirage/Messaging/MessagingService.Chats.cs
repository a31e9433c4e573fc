using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Messaging;

/// <summary>Chats: create (a DM is unique per pair), list, rename, archive, invite.</summary>
public sealed partial class MessagingService
{
    public const int DefaultChatPageSize = 20;
    public const int MaxChatPageSize = 50;

    /// <summary>
    /// Creates a chat with the user and <c>participant_ids</c>: a DM for one other user (the existing one if there
    /// is one, with <c>Existing</c> true), a group for more. Unknown users are 404; naming only yourself is 400.
    /// </summary>
    public async Task<CreateChatResponse> CreateChatAsync(long userId, CreateChatRequest request)
    {
        var references = request.ParticipantIds;
        if (references is null || references.Count == 0)
        {
            throw MirageException.BadRequest("participant_ids must be a non-empty array of user ids");
        }
        if (references.Count >= MessageRules.MaxParticipants)
        {
            throw MirageException.BadRequest($"a chat has at most {MessageRules.MaxParticipants} participants");
        }
        var type = request.Type?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            ChatTypes.Dm => ChatTypes.Dm,
            ChatTypes.Group => ChatTypes.Group,
            _ => throw MirageException.BadRequest("type must be \"dm\" or \"group\""),
        };
        var name = MessageRules.ChatName(request.Name);
        var users = await database.ReadAsync(db => UserLookup.ResolveAsync(db, references));
        var others = users.Where(u => u.Id != userId).Select(u => u.Id).ToList();
        if (others.Count == 0)
        {
            throw MirageException.BadRequest("participant_ids must name at least one user other than yourself");
        }
        type ??= others.Count == 1 ? ChatTypes.Dm : ChatTypes.Group;
        if (type == ChatTypes.Dm && others.Count > 1)
        {
            throw MirageException.BadRequest("a dm is between you and exactly one other user");
        }
        var now = clock.NowMs();
        return await database.WriteAsync(async db =>
        {
            var (chatId, created) = type == ChatTypes.Dm
                ? await OpenDirectAsync(db, userId, others[0], now)
                : (await CreateGroupAsync(db, userId, others, name, now), true);
            var chat = created
                ? await events.ChatForEveryoneAsync(db, chatId, userId)
                : await ChatRenderer.ChatAsync(db, await FindChatAsync(db, chatId, userId));
            return new CreateChatResponse(chat, Existing: !created);
        });
    }

    /// <summary>
    /// The DM of two users, created on first use. The unique dm_key decides when two requests create it at
    /// once: on PostgreSQL the loser's insert does nothing and it finds the winner's chat.
    /// </summary>
    private static async Task<(long Id, bool Created)> OpenDirectAsync(DbSession db, long userId, long otherId, long now)
    {
        var key = MessageRules.DmKey(userId, otherId);
        if (await ChatStore.FindDirectAsync(db, key) is { } existing)
        {
            return (existing, false);
        }
        if (await ChatStore.InsertAsync(db, ChatTypes.Dm, null, key, userId, now) is not { } created)
        {
            return (await ChatStore.FindDirectAsync(db, key) ?? throw new InvalidOperationException("dm conflict without a dm"), false);
        }
        await ChatStore.AddParticipantsAsync(db, created, [userId, otherId], readUpTo: 0, now);
        return (created, true);
    }

    private static async Task<long> CreateGroupAsync(DbSession db, long userId, List<long> others, string? name, long now)
    {
        var chatId = await ChatStore.InsertAsync(db, ChatTypes.Group, name, null, userId, now)
            ?? throw new InvalidOperationException("a group insert cannot conflict");
        await ChatStore.AddParticipantsAsync(db, chatId, others.Prepend(userId), readUpTo: 0, now);
        return chatId;
    }

    /// <summary>
    /// The user's chats by latest activity, (updated_at, id) cursor. Archived chats are listed only with
    /// <paramref name="archived"/> true (and then only they). A chat that gets new activity while a client pages
    /// moves to the top: it is not repeated on later pages, and shows on a fresh first page.
    /// </summary>
    public Task<ChatPage> ListChatsAsync(long userId, int? limit, string? cursor, bool archived, string? type = null)
    {
        var take = PageSize.Clamp(limit, DefaultChatPageSize, MaxChatPageSize);
        var after = Cursor.Decode(cursor, 2);
        return database.ReadAsync(async db =>
        {
            var rows = await ChatStore.ListForUserAsync(db, userId, archived, type, after, take + 1);
            var page = rows.Take(take).ToList();
            var next = rows.Count > take ? Cursor.Encode(page[^1].UpdatedAt, page[^1].Id) : null;
            return new ChatPage(await ChatRenderer.ChatsAsync(db, page), next);
        });
    }

    /// <summary>One chat as the user sees it (participants, last message, unread count); 404 when not theirs.</summary>
    public Task<ChatDto> GetChatAsync(long userId, long chatId) =>
        database.ReadAsync(async db => await ChatRenderer.ChatAsync(db, await FindChatAsync(db, chatId, userId)));

    /// <summary>Renames a group or changes its avatar; only those two fields, and only for groups.</summary>
    public async Task<ChatDto> UpdateChatAsync(long userId, long chatId, UpdateChatRequest request)
    {
        if (request.Name is null && request.AvatarUrl is null)
        {
            throw MirageException.BadRequest("nothing to update: send name and/or avatar_url");
        }
        var name = MessageRules.ChatName(request.Name);
        var avatarUrl = AccountRules.HttpUrl(request.AvatarUrl, "avatar_url");
        return await database.WriteAsync(async db =>
        {
            await EnsureGroupAsync(db, chatId, userId, "only group chats have a name and avatar");
            await ChatStore.UpdateAsync(db, chatId, request.Name is not null, name, request.AvatarUrl is not null, avatarUrl);
            await ChatStore.TouchAsync(db, chatId, clock.NowMs());
            return await events.ChatForEveryoneAsync(db, chatId, userId);
        });
    }

    /// <summary>Archives (or restores) the chat for this user only.</summary>
    public Task SetArchivedAsync(long userId, long chatId, bool archived) =>
        database.WriteAsync(async db =>
        {
            await EnsureParticipantAsync(db, chatId, userId);
            await ChatStore.SetArchivedAsync(db, chatId, userId, archived ? clock.NowMs() : null);
            await events.ChatForUserAsync(db, chatId, userId);
            return true;
        });

    /// <summary>
    /// Adds a user to a group. Inviting a participant again changes nothing (false). Newcomers see the history
    /// but start with nothing unread.
    /// </summary>
    public async Task<bool> InviteAsync(long userId, long chatId, string? invitee)
    {
        if (string.IsNullOrWhiteSpace(invitee))
        {
            throw MirageException.BadRequest("user_id is required");
        }
        return await database.WriteAsync(async db =>
        {
            await EnsureGroupAsync(db, chatId, userId, "only group chats accept new participants");
            var user = await UserLookup.FindAsync(db, invitee) ?? throw MirageException.NotFound("user not found");
            if (await ChatStore.IsParticipantAsync(db, chatId, user.Id))
            {
                return false;
            }
            if (await ChatStore.CountParticipantsAsync(db, chatId) >= MessageRules.MaxParticipants)
            {
                throw MirageException.BadRequest($"a chat has at most {MessageRules.MaxParticipants} participants");
            }
            var now = clock.NowMs();
            await ChatStore.AddParticipantsAsync(db, chatId, [user.Id], await MessageStore.LatestIdAsync(db, chatId), now);
            await ChatStore.TouchAsync(db, chatId, now);
            await events.ChatForEveryoneAsync(db, chatId, userId);
            return true;
        });
    }

    private static async Task<ChatRow> FindChatAsync(DbSession db, long chatId, long userId) =>
        await ChatStore.FindForUserAsync(db, chatId, userId) ?? throw MirageException.NotFound("chat not found");

    private static async Task EnsureGroupAsync(DbSession db, long chatId, long userId, string refusal)
    {
        if ((await FindChatAsync(db, chatId, userId)).Type != ChatTypes.Group)
        {
            throw MirageException.BadRequest(refusal);
        }
    }
}
