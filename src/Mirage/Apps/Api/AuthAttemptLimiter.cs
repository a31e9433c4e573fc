using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Mirage.Common;
using Mirage.Hosting;

namespace Mirage.Apps.Api;

/// <summary>
/// api.users.login and register count against the same per-address budget as <c>/api/login</c> and
/// <c>/api/register</c> (<c>Mirage:RateLimits:AuthPermitsPerMinute</c>, a bucket each): an app page is no way around it.
/// </summary>
public sealed class AuthAttemptLimiter(IOptions<MirageOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> logins = Create(options), registrations = Create(options);

    private static PartitionedRateLimiter<string> Create(IOptions<MirageOptions> options) =>
        PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => RateLimits.AuthWindow(options.Value)));

    public void Login(HttpContext http) => Acquire(logins, http);

    public void Register(HttpContext http) => Acquire(registrations, http);

    private static void Acquire(PartitionedRateLimiter<string> limiter, HttpContext http)
    {
        using var lease = limiter.AttemptAcquire(RateLimits.ClientAddress(http));
        if (!lease.IsAcquired)
        {
            throw new MirageException(StatusCodes.Status429TooManyRequests, "too many attempts, try again in a minute");
        }
    }

    public void Dispose()
    {
        logins.Dispose();
        registrations.Dispose();
    }
}
