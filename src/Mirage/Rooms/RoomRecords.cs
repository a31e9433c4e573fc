using System.Text.Json.Serialization;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Hosting;

namespace Mirage.Rooms;

/// <summary>The type prefixes of room ids on /v1 (<c>room_7</c>, <c>rmsg_42</c>).</summary>
public static class RoomIds
{
    public const string Room = "room";
    public const string Message = "rmsg";
}

/// <summary>A row of <c>rooms</c>; <see cref="Joined"/> says whether the asking user is a member.</summary>
public sealed class RoomRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public bool IsPrivate { get; init; }
    public string? PasswordHash { get; init; }
    public long OwnerId { get; init; }
    public long MembersCount { get; init; }
    public long LastSeq { get; init; }
    public long CreatedAt { get; init; }
    public bool Joined { get; init; }
}

/// <summary>A room message with its author's profile fields, read in the same query.</summary>
public sealed class RoomMessageRow
{
    public long Id { get; init; }
    public long RoomId { get; init; }
    public long Seq { get; init; }
    public long UserId { get; init; }
    public string Content { get; init; } = "";
    public long CreatedAt { get; init; }
    public string Username { get; init; } = "";
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? AvatarUrl { get; init; }

    public UserProfile Author => UserProfile.Of(UserId, Username, FirstName, LastName, AvatarUrl);
}

/// <summary>A page of room messages, oldest first, and the cursor of the next (older) page.</summary>
public sealed record RoomMessagePage(IReadOnlyList<RoomMessageRow> Messages, string? NextCursor);

/// <summary>A page of rooms and the cursor of the next page.</summary>
public sealed record RoomPage(IReadOnlyList<RoomRow> Rooms, string? NextCursor);

// /api requests: field names as the original web client sends them.
public sealed record CreateRoomRequest(string? RoomName, [property: JsonConverter(typeof(LenientBooleanConverter))] bool? IsPrivate, string? Password);

public sealed record JoinRoomRequest(string? Name, string? Password);

public sealed record RoomIdRequest(long? RoomId);

public sealed record SendRoomMessageRequest(long? RoomId, string? Message);

// /api responses.
public sealed record CreateRoomResponse(string Message, long RoomId);

public sealed record JoinRoomResponse(string Message, long RoomId, string RoomName);

public sealed record PublicRoomItem(long RoomId, string Name, bool Joined);

public sealed record PublicRoomsResponse(IReadOnlyList<PublicRoomItem> Rooms);

/// <summary><c>is_private</c> is 0 or 1, as the original answers.</summary>
public sealed record UserRoomItem(long RoomId, string Name, int IsPrivate);

public sealed record UserRoomsResponse(IReadOnlyList<UserRoomItem> Rooms);

public sealed record RoomMembersResponse(IReadOnlyList<string> Members);

/// <summary>Seed 003: <c>created_at</c> is Unix epoch seconds as a float.</summary>
public sealed record RoomMessageItem(string Username, string Message, [property: JsonConverter(typeof(EpochSecondsJsonConverter))] double CreatedAt, long RoomId)
{
    public static RoomMessageItem From(RoomMessageRow m) => new(m.Username, m.Content, Time.ToEpochSeconds(m.CreatedAt), m.RoomId);
}

public sealed record RoomMessagesResponse(IReadOnlyList<RoomMessageItem> Messages);

public sealed record UploadResponse(string Message, string FileUrl);

// /v1 requests and responses (seed 004 style: prefixed string ids, ISO times, author objects).
public sealed record CreateRoomRequestV1(string? Name, [property: JsonConverter(typeof(LenientBooleanConverter))] bool? IsPrivate, string? Password);

public sealed record JoinRoomRequestV1(string? Password);

public sealed record SendRoomMessageRequestV1(string? Content);

public sealed record RoomV1(string Id, string Name, bool IsPrivate, string OwnerId, long MemberCount, bool Joined, string CreatedAt)
{
    public static RoomV1 From(RoomRow r) => new(
        PublicId.Format(RoomIds.Room, r.Id), r.Name, r.IsPrivate, PublicId.Format(PublicId.User, r.OwnerId), r.MembersCount,
        r.Joined, Time.ToIso(r.CreatedAt));
}

public sealed record RoomResponseV1(RoomV1 Room);

public sealed record RoomListV1(IReadOnlyList<RoomV1> Rooms, string? NextCursor);

public sealed record RoomMembersV1(IReadOnlyList<UserProfile> Members);

public sealed record RoomMessageV1(string Id, string RoomId, string UserId, string Content, string CreatedAt, UserProfile Author)
{
    public static RoomMessageV1 From(RoomMessageRow m) => new(
        PublicId.Format(RoomIds.Message, m.Id), PublicId.Format(RoomIds.Room, m.RoomId), PublicId.Format(PublicId.User, m.UserId),
        m.Content, Time.ToIso(m.CreatedAt), m.Author);
}

public sealed record RoomMessageResponseV1(RoomMessageV1 Message);

public sealed record RoomMessagesV1(IReadOnlyList<RoomMessageV1> Messages, string? NextCursor);

public sealed record RoomFileV1(string Id, string Name, string Url, string ContentType, long Size);

public sealed record RoomFileResponseV1(RoomFileV1 File, RoomMessageV1 Message);
