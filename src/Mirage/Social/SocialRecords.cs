namespace Mirage.Social;

public sealed record FollowRequest(string? Username);

/// <summary>A row of a follower or following list.</summary>
public sealed class FollowRow
{
    public string Username { get; init; } = "";
    public string? AvatarUrl { get; init; }
}

public sealed record FollowEntry(string Username, string AvatarUrl);

public sealed record FollowersResponse(IReadOnlyList<FollowEntry> Followers);

public sealed record FollowingResponse(IReadOnlyList<FollowEntry> Following);

public sealed record CheckFollowResponse(bool IsFollowing);
