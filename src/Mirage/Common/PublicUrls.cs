namespace Mirage.Common;

/// <summary>
/// Builds absolute URLs for things Mirage serves itself (default avatar, uploaded files), so that clients on
/// other origins can use them. The base is the request's own scheme and host.
/// </summary>
public sealed class PublicUrls(IHttpContextAccessor accessor)
{
    public const string DefaultAvatarPath = "/static/default-avatar.svg";

    // The last request's origin and its default avatar URL: nearly every request of a page repeats it, and a page of
    // posts by users without an avatar asked for it once per post.
    private Origin? last;

    public string Absolute(string path) => CurrentOrigin() is { } origin ? origin.Base + path : path;

    /// <summary>The avatar to show for a user: their own, or Mirage's default when they have none.</summary>
    public string Avatar(string? avatarUrl) =>
        !string.IsNullOrEmpty(avatarUrl) ? avatarUrl : CurrentOrigin()?.DefaultAvatar ?? DefaultAvatarPath;

    private Origin? CurrentOrigin()
    {
        var request = accessor.HttpContext?.Request;
        if (request is null || !request.Host.HasValue)
        {
            return null;
        }
        var (scheme, host, pathBase) = (request.Scheme, request.Host.ToUriComponent(), request.PathBase.ToUriComponent());
        var origin = last;
        if (origin is null || origin.Scheme != scheme || origin.Host != host || origin.PathBase != pathBase)
        {
            origin = new Origin(scheme, host, pathBase, $"{scheme}://{host}{pathBase}");
            last = origin;
        }
        return origin;
    }

    private sealed record Origin(string Scheme, string Host, string PathBase, string Base)
    {
        public string DefaultAvatar { get; } = Base + DefaultAvatarPath;
    }
}
