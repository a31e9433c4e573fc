using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Mirage.Hosting;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto are believed only from <c>Mirage:ForwardedHeaders:KnownProxies</c>
/// (the framework's default would also believe any loopback peer). Behind a proxy, the client's address then
/// reaches the rate limits, which otherwise put every client of the proxy into one bucket; from anyone else, the
/// headers change nothing.
/// </summary>
public static class MirageForwardedHeaders
{
    public static IApplicationBuilder UseMirageForwardedHeaders(this IApplicationBuilder app)
    {
        var proxies = app.ApplicationServices.GetRequiredService<IOptions<MirageOptions>>().Value.ForwardedHeaders.KnownProxies;
        if (proxies.Length == 0)
        {
            return app;
        }
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            ForwardLimit = proxies.Length, // each hop through a known proxy, no further
        };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        return app.UseForwardedHeaders(options);
    }
}
