using Microsoft.AspNetCore.Identity;

namespace Mirage.Accounts;

/// <summary>
/// Password (and room password) hashing, slow on purpose (PBKDF2). At most half the cores hash at once;
/// further logins wait their turn asynchronously, so a burst of logins never starves every other request of CPU.
/// </summary>
public sealed class PasswordHashing(IPasswordHasher<UserRow> hasher)
{
    private static readonly UserRow Subject = new();

    private readonly SemaphoreSlim gate = new(Math.Max(1, Environment.ProcessorCount / 2));

    public async Task<string> HashAsync(string password)
    {
        await gate.WaitAsync();
        try
        {
            return hasher.HashPassword(Subject, password);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<PasswordVerificationResult> VerifyAsync(string hash, string password)
    {
        await gate.WaitAsync();
        try
        {
            return hasher.VerifyHashedPassword(Subject, hash, password);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<bool> MatchesAsync(string hash, string password) =>
        await VerifyAsync(hash, password) != PasswordVerificationResult.Failed;
}
