using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Mirage.Hosting;

/// <summary>The <c>access_token</c> a request carried in its query string, taken out of the query before anything logs it.</summary>
public sealed record QueryTokenFeature(string Token);

/// <summary>
/// Browsers' EventSource and WebSocket clients can only pass a token as <c>?access_token=</c>, and the framework's
/// request log ("Request starting ... ?access_token=...") is written before any middleware runs. So the token is
/// moved out of the request where the server hands it to the application: the query reads
/// <c>access_token=REDACTED</c> in every log, trace and diagnostic, and authentication reads the
/// <see cref="QueryTokenFeature"/>. The features object is the server's own, so Kestrel's context pooling stays.
/// </summary>
public sealed class QueryTokenRedactingServer(IServer inner) : IServer
{
    public const string Redacted = "REDACTED";

    public IFeatureCollection Features => inner.Features;

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
        inner.StartAsync(new Application<TContext>(application), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    public void Dispose() => inner.Dispose();

    /// <summary>
    /// The in-memory test server stays as it is: WebApplicationFactory casts the registered server to it, and its
    /// requests never pass through a socket or a real request log.
    /// </summary>
    internal static IServer Wrap(IServer server) =>
        server.GetType().Assembly.GetName().Name == "Microsoft.AspNetCore.TestHost" ? server : new QueryTokenRedactingServer(server);

    /// <summary>The query without its access_token values, and the first of them; false when there is none.</summary>
    internal static bool TryTake(string query, out string token, out string redacted)
    {
        (token, redacted) = ("", query);
        if (query.IndexOf("access_token", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return false;
        }
        var parts = query.TrimStart('?').Split('&');
        var found = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? parts[i] : parts[i][..equals]);
            if (!name.Equals("access_token", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!found && equals >= 0)
            {
                token = Uri.UnescapeDataString(parts[i][(equals + 1)..].Replace('+', ' '));
                found = true;
            }
            parts[i] = $"access_token={Redacted}";
        }
        redacted = "?" + string.Join('&', parts);
        return found;
    }

    private sealed class Application<TContext>(IHttpApplication<TContext> inner) : IHttpApplication<TContext> where TContext : notnull
    {
        public TContext CreateContext(IFeatureCollection contextFeatures)
        {
            var request = contextFeatures.Get<IHttpRequestFeature>();
            if (request is not null && TryTake(request.QueryString, out var token, out var redacted))
            {
                contextFeatures.Set(new QueryTokenFeature(token));
                request.QueryString = redacted;
                var question = request.RawTarget.IndexOf('?', StringComparison.Ordinal);
                if (question >= 0)
                {
                    request.RawTarget = request.RawTarget[..question] + redacted;
                }
            }
            else
            {
                contextFeatures.Set<QueryTokenFeature>(null); // Kestrel reuses the collection for the connection's next request
            }
            return inner.CreateContext(contextFeatures);
        }

        public Task ProcessRequestAsync(TContext context) => inner.ProcessRequestAsync(context);

        public void DisposeContext(TContext context, Exception? exception) => inner.DisposeContext(context, exception);
    }
}
