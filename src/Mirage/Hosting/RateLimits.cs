using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Mirage.Hosting;

/// <summary>Named rate-limit policies. Login and register are limited per client address.</summary>
public static class RateLimits
{
    public const string Auth = "auth";

    public static IServiceCollection AddMirageRateLimits(this IServiceCollection services)
    {
        return services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Auth, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<MirageOptions>>().Value.RateLimits.AuthPermitsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            limiter.OnRejected = (context, _) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? (int)Math.Ceiling(retryAfter.TotalSeconds)
                    : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString();
                return new ValueTask(ErrorResponses.WriteAsync(
                    context.HttpContext, StatusCodes.Status429TooManyRequests, $"too many attempts, try again in {seconds} seconds"));
            };
        });
    }
}
