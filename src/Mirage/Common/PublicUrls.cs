namespace Mirage.Common;

/// <summary>
/// Builds absolute URLs for things Mirage serves itself (default avatar, uploaded files), so that clients on
/// other origins can use them. The base is the request's own scheme and host.
/// </summary>
public sealed class PublicUrls(IHttpContextAccessor accessor)
{
    public const string DefaultAvatarPath = "/static/default-avatar.svg";

    public string Absolute(string path)
    {
        var request = accessor.HttpContext?.Request;
        return request is null || !request.Host.HasValue ? path : $"{request.Scheme}://{request.Host}{request.PathBase}{path}";
    }

    /// <summary>The avatar to show for a user: their own, or Mirage's default when they have none.</summary>
    public string Avatar(string? avatarUrl) => string.IsNullOrEmpty(avatarUrl) ? Absolute(DefaultAvatarPath) : avatarUrl;
}
