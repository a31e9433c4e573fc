using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Mirage.Hosting;

/// <summary>
/// Named rate-limit policies. Login and register are limited per client address, each in a bucket of its own (a
/// burst of sign-ups from a shared address no longer blocks its logins). The limits per account and over all
/// addresses are rules of Accounts (<see cref="Accounts.LoginThrottle"/>, <see cref="Accounts.RegistrationThrottle"/>).
/// </summary>
public static class RateLimits
{
    public const string Login = "login";
    public const string Register = "register";

    public static IServiceCollection AddMirageRateLimits(this IServiceCollection services)
    {
        return services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Login, context => PerAddress(context));
            limiter.AddPolicy(Register, context => PerAddress(context));
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

    /// <summary>One fixed window per client address (each policy keeps its own partitions).</summary>
    private static RateLimitPartition<string> PerAddress(HttpContext context) => RateLimitPartition.GetFixedWindowLimiter(
        ClientAddress(context), _ => AuthWindow(context.RequestServices.GetRequiredService<IOptions<MirageOptions>>().Value));

    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Login and register attempts a client address may make per minute (also the Lua apps' api.users).</summary>
    public static FixedWindowRateLimiterOptions AuthWindow(MirageOptions options) => new()
    {
        PermitLimit = options.RateLimits.AuthPermitsPerMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };
}
