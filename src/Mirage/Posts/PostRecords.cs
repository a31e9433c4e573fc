using Mirage.Accounts;

namespace Mirage.Posts;

/// <summary>/v1 id prefixes of this feature (<c>post_12</c>, <c>reply_7</c>).</summary>
public static class PostIds
{
    public const string Post = "post";
    public const string Reply = "reply";
}

/// <summary>A post joined with its author, as every post query returns it.</summary>
public sealed class PostRow
{
    public long Id { get; init; }
    public long UserId { get; init; }
    public string Content { get; init; } = "";
    public long CreatedAt { get; init; }
    public long Upvotes { get; init; }
    public long Downvotes { get; init; }
    public long ReplyCount { get; init; }
    public string Username { get; init; } = "";
    public string? AvatarUrl { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
}

/// <summary>A reply joined with its author.</summary>
public sealed class ReplyRow
{
    public long Id { get; init; }
    public long PostId { get; init; }
    public long UserId { get; init; }
    public string Content { get; init; } = "";
    public long CreatedAt { get; init; }
    public string Username { get; init; } = "";
    public string? AvatarUrl { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
}

public sealed record CreatePostRequest(string? Content);

public sealed record VoteRequest(long? PostId, string? VoteType);

public sealed record ReplyRequest(long? PostId, string? Content);

public sealed record VoteRequestV1(string? Vote);

public sealed record ReplyRequestV1(string? Content);

/// <summary>The /api post: the original's six keys, plus <c>reply_count</c> and <c>avatar_url</c>.</summary>
public sealed record ApiPost(
    long Id, string Username, string Content, string CreatedAt, long Upvotes, long Downvotes, long ReplyCount, string AvatarUrl);

public sealed record PostsResponse(IReadOnlyList<ApiPost> Posts);

public sealed record CreatePostResponse(string Message, long PostId);

public sealed record ApiReply(long Id, string Username, string Content, string CreatedAt, string AvatarUrl);

public sealed record RepliesResponse(IReadOnlyList<ApiReply> Replies);

public sealed record CreateReplyResponse(string Message, long ReplyId);

/// <summary>The /v1 post: ids as strings, the author as the profile object seed 004 messages carry.</summary>
public sealed record PostV1(
    string Id, UserProfile Author, string Content, IReadOnlyList<string> Hashtags, string CreatedAt,
    long Upvotes, long Downvotes, long ReplyCount);

public sealed record PostEnvelopeV1(PostV1 Post);

public sealed record PostPageV1(IReadOnlyList<PostV1> Posts, string? NextCursor);

public sealed record ReplyV1(string Id, string PostId, UserProfile Author, string Content, string CreatedAt);

public sealed record ReplyEnvelopeV1(ReplyV1 Reply);

public sealed record ReplyPageV1(IReadOnlyList<ReplyV1> Replies, string? NextCursor);

public sealed record VoteResponseV1(string Message, PostV1 Post);
