using Mirage.Accounts;
using Mirage.Common;
using Mirage.Files;

namespace Mirage.Apps.Api;

/// <summary>One visitor's request as the api.* bindings see it: who is signed in, and what the request carried.</summary>
public sealed class AppVisit(HttpContext http, CurrentUser? visitor, BrowserSessions sessions)
{
    public HttpContext Http { get; } = http;

    public CurrentUser? Visitor { get; private set; } = visitor;

    /// <summary>The visitor's names and avatar, read once per request for <c>env.user</c>.</summary>
    public UserProfile? Profile { get; init; }

    /// <summary>The signed-in visitor, or 401 "login required" (the error page a script gets for an anonymous call).</summary>
    public CurrentUser User => Visitor ?? throw MirageException.Unauthorized("login required");

    /// <summary>Files of a multipart request by form field, staged on disk; api.rooms.upload consumes them.</summary>
    public Dictionary<string, UploadedFile> Files { get; } = new(StringComparer.Ordinal);

    public int ApiCalls { get; set; }

    public async Task SignInAsync(string token)
    {
        sessions.SetCookie(Http, token);
        Visitor = await sessions.AuthenticateTokenAsync(token);
    }

    public async Task SignOutAsync()
    {
        await sessions.SignOutAsync(Http);
        Visitor = null;
    }
}

/// <summary>A file from a multipart form, staged on disk until the request ends.</summary>
public sealed record UploadedFile(string Field, string Name, string ContentType, long Size, StagedFile Staged);
