using Microsoft.Net.Http.Headers;
using Mirage.Accounts;

namespace Mirage.Hosting;

/// <summary>
/// Headers every answer carries, set as the response starts so that errors, 404s and streams get them too.
/// No Content-Security-Policy here: the web app's HTML pages set their own (uploads already get <c>sandbox</c>).
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state => Apply((HttpContext)state), context);
        return next(context);
    }

    private static Task Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // Stream URLs may carry ?access_token=: never hand an address of ours to another site.
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        if (CarriesCredentials(context) || (IsApi(context.Request) && !headers.ContainsKey(HeaderNames.CacheControl)))
        {
            // A shared cache or the browser's disk must not keep one user's answer (stream, inbox, a login's token).
            // API answers default to it too; an endpoint's own Cache-Control stands only when no credentials came.
            headers.CacheControl = "no-store";
            headers.Remove(HeaderNames.Expires);
            headers.Remove(HeaderNames.Pragma);
        }
        if (context.Request.Headers.ContainsKey(HeaderNames.Origin) && !VariesByOrigin(headers))
        {
            // Access-Control-Allow-Origin depends on the Origin sent (present for one, absent for another):
            // a cache must not answer one origin with what another got.
            headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        }
        return Task.CompletedTask;
    }

    private static bool CarriesCredentials(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true || TokenAuthenticationHandler.ReadToken(context.Request) is not null;

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/v1");

    private static bool VariesByOrigin(IHeaderDictionary headers) =>
        headers.Vary.Any(v => v?.Split(',').Any(p => p.Trim().Equals(HeaderNames.Origin, StringComparison.OrdinalIgnoreCase)) == true);
}
