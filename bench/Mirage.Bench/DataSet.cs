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

        var roomName = $"bench {runId}";
        var roomId = await api.CreateRoomAsync(users[0], roomName);
        await Parallel.ForEachAsync(users.Skip(1), options, async (user, _) => await api.JoinRoomAsync(user, roomName));
        for (var m = 0; m < size.RoomMessages; m++)
        {
            await api.SendRoomMessageAsync(users[m % users.Length], roomId, $"room message {m}");
        }
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
        return new DataSet { Users = users, Posts = posts, RoomId = roomId, Chats = chats };
    }
}
