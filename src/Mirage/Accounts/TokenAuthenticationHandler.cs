using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Mirage.Hosting;

namespace Mirage.Accounts;

/// <summary>
/// Reads <c>Authorization: &lt;token&gt;</c> or <c>Authorization: Bearer &lt;token&gt;</c> (and, on the
/// streaming endpoints only, <c>?access_token=</c>, since browsers cannot set headers there), and puts the
/// <see cref="CurrentUser"/> on the request. Endpoints only declare that they need one.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SessionService sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MirageToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        var user = await sessions.AuthenticateAsync(token, Context.RequestAborted);
        if (user is null)
        {
            return AuthenticateResult.Fail("unknown or expired token");
        }
        Context.Features.Set(user);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()), new Claim(ClaimTypes.Name, user.Username)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    public static string? ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        if (header.Length > 0)
        {
            const string bearer = "Bearer ";
            var token = header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? header[bearer.Length..].Trim() : header;
            return token.Length > 0 ? token : null;
        }
        if (!request.Path.StartsWithSegments("/v1/stream"))
        {
            return null;
        }
        if (request.HttpContext.Features.Get<QueryTokenFeature>() is { } taken)
        {
            var token = taken.Token.Trim();
            return token.Length > 0 ? token : null;
        }
        if (request.Query.TryGetValue("access_token", out var queryToken))
        {
            var token = queryToken.ToString().Trim();
            return token.Length > 0 ? token : null;
        }
        // A web app page's EventSource is signed in by its browser session cookie.
        return Apps.BrowserSessions.ReadToken(request);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ErrorResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, "unauthorized");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ErrorResponses.WriteAsync(Context, StatusCodes.Status403Forbidden, "forbidden");
}
