using System.Globalization;
using System.Text.RegularExpressions;

namespace Mirage.Seeding;

/// <summary>
/// Options of <c>mirage seed</c>. Anything it does not know (such as <c>--Mirage:Database:Provider=postgres</c>)
/// is left for the server's configuration, so the seeder writes to the database the server would use.
/// </summary>
public sealed partial record SeedOptions(
    int Users, int Posts, int Seed, int FollowsPerUser, long Votes, long Replies, int Days, string Prefix, int BatchSize,
    int Messages = 0, int Chats = 0, int Sessions = 0, string? TokensFile = null)
{
    public const string Password = "mirage-seed-password";

    public const string Usage = """
        usage: Mirage seed --users N --posts N [options] [--Mirage:Key=value ...]
          --users N              users to create (default 1000)
          --posts N              posts to create (default 10 per user)
          --seed N               random seed; the same seed gives the same data (default 42)
          --follows-per-user N   average follows per user (default 20)
          --votes N              votes in total (default one per post)
          --replies N            replies in total (default one per ten posts)
          --messages N           direct messages in total (default 0)
          --chats N              DM chats they are spread over (default min(2 per user, messages))
          --days N               posts and messages are spread over the last N days (default 30)
          --prefix NAME          usernames are NAME1, NAME2, ... (default "seed")
          --batch N              rows per transaction on SQLite (default 50000)
          --sessions N           sign in the first N users; needs --tokens-file (default 0)
          --tokens-file PATH     where their tokens go, one "username token" a line
        Every user's password is "mirage-seed-password".
        """;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,20}$")]
    private static partial Regex PrefixPattern();

    /// <summary>How many distinct DM chats <paramref name="users"/> users can have: one per pair.</summary>
    public static long MaxChats(int users) => (long)users * (users - 1) / 2;

    /// <summary>Parses the seed options; returns them and the arguments meant for configuration.</summary>
    public static (SeedOptions Options, string[] Configuration) Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = new List<string>();
        string[] known = ["users", "posts", "seed", "follows-per-user", "votes", "replies", "days", "prefix", "batch",
            "messages", "chats", "sessions", "tokens-file"];
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is not null && known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                values[name] = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"--{name} needs a value");
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        var users = Number(values, "users", 1000, min: 1);
        var posts = Number(values, "posts", users * 10L, min: 0);
        var messages = Number(values, "messages", 0, min: 0);
        // About two conversations per user, and never more chats than messages, so every chat has a history.
        var chats = Number(values, "chats", Math.Min(Math.Min(users * 2, MaxChats((int)users)), messages), min: 0);
        var options = new SeedOptions(
            (int)users, (int)posts, (int)Number(values, "seed", 42, min: int.MinValue),
            (int)Number(values, "follows-per-user", 20, min: 0), Number(values, "votes", posts, min: 0),
            Number(values, "replies", posts / 10, min: 0), (int)Number(values, "days", 30, min: 1),
            values.GetValueOrDefault("prefix", "seed"), (int)Number(values, "batch", 50_000, min: 1),
            (int)messages, (int)chats, (int)Number(values, "sessions", 0, min: 0), values.GetValueOrDefault("tokens-file"));
        Validate(options);
        return (options, rest.ToArray());
    }

    private static void Validate(SeedOptions options)
    {
        if (!PrefixPattern().IsMatch(options.Prefix))
        {
            throw new ArgumentException("--prefix must be 1-21 letters, digits or underscores, not starting with a digit");
        }
        if (options.Chats > MaxChats(options.Users))
        {
            throw new ArgumentException($"--chats: {options.Users:N0} users can have at most {MaxChats(options.Users):N0} DM chats");
        }
        if (options.Messages > 0 && options.Chats == 0)
        {
            throw new ArgumentException("--messages needs at least one chat (and so at least two users)");
        }
        if (options.Sessions > options.Users)
        {
            throw new ArgumentException("--sessions cannot exceed --users");
        }
        if (options.Sessions > 0 && string.IsNullOrWhiteSpace(options.TokensFile))
        {
            // Only hashes are stored: tokens nobody wrote down could never be used.
            throw new ArgumentException("--sessions needs --tokens-file PATH");
        }
    }

    private static long Number(Dictionary<string, string> values, string name, long fallback, long min)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || value < min || value > int.MaxValue && name is not ("votes" or "replies"))
        {
            throw new ArgumentException($"--{name} must be a whole number of at least {min}");
        }
        return value;
    }
}
