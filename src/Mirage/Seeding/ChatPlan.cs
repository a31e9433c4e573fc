namespace Mirage.Seeding;

/// <summary>One generated direct message: its chat, which side of the chat's pair sent it (0 or 1), and when.</summary>
public readonly record struct MessageShape(int Chat, int Side, long CreatedAt);

/// <summary>
/// The DM chats of the generated data set and their messages, pure functions of the seed like the rest of
/// <see cref="SeedPlan"/>. Chat c is between the users of <see cref="Pair"/> (distinct pairs; popular users are
/// in more of them). Messages are in time order, so ids grow with time as on a live server. Chat c opens with
/// message <see cref="Opening"/> — openings are spread evenly over the period — and every other message goes to
/// a chat that is already open, older chats more often: a few long conversations and many short ones.
/// </summary>
public sealed class ChatPlan
{
    // Streams 1-5 are SeedPlan's.
    private const int PairStream = 6;
    private const int MessageStream = 7;
    private const int MessageTextStream = 8;
    private const int ReadStream = 9;
    private const int EmptyChatStream = 10;

    private readonly SeedPlan plan;
    private readonly long baseChatId;
    private readonly long baseMessageId;
    private readonly (int A, int B)[] pairs;

    public ChatPlan(SeedPlan plan, long baseChatId, long baseMessageId)
    {
        this.plan = plan;
        this.baseChatId = baseChatId;
        this.baseMessageId = baseMessageId;
        pairs = DrawPairs(plan.Options);
        WithMessages = Math.Min(pairs.Length, Messages);
    }

    public int Count => pairs.Length;
    public int Messages => plan.Options.Messages;

    /// <summary>Chats 0 … WithMessages-1 have messages; any others (more chats than messages) are empty.</summary>
    public int WithMessages { get; }

    public long ChatId(int chat) => baseChatId + chat + 1;
    public long MessageId(int message) => baseMessageId + message + 1;
    public (int A, int B) Pair(int chat) => pairs[chat];
    public int Sender(MessageShape message) => message.Side == 0 ? pairs[message.Chat].A : pairs[message.Chat].B;

    /// <summary>The index of the message that opens chat <paramref name="chat"/> (which must have messages).</summary>
    public int Opening(int chat) => (int)((long)chat * Messages / WithMessages);

    public MessageShape Message(int message)
    {
        var random = new SeedRandom(plan.Options.Seed, MessageStream, message);
        var slot = (double)(plan.Now - plan.Start) / Messages;
        var createdAt = plan.Start + (long)((message + random.NextDouble()) * slot);
        // Openings are floor(c * Messages / WithMessages): the first chat whose opening is not before this message.
        var candidate = (int)(((long)message * WithMessages + Messages - 1) / Messages);
        int chat;
        if (candidate < WithMessages && Opening(candidate) == message)
        {
            chat = candidate;
        }
        else
        {
            var open = (int)Math.Min(WithMessages, ((message + 1L) * WithMessages + Messages - 1) / Messages);
            chat = random.Skewed(open, 1.5);
        }
        return new MessageShape(chat, random.Next(2), createdAt);
    }

    public string MessageContent(int message)
    {
        var random = new SeedRandom(plan.Options.Seed, MessageTextStream, message);
        return SeedText.Message(ref random);
    }

    /// <summary>Whether the participant who did not send a chat's last message has read it nonetheless.</summary>
    public bool HasReadAll(int chat) => new SeedRandom(plan.Options.Seed, ReadStream, chat).NextDouble() < 0.6;

    /// <summary>When an empty chat (one beyond <see cref="WithMessages"/>) was created.</summary>
    public long EmptyChatCreatedAt(int chat) =>
        plan.Start + (long)(new SeedRandom(plan.Options.Seed, EmptyChatStream, chat).NextDouble() * (plan.Now - plan.Start));

    /// <summary>
    /// Distinct pairs, the first member skewed toward popular users. When nearly every possible pair is wanted,
    /// random draws stall, so the rest are taken in order: deterministic either way.
    /// </summary>
    private static (int A, int B)[] DrawPairs(SeedOptions options)
    {
        var users = options.Users;
        var result = new (int A, int B)[options.Chats];
        var taken = new HashSet<long>(options.Chats);
        long Key(int a, int b) => (long)Math.Min(a, b) * users + Math.Max(a, b);
        var random = new SeedRandom(options.Seed, PairStream, 0);
        var n = 0;
        for (long attempts = 0; n < result.Length && attempts < 20L * result.Length; attempts++)
        {
            var (a, b) = (random.Skewed(users, 1.6), random.Next(users));
            if (a != b && taken.Add(Key(a, b)))
            {
                result[n++] = (a, b);
            }
        }
        for (var a = 0; n < result.Length && a < users; a++)
        {
            for (var b = a + 1; n < result.Length && b < users; b++)
            {
                if (taken.Add(Key(a, b)))
                {
                    result[n++] = (a, b);
                }
            }
        }
        return result;
    }
}
