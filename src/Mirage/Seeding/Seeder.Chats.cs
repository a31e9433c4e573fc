using Mirage.Messaging;

namespace Mirage.Seeding;

/// <summary>The DM chats, their participants (with read markers) and messages.</summary>
public sealed partial class Seeder
{
    private ChatPlan Chats => plan.Chats;

    private async Task WriteChatsAsync()
    {
        var history = CountMessages();
        await WriteAsync("chats", Chats.Count, SeedTable.Chats, ChatRows(history));
        await WriteAsync("members", Chats.Count * 2L, SeedTable.ChatParticipants, ParticipantRows(history));
        await WriteAsync("messages", Chats.Messages, SeedTable.Messages, MessageRows());
    }

    /// <summary>
    /// What each chat's row and read markers depend on: its first and last message and each side's last own
    /// message (message indexes, -1 for none).
    /// </summary>
    private sealed class ChatHistory(int chats)
    {
        public long[] CreatedAt { get; } = new long[chats];
        public long[] UpdatedAt { get; } = new long[chats];
        public int[] Creator { get; } = new int[chats];
        public int[] Last { get; } = Filled(chats);
        public int[] LastSide { get; } = new int[chats];
        public int[][] LastOfSide { get; } = [Filled(chats), Filled(chats)];

        private static int[] Filled(int n) => Enumerable.Repeat(-1, n).ToArray();
    }

    private ChatHistory CountMessages()
    {
        var history = new ChatHistory(Chats.Count);
        progress.Begin("counting", Chats.Messages);
        for (var i = 0; i < Chats.Messages; i++)
        {
            var message = Chats.Message(i);
            var chat = message.Chat;
            if (history.Last[chat] < 0)
            {
                history.CreatedAt[chat] = message.CreatedAt;
                history.Creator[chat] = message.Side;
            }
            history.Last[chat] = i;
            history.LastSide[chat] = message.Side;
            history.UpdatedAt[chat] = message.CreatedAt;
            history.LastOfSide[message.Side][chat] = i;
            if (i % 100_000 == 0)
            {
                progress.Report(i);
            }
        }
        for (var chat = Chats.WithMessages; chat < Chats.Count; chat++)
        {
            history.CreatedAt[chat] = history.UpdatedAt[chat] = Chats.EmptyChatCreatedAt(chat);
        }
        progress.End(Chats.Messages);
        return history;
    }

    private IEnumerable<object?[]> ChatRows(ChatHistory history)
    {
        for (var chat = 0; chat < Chats.Count; chat++)
        {
            var (a, b) = Chats.Pair(chat);
            var creator = history.Creator[chat] == 0 ? a : b;
            yield return
            [
                Chats.ChatId(chat), "dm", MessageRules.DmKey(plan.UserId(a), plan.UserId(b)), plan.UserId(creator),
                history.CreatedAt[chat], history.UpdatedAt[chat],
            ];
        }
    }

    /// <summary>
    /// Read markers as the server leaves them: sending moves the sender's marker to their message, so whoever
    /// sent the last message has read everything; the other has read it too, or (else) up to their own last message.
    /// </summary>
    private IEnumerable<object?[]> ParticipantRows(ChatHistory history)
    {
        for (var chat = 0; chat < Chats.Count; chat++)
        {
            var (a, b) = Chats.Pair(chat);
            for (var side = 0; side < 2; side++)
            {
                var last = history.Last[chat];
                var read = last < 0 ? -1
                    : history.LastSide[chat] == side || Chats.HasReadAll(chat) ? last
                    : history.LastOfSide[side][chat];
                yield return
                [
                    Chats.ChatId(chat), plan.UserId(side == 0 ? a : b), history.CreatedAt[chat], read < 0 ? 0L : Chats.MessageId(read),
                ];
            }
        }
    }

    private IEnumerable<object?[]> MessageRows()
    {
        for (var i = 0; i < Chats.Messages; i++)
        {
            var message = Chats.Message(i);
            yield return
            [
                Chats.MessageId(i), Chats.ChatId(message.Chat), plan.UserId(Chats.Sender(message)), Chats.MessageContent(i),
                message.CreatedAt, message.CreatedAt,
            ];
        }
    }
}
