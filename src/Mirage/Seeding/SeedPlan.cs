namespace Mirage.Seeding;

/// <summary>A vote of the generated data: voter index, +1 or -1, and when.</summary>
public readonly record struct VoteSeed(int Voter, int Value, long At);

/// <summary>A reply of the generated data: author index and when.</summary>
public readonly record struct ReplySeed(int Author, long At);

/// <summary>The shape of one generated post (its text is generated separately, only when it is written).</summary>
public sealed record PostShape(int Author, long CreatedAt, IReadOnlyList<VoteSeed> Votes, IReadOnlyList<ReplySeed> Replies);

/// <summary>The highest ids already in the database: generated rows take the ids after them.</summary>
public readonly record struct SeedIds(long User, long Post, long Chat, long Message);

/// <summary>
/// The generated data set as pure functions of the seed and an index: any user's follows or any post's votes
/// and replies can be regenerated at will, identically. That lets the seeder count everything first (so every
/// counter is right when its row is written) and then stream table by table (PostgreSQL COPY) without holding
/// the data set in memory.
/// </summary>
public sealed class SeedPlan(SeedOptions options, SeedIds baseIds, long now)
{
    private const int FollowStream = 1;
    private const int PostStream = 2;
    private const int PostTextStream = 3;
    private const int ReplyTextStream = 4;
    private const int UserStream = 5;
    private const int MaxVotesPerPost = 2000;
    private const int MaxRepliesPerPost = 200;
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private ChatPlan? chats;

    public SeedOptions Options => options;
    public long Now => now;
    public long Start => now - (options.Days * Day);

    /// <summary>The DM chats and their messages (their pairs are drawn on first use).</summary>
    public ChatPlan Chats => chats ??= new ChatPlan(this, baseIds.Chat, baseIds.Message);

    public long UserId(int user) => baseIds.User + user + 1;
    public long PostId(int post) => baseIds.Post + post + 1;
    public string Username(int user) => $"{options.Prefix}{user + 1}";

    public (string FirstName, string LastName, long CreatedAt) Profile(int user)
    {
        var random = new SeedRandom(options.Seed, UserStream, user);
        return (SeedText.FirstNames[random.Next(SeedText.FirstNames.Length)], SeedText.LastNames[random.Next(SeedText.LastNames.Length)],
            Start - (long)(random.NextDouble() * options.Days * Day) - 1);
    }

    /// <summary>Whom a user follows: about --follows-per-user distinct others, popular users more often.</summary>
    public List<(int Followee, long At)> Follows(int user)
    {
        var random = new SeedRandom(options.Seed, FollowStream, user);
        var wanted = Math.Min(options.Users - 1, (int)(options.FollowsPerUser * (0.5 + random.NextDouble())));
        var chosen = new HashSet<int>();
        var follows = new List<(int, long)>(wanted);
        for (var attempts = 0; follows.Count < wanted && attempts < wanted * 20; attempts++)
        {
            var followee = random.Skewed(options.Users, 2.0);
            if (followee != user && chosen.Add(followee))
            {
                follows.Add((followee, Start + (long)(random.NextDouble() * (now - Start))));
            }
        }
        return follows;
    }

    /// <summary>A post's author, time, votes and replies. Posts are in time order, so ids grow with time.</summary>
    public PostShape Post(int post)
    {
        var random = new SeedRandom(options.Seed, PostStream, post);
        var slot = (double)(now - Start) / Math.Max(1, options.Posts);
        var createdAt = Start + (long)((post + random.NextDouble()) * slot);
        var author = random.Skewed(options.Users, 1.6);
        var votes = new List<VoteSeed>();
        var voteCount = random.Geometric((double)options.Votes / Math.Max(1, options.Posts), Math.Min(MaxVotesPerPost, options.Users - 1));
        var voters = new HashSet<int>();
        for (var attempts = 0; votes.Count < voteCount && attempts < voteCount * 20; attempts++)
        {
            var voter = random.Next(options.Users);
            if (voter != author && voters.Add(voter))
            {
                votes.Add(new VoteSeed(voter, random.NextDouble() < 0.8 ? 1 : -1, Later(ref random, createdAt)));
            }
        }
        var replies = new List<ReplySeed>();
        var replyCount = random.Geometric((double)options.Replies / Math.Max(1, options.Posts), MaxRepliesPerPost);
        var at = createdAt;
        for (var i = 0; i < replyCount; i++)
        {
            at = Later(ref random, at);
            replies.Add(new ReplySeed(random.Next(options.Users), at));
        }
        return new PostShape(author, createdAt, votes, replies);
    }

    public string PostContent(int post, PostShape shape)
    {
        var random = new SeedRandom(options.Seed, PostTextStream, post);
        return SeedText.Post(ref random, (int)((shape.CreatedAt - Start) / Day));
    }

    public string ReplyContent(int post, int reply)
    {
        var random = new SeedRandom(options.Seed, ReplyTextStream, ((long)post << 8) | (uint)reply);
        return SeedText.Reply(ref random);
    }

    // Within six hours of the earlier moment, never in the future.
    private long Later(ref SeedRandom random, long after) =>
        Math.Min(now, after + (long)(random.NextDouble() * TimeSpan.FromHours(6).TotalMilliseconds));
}

/// <summary>Every profile counter of the generated users, computed from the plan before any row is written.</summary>
public sealed class SeedStats(int users)
{
    public long[] Followers { get; } = new long[users];
    public long[] Following { get; } = new long[users];
    public long[] Posts { get; } = new long[users];
    public long[] Upvotes { get; } = new long[users];
    public long[] Downvotes { get; } = new long[users];
}
