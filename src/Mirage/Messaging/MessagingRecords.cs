using System.Text.Json.Serialization;
using Mirage.Accounts;

namespace Mirage.Messaging;

/// <summary>Chat types as stored and shown.</summary>
public static class ChatTypes
{
    public const string Dm = "dm";
    public const string Group = "group";
}

/// <summary>The /v1 id prefixes of this feature (<c>chat_7</c>, <c>msg_901</c>).</summary>
public static class MessagingIds
{
    public const string Chat = "chat";
    public const string Message = "msg";
}

// ---- requests (nullable: validated in MessagingService) ----

/// <summary><c>participant_ids</c> entries may be <c>user_N</c>, <c>N</c> (string or number) or usernames.</summary>
public sealed record CreateChatRequest(
    [property: JsonConverter(typeof(IdListJsonConverter))] IReadOnlyList<string>? ParticipantIds,
    string? Type,
    string? Name);

public sealed record SendMessageRequest(string? Content);

public sealed record UpdateChatRequest(string? Name, string? AvatarUrl);

public sealed record InviteRequest([property: JsonConverter(typeof(IdJsonConverter))] string? UserId);

/// <summary><c>message_id</c> absent: everything in the chat is read.</summary>
public sealed record MarkReadRequest([property: JsonConverter(typeof(IdJsonConverter))] string? MessageId);

public sealed record InboxSendRequest([property: JsonConverter(typeof(IdJsonConverter))] string? Recipient, string? Message);

public sealed record InboxDeleteRequest([property: JsonConverter(typeof(IdJsonConverter))] string? MessageId);

// ---- /v1 responses ----

/// <summary>A message as /v1 shows it (seed 004), plus <c>edited_at</c>.</summary>
public sealed record MessageDto(
    string Id,
    string ChatId,
    string UserId,
    string Content,
    string CreatedAt,
    string UpdatedAt,
    string? EditedAt,
    UserProfile? Author);

public sealed record ChatParticipantDto(string UserId, UserProfile? Profiles);

/// <summary>
/// A chat as the signed-in user sees it: seed 004's fields plus the per-user <c>last_message</c>,
/// <c>unread_count</c> and <c>archived</c>. Every endpoint that returns a chat returns this shape.
/// </summary>
public sealed record ChatDto(
    string Id,
    string Type,
    string? Name,
    string? AvatarUrl,
    string CreatedAt,
    string UpdatedAt,
    IReadOnlyList<ChatParticipantDto> ChatParticipants,
    MessageDto? LastMessage,
    long UnreadCount,
    bool Archived);

public sealed record ChatPage(IReadOnlyList<ChatDto> Chats, string? NextCursor);

public sealed record ChatResponse(ChatDto Chat);

/// <summary><c>existing</c> is true when the DM already existed (answered 200 instead of 201).</summary>
public sealed record CreateChatResponse(ChatDto Chat, bool Existing);

public sealed record MessagePage(IReadOnlyList<MessageDto> Messages, string? NextCursor);

public sealed record MessageResponse(MessageDto Message);

public sealed record UnreadResponse(long UnreadCount);

public sealed record ReadResponse(string Message, string ChatId, long UnreadCount);

// ---- api.messages (seed 002) views ----

/// <summary>A page of the conversation with one user: <c>{ items, total }</c>, items oldest first.</summary>
public sealed record ConversationPage(IReadOnlyList<MessageDto> Items, long Total);

/// <summary>A conversation partner for <c>api.messages.conversations()</c>.</summary>
public sealed record Conversation(UserProfile User, string ChatId, MessageDto? LastMessage, long UnreadCount, string UpdatedAt);

// ---- /api inbox (seed 000) ----

public sealed record InboxMessage(long Id, string Sender, string Recipient, string Message, string CreatedAt, string AvatarUrl);

public sealed record InboxResponse(IReadOnlyList<InboxMessage> Messages);

public sealed record InboxCountResponse(long InboxCount, long UnreadCount);

public sealed record InboxSentResponse(string Message, long MessageId, string ChatId);

// ---- rows ----

/// <summary>A chat joined with the reading user's participant row.</summary>
public sealed class ChatRow
{
    public long Id { get; init; }
    public string Type { get; init; } = "";
    public string? Name { get; init; }
    public string? AvatarUrl { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long? ArchivedAt { get; init; }
    public long UnreadCount { get; init; }
}

/// <summary>A chat's type and name with one participant's username.</summary>
public sealed class ChatHeader
{
    public string Type { get; init; } = "";
    public string? Name { get; init; }
    public string Username { get; init; } = "";
}

public sealed class ParticipantRow
{
    public long ChatId { get; init; }
    public long UserId { get; init; }
    public long JoinedAt { get; init; }
}

public sealed class MessageRow
{
    public long Id { get; init; }
    public long ChatId { get; init; }
    public long UserId { get; init; }
    public string Content { get; init; } = "";
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long? EditedAt { get; init; }
    public long? DeletedAt { get; init; }
}
