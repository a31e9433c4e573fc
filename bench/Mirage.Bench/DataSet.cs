namespace Mirage.Bench;

/// <summary>How much data the HTTP seeding creates before the scenarios run.</summary>
public sealed record SeedSize(int Users = 100, int PostsPerUser = 10, int FollowsPerUser = 10, int RoomMessages = 100, int Chats = 50, int MessagesPerChat = 20);

public sealed record SeededPost(long Id, int AuthorIndex);

public sealed record SeededChat(string Id, BenchUser A, BenchUser B);

/// <summary>The data the scenarios read and write, created through the HTTP API.</summary>
public sealed class DataSet
{
    public required IReadOnlyList<BenchUser> Users { get; init; }
    public required IReadOnlyList<SeededPost> Posts { get; init; }
    public required long RoomId { get; init; }
    public required IReadOnlyList<SeededChat> Chats { get; init; }

    /// <summary>The user with the most conversations: a DM from every other seeded user (up to 100).</summary>
    public BenchUser Heavy => Users[0];

    public static async Task<DataSet> SeedAsync(BenchApi api, SeedSize size, string runId, Action<string> progress)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = 16 };
        var users = new BenchUser[size.Users];
        await Parallel.ForEachAsync(Enumerable.Range(0, size.Users), options, async (i, _) => users[i] = await api.RegisterAsync(i, runId));
        progress($"{users.Length} users");

        var posts = new List<SeededPost>();
        await Parallel.ForEachAsync(users, options, async (user, _) =>
        {
            for (var p = 0; p < size.PostsPerUser; p++)
            {
                var id = await api.CreatePostAsync(user, $"post {p} by {user.Username} #bench #topic{p % 7}");
                lock (posts)
                {
                    posts.Add(new SeededPost(id, user.Index));
                }
            }
        });
        progress($"{posts.Count} posts");

        await Parallel.ForEachAsync(users, options, async (user, _) =>
        {
            for (var f = 1; f <= Math.Min(size.FollowsPerUser, users.Length - 1); f++)
            {
                await api.FollowAsync(user, users[(user.Index + f) % users.Length]);
            }
        });

        var roomId = await CreateRoomWithMembersAsync(api, users, $"bench {runId}", options.MaxDegreeOfParallelism);
        await SendRoomMessagesAsync(api, users, roomId, size.RoomMessages);
        progress($"room {roomId} with {users.Length} members");

        var chats = new List<SeededChat>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Math.Min(size.Chats, users.Length / 2)), options, async (c, _) =>
        {
            var (a, b) = (users[2 * c], users[2 * c + 1]);
            for (var m = 0; m < size.MessagesPerChat; m++)
            {
                await api.SendInboxMessageAsync(m % 2 == 0 ? a : b, m % 2 == 0 ? b : a, $"dm {m}");
            }
            var chatId = await api.DmChatIdAsync(a, b);
            if (chatId is not null)
            {
                lock (chats)
                {
                    chats.Add(new SeededChat(chatId, a, b));
                }
            }
        });
        progress($"{chats.Count} DM chats");
        await Parallel.ForEachAsync(users.Skip(1).Take(100), options, async (user, _) =>
            await api.SendInboxMessageAsync(user, users[0], $"hello from {user.Username}"));
        progress($"{users[0].Username} has {Math.Min(100, users.Length - 1)} conversations");
        return new DataSet { Users = users, Posts = posts, RoomId = roomId, Chats = chats };
    }

    /// <summary>The users `mirage seed --sessions` signed in: its tokens file, one "username token" a line.</summary>
    public static IReadOnlyList<BenchUser> ReadTokens(string file) =>
        File.ReadLines(file).Select(line => line.Trim().Split(' ', 2)).Where(parts => parts.Length == 2)
            .Select((parts, i) => new BenchUser(i, parts[0], parts[1].Trim())).ToList();

    /// <summary>
    /// The data set of a server seeded by `mirage seed`: its signed-in users, a room they all join (rooms are not
    /// seeded), and their DM chats, found through /v1/messages as any client would, not in the database.
    /// </summary>
    public static async Task<DataSet> DiscoverAsync(BenchApi api, IReadOnlyList<BenchUser> users, string runId, Action<string> progress)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = 16 };
        var roomId = await CreateRoomWithMembersAsync(api, users, $"bench {runId}", options.MaxDegreeOfParallelism);
        await SendRoomMessagesAsync(api, users, roomId, 100);
        progress($"room {roomId} with {users.Count} members");

        var byName = users.ToDictionary(u => u.Username, StringComparer.OrdinalIgnoreCase);
        var chats = new List<SeededChat>();
        await Parallel.ForEachAsync(users, options, async (user, _) =>
        {
            var page = await api.GetAsync("/v1/messages?limit=2", "Bearer " + user.Token);
            foreach (var chat in page.GetProperty("chats").EnumerateArray())
            {
                var other = chat.GetProperty("chat_participants").EnumerateArray()
                    .Select(p => p.GetProperty("profiles").GetProperty("username").GetString())
                    .FirstOrDefault(name => !string.Equals(name, user.Username, StringComparison.OrdinalIgnoreCase));
                // The inbox and chat-list loads use the other side's token when it is one of ours.
                var b = other is not null && byName.TryGetValue(other, out var known) ? known : user;
                lock (chats)
                {
                    chats.Add(new SeededChat(chat.GetProperty("id").GetString()!, user, b));
                }
            }
        });
        chats.Sort((x, y) => (x.A.Index, x.Id).CompareTo((y.A.Index, y.Id)));
        progress($"{chats.Count} DM chats of {users.Count} signed-in users, found through /v1/messages");
        return new DataSet { Users = users, Posts = [], RoomId = roomId, Chats = chats };
    }

    /// <summary>A public room of the first user that all the others join.</summary>
    public static async Task<long> CreateRoomWithMembersAsync(BenchApi api, IReadOnlyList<BenchUser> users, string name, int parallelism)
    {
        var roomId = await api.CreateRoomAsync(users[0], name);
        await Parallel.ForEachAsync(users.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            async (user, _) => await api.JoinRoomAsync(user, name));
        return roomId;
    }

    private static async Task SendRoomMessagesAsync(BenchApi api, IReadOnlyList<BenchUser> users, long roomId, int count)
    {
        for (var m = 0; m < count; m++)
        {
            await api.SendRoomMessageAsync(users[m % users.Count], roomId, $"room message {m}");
        }
    }
}
