using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Mirage.Common;
using Mirage.Hosting;

namespace Mirage.Accounts;

/// <summary>
/// Registrations from all addresses together, <c>Mirage:RateLimits:RegistrationsPerHour</c>: the per-address
/// limit alone let a botnet sign up without bound. Per node.
/// </summary>
public sealed class RegistrationThrottle(IOptions<MirageOptions> options) : IDisposable
{
    private readonly FixedWindowRateLimiter limiter = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = options.Value.RateLimits.RegistrationsPerHour,
        Window = TimeSpan.FromHours(1),
        QueueLimit = 0,
    });

    public void Acquire()
    {
        using var lease = limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(5);
            throw MirageException.TooManyRequests("too many registrations right now, try again later", wait);
        }
    }

    public void Dispose() => limiter.Dispose();
}
