using Mirage.Accounts;
using Mirage.Data;

namespace Mirage.Seeding;

/// <summary>
/// Signs in the first seeded users without HTTP: logging thousands of users in would hash thousands of passwords
/// (about 50 ms each, on purpose). Sessions are issued by <see cref="SessionService"/> itself, so they are exactly
/// what a login creates. Tokens stay random, not derived from the seed: a reproducible token would be a password
/// anyone with the seed could compute.
/// </summary>
public static class SeedSessions
{
    private const int PerWrite = 500;

    /// <summary>Issues a session for each of the first <paramref name="count"/> users of the plan; returns (username, token).</summary>
    public static async Task<List<(string Username, string Token)>> IssueAsync(
        IDatabase database, SessionService sessions, SeedPlan plan, int count, SeedProgress progress)
    {
        var tokens = new List<(string, string)>(count);
        progress.Begin("sessions", count);
        for (var first = 0; first < count; first += PerWrite)
        {
            var users = Enumerable.Range(first, Math.Min(PerWrite, count - first)).ToList();
            var issued = await database.WriteAsync(async db =>
            {
                var batch = new List<(string, string)>(users.Count);
                foreach (var user in users)
                {
                    batch.Add((plan.Username(user), await sessions.IssueAsync(db, plan.UserId(user))));
                }
                return batch;
            });
            tokens.AddRange(issued);
            progress.Report(tokens.Count);
        }
        progress.End(tokens.Count);
        return tokens;
    }

    /// <summary>One "username token" a line; a new file is readable by its owner only (the tokens are credentials).</summary>
    public static async Task WriteFileAsync(string path, IEnumerable<(string Username, string Token)> tokens)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        foreach (var (username, token) in tokens)
        {
            await writer.WriteLineAsync($"{username} {token}");
        }
    }
}
