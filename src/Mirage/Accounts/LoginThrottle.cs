using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Mirage.Common;
using Mirage.Hosting;

namespace Mirage.Accounts;

/// <summary>
/// Wrong passwords per account, whatever address they come from (an attacker rotating addresses passes every
/// per-address limit). Past <c>Mirage:RateLimits:LoginFailuresPerAccount</c> failures in the window, the account
/// takes logins only from addresses it has logged in from before, so guessing stops while its owner, from a usual
/// address, still gets in: the limit cannot be used to lock the owner out. Kept in memory, per node, bounded.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock, IOptions<MirageOptions> options) : IDisposable
{
    private const int KnownAddressesPerAccount = 8;
    private static readonly TimeSpan KnownAddressMemory = TimeSpan.FromDays(30);

    private readonly MemoryCache accounts = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    private RateLimitOptions Settings => options.Value.RateLimits;

    /// <summary>Throws a 429 when the account is locked to its known addresses and <paramref name="address"/> is not one.</summary>
    public void EnsureAllowed(long userId, string? address)
    {
        if (!accounts.TryGetValue(userId, out AccountState? state))
        {
            return;
        }
        var now = clock.GetUtcNow();
        lock (state!)
        {
            state.Prune(now - Settings.LoginFailureWindow);
            if (state.Failures.Count < Settings.LoginFailuresPerAccount || (address is not null && state.Known.Contains(address)))
            {
                return;
            }
            var wait = state.Failures.Peek() + Settings.LoginFailureWindow - now;
            throw MirageException.TooManyRequests(
                $"too many failed logins for this account, try again in {Time.Describe(TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds)))}", wait);
        }
    }

    public void Failed(long userId)
    {
        var state = Get(userId);
        lock (state)
        {
            state.Failures.Enqueue(clock.GetUtcNow());
            while (state.Failures.Count > Settings.LoginFailuresPerAccount)
            {
                state.Failures.Dequeue(); // only the newest failures matter to the limit
            }
        }
    }

    public void Succeeded(long userId, string? address)
    {
        if (address is null)
        {
            return;
        }
        var state = Get(userId);
        lock (state)
        {
            state.Known.Remove(address);
            state.Known.Add(address);
            if (state.Known.Count > KnownAddressesPerAccount)
            {
                state.Known.RemoveAt(0);
            }
        }
    }

    private AccountState Get(long userId) =>
        accounts.GetOrCreate(userId, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = KnownAddressMemory;
            return new AccountState();
        })!;

    public void Dispose() => accounts.Dispose();

    private sealed class AccountState
    {
        public Queue<DateTimeOffset> Failures { get; } = new();

        /// <summary>Addresses of successful logins, oldest first.</summary>
        public List<string> Known { get; } = [];

        public void Prune(DateTimeOffset before)
        {
            while (Failures.Count > 0 && Failures.Peek() < before)
            {
                Failures.Dequeue();
            }
        }
    }
}
