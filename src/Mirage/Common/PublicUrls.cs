using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Mirage.Hosting;

namespace Mirage.Common;

/// <summary>
/// Builds absolute URLs for things Mirage serves itself (default avatar, uploaded files), so that clients on
/// other origins can use them. The base is <c>Mirage:PublicUrl</c>, or else the first address the server listens
/// on; never the request's Host header, which any client sets: an upload's URL is stored in a room message for
/// good, and <c>Host: evil.example</c> once put <c>http://evil.example/files/...</c> there.
/// </summary>
public sealed class PublicUrls(IOptions<MirageOptions> options, IServiceProvider services, IConfiguration configuration)
{
    public const string DefaultAvatarPath = "/static/default-avatar.svg";

    private Origin? settled;

    public string Absolute(string path) => Current().Base + path;

    /// <summary>The avatar to show for a user: their own, or Mirage's default when they have none.</summary>
    public string Avatar(string? avatarUrl) => !string.IsNullOrEmpty(avatarUrl) ? avatarUrl : Current().DefaultAvatar;

    /// <summary>The base without a trailing slash, e.g. <c>https://mirage.example</c>.</summary>
    public string Base => Current().Base;

    private Origin Current()
    {
        if (settled is { } origin)
        {
            return origin;
        }
        if (options.Value.PublicUrl is { Length: > 0 } configured)
        {
            return settled = new Origin(configured.TrimEnd('/'));
        }
        // Kestrel knows the real port (also for port 0) once it listens; before that, the configured address.
        var listening = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (listening is not null)
        {
            return settled = new Origin(Normalise(listening));
        }
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        return new Origin(Normalise(string.IsNullOrWhiteSpace(urls) ? MirageHostingExtensions.DefaultUrl : urls.Split(';')[0]));
    }

    /// <summary>A listen address as a URL: a wildcard host (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) becomes localhost.</summary>
    internal static string Normalise(string address)
    {
        var text = address.Trim().Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return text.TrimEnd('/');
        }
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        var builder = new UriBuilder(uri) { Host = host };
        return builder.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    private sealed record Origin(string Base)
    {
        public string DefaultAvatar { get; } = Base + DefaultAvatarPath;
    }
}
