namespace Mirage.Accounts;

/// <summary>A row of <c>users</c> as the stores read it.</summary>
public sealed class UserRow
{
    public long Id { get; init; }
    public string Username { get; init; } = "";
    public string Email { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string? AvatarUrl { get; init; }
    public string Description { get; init; } = "";
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string CustomCss { get; init; } = "";
    public string? BackgroundImage { get; init; }
    public long CreatedAt { get; init; }
    public long FollowersCount { get; init; }
    public long FollowingCount { get; init; }
    public long PostsCount { get; init; }
    public long Upvotes { get; init; }
    public long Downvotes { get; init; }
}

/// <summary>The signed-in user of a request, put there by the token authentication handler.</summary>
public sealed record CurrentUser(long Id, string Username, long SessionId, long SessionCreatedAt)
{
    /// <summary>Lets endpoints take a <see cref="CurrentUser"/> parameter; they also require authorization.</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Features.Get<CurrentUser>());
}

public sealed record RegisterRequest(string? Username, string? Email, string? Password, string? AvatarUrl, string? Description);

public sealed record LoginRequest(string? Username, string? Password);

public sealed record LogoutRequest(string? Token);

public sealed record SettingsRequest(
    string? Email,
    string? Password,
    string? CurrentPassword,
    string? AvatarUrl,
    string? Description,
    string? CustomCss,
    string? BackgroundImage,
    string? FirstName,
    string? LastName);

public sealed record LoginResponse(string Token, string Username);

public sealed record ProfileStats(long Followers, long Following, long Posts, long Upvotes, long Downvotes);

/// <summary>The <c>/api/user/{username}</c> shape.</summary>
public sealed record ProfileResponse(
    string Username,
    string AvatarUrl,
    string Description,
    string CreatedAt,
    string CustomCss,
    string? BackgroundImage,
    string? FirstName,
    string? LastName,
    ProfileStats Stats);

/// <summary>A profile page: the /v1 profile, the /api profile's fields, and the email for its owner only.</summary>
public sealed record FullProfile(
    string Id, string Username, string? FirstName, string? LastName, string AvatarUrl, string Description, string CreatedAt,
    string CustomCss, string? BackgroundImage, string? Email, ProfileStats Stats);

/// <summary>The <c>/v1</c> user shape (seed 004 <c>profiles</c> and <c>author</c> objects).</summary>
public sealed record UserProfile(string Id, string Username, string? FirstName, string? LastName, string? AvatarUrl)
{
    public static UserProfile From(UserRow row) => Of(row.Id, row.Username, row.FirstName, row.LastName, row.AvatarUrl);

    public static UserProfile Of(long userId, string username, string? firstName, string? lastName, string? avatarUrl) =>
        new(Common.PublicId.Format(Common.PublicId.User, userId), username, firstName, lastName, avatarUrl);
}
