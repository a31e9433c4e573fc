using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Accounts;
using Mirage.Seeding;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Feed;

/// <summary>Seeded DM chats, their read markers and messages, and seeded sessions.</summary>
public abstract partial class SeedTests
{
    [Fact]
    public async Task Seeded_chats_have_consistent_markers_and_keep_working_after_the_seed()
    {
        var (options, _) = SeedOptions.Parse(["--users", "30", "--posts", "0", "--messages", "700", "--chats", "45", "--prefix", "sc", "--batch", "64"]);
        await using var writer = await OpenWriterAsync(options);
        var ids = await writer.MaxIdsAsync();
        var plan = new SeedPlan(options, ids, server.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        var again = new SeedPlan(options, ids, plan.Now);
        Assert.Equal(Enumerable.Range(0, 45).Select(plan.Chats.Pair), Enumerable.Range(0, 45).Select(again.Chats.Pair));
        Assert.Equal(plan.Chats.Message(321), again.Chats.Message(321));
        Assert.Equal(plan.Chats.MessageContent(321), again.Chats.MessageContent(321));
        await new Seeder(plan, writer, Quiet, PasswordHash).RunAsync();

        var (firstChat, lastChat) = (plan.Chats.ChatId(0), plan.Chats.ChatId(44));
        var p = new { firstChat, lastChat };
        var facts = await server.Database.ReadAsync(async db => new
        {
            Chats = await db.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM chats WHERE id BETWEEN @firstChat AND @lastChat AND type = 'dm'", p),
            Messages = await db.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM messages WHERE chat_id BETWEEN @firstChat AND @lastChat", p),
            // Two participants per chat, named by its dm_key; every message is by one of them.
            BadKeys = await db.Connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM chats c WHERE c.id BETWEEN @firstChat AND @lastChat AND c.dm_key <> COALESCE(
                    (SELECT CAST(MIN(user_id) AS TEXT) || ':' || CAST(MAX(user_id) AS TEXT) FROM chat_participants p
                     WHERE p.chat_id = c.id GROUP BY p.chat_id HAVING COUNT(*) = 2), '')
                """, p),
            Strangers = await db.Connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM messages m WHERE m.chat_id BETWEEN @firstChat AND @lastChat
                  AND NOT EXISTS (SELECT 1 FROM chat_participants p WHERE p.chat_id = m.chat_id AND p.user_id = m.user_id)
                """, p),
            // A chat's times are its first and last message's; ids follow time within a chat.
            BadTimes = await db.Connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM chats c WHERE c.id BETWEEN @firstChat AND @lastChat
                  AND (c.created_at <> (SELECT MIN(created_at) FROM messages m WHERE m.chat_id = c.id)
                    OR c.updated_at <> (SELECT MAX(created_at) FROM messages m WHERE m.chat_id = c.id)
                    OR EXISTS (SELECT 1 FROM chat_participants p WHERE p.chat_id = c.id AND p.joined_at <> c.created_at))
                """, p),
            OutOfOrder = await db.Connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM messages a JOIN messages b ON b.chat_id = a.chat_id AND b.id > a.id AND b.created_at < a.created_at
                WHERE a.chat_id BETWEEN @firstChat AND @lastChat
                """, p),
            // Sending moves the sender's marker to their message: a marker is at least one's own last message,
            // and at most the chat's last.
            BadMarkers = await db.Connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM chat_participants p WHERE p.chat_id BETWEEN @firstChat AND @lastChat
                  AND (p.last_read_message_id < COALESCE((SELECT MAX(id) FROM messages m WHERE m.chat_id = p.chat_id AND m.user_id = p.user_id), 0)
                    OR p.last_read_message_id > (SELECT MAX(id) FROM messages m WHERE m.chat_id = p.chat_id))
                """, p),
            Unread = await db.Connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM chat_participants p JOIN messages m ON m.chat_id = p.chat_id AND m.id > p.last_read_message_id
                WHERE p.chat_id BETWEEN @firstChat AND @lastChat
                """, p),
        });
        Assert.Equal(45, facts.Chats);
        Assert.Equal(700, facts.Messages);
        Assert.Equal((0L, 0L, 0L, 0L, 0L), (facts.BadKeys, facts.Strangers, facts.BadTimes, facts.OutOfOrder, facts.BadMarkers));
        Assert.InRange(facts.Unread, 1, 699); // some read everything, some did not

        // The server shows the seeded chat, newest message last, and counts unread messages from the markers.
        var api = server.Client;
        var (a, _) = plan.Chats.Pair(0);
        var token = await api.LoginAsync(plan.Username(a), SeedOptions.Password);
        var chatId = $"chat_{firstChat}";
        var page = await (await api.GetAsync($"/v1/messages/{chatId}?limit=3", token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        var newest = Enumerable.Range(0, 700).Last(i => plan.Chats.Message(i).Chat == 0);
        Assert.Equal($"msg_{plan.Chats.MessageId(newest)}", page.GetProperty("messages")[2].Str("id"));
        Assert.Equal(plan.Chats.MessageContent(newest), page.GetProperty("messages")[2].Str("content"));
        var expectedUnread = await server.Database.ReadAsync(db => db.Connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM chat_participants p
            JOIN messages m ON m.chat_id = p.chat_id AND m.id > p.last_read_message_id AND m.user_id <> p.user_id
            WHERE p.user_id = @user
            """, new { user = plan.UserId(a) }));
        var unread = await (await api.GetAsync("/v1/messages/unread", token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expectedUnread, unread.GetProperty("unread_count").GetInt64());

        // New messages and chats take ids after the seeded ones (sequences moved past them).
        var sent = await (await api.PostAsync($"/v1/messages/{chatId}", new { content = "after the seed" }, token, bearer: true)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal($"msg_{plan.Chats.MessageId(699) + 1}", sent.GetProperty("message").Str("id"));
        var pairs = Enumerable.Range(0, 45).Select(plan.Chats.Pair).ToHashSet();
        var stranger = Enumerable.Range(0, 30).First(u => u != a && !pairs.Contains((a, u)) && !pairs.Contains((u, a)));
        var created = await (await api.PostAsync("/v1/messages/chat", new { participant_ids = new[] { plan.Username(stranger) } }, token, bearer: true)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal($"chat_{lastChat + 1}", created.GetProperty("chat").Str("id"));
    }

    [Fact]
    public async Task Seeded_sessions_are_written_to_the_tokens_file_and_sign_in()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mirage-tokens-{Guid.NewGuid():N}.txt");
        var (options, _) = SeedOptions.Parse(["--users", "12", "--posts", "0", "--prefix", "ss", "--sessions", "5", "--tokens-file", file]);
        await using var writer = await OpenWriterAsync(options);
        var plan = new SeedPlan(options, await writer.MaxIdsAsync(), server.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        await new Seeder(plan, writer, Quiet, PasswordHash).RunAsync();
        var sessions = server.Factory.Services.GetRequiredService<SessionService>();
        try
        {
            var tokens = await SeedSessions.IssueAsync(server.Database, sessions, plan, options.Sessions, Quiet);
            await SeedSessions.WriteFileAsync(file, tokens);
            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(["ss1", "ss2", "ss3", "ss4", "ss5"], lines.Select(l => l.Split(' ')[0]));
            Assert.Equal(5, lines.Select(l => l.Split(' ')[1]).Distinct().Count());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            var api = server.Client;
            foreach (var line in lines)
            {
                var (username, token) = (line.Split(' ')[0], line.Split(' ')[1]);
                var me = await (await api.GetAsync("/v1/users/me", token, bearer: true)).ShouldBe(HttpStatusCode.OK);
                Assert.Equal(username, me.Str("username"));
                // Stored like a login's session: only the token's hash.
                var stored = await server.Database.ReadAsync(db => db.Connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM sessions WHERE token_hash = @hash", new { hash = SessionService.HashToken(token) }));
                Assert.Equal(1, stored);
            }
            var logout = await api.PostAsync("/api/logout", null, lines[0].Split(' ')[1]);
            await logout.ShouldBe(HttpStatusCode.OK);
            await (await api.GetAsync("/v1/users/me", lines[0].Split(' ')[1], bearer: true)).ShouldFail(HttpStatusCode.Unauthorized);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--sessions 3", "--sessions needs --tokens-file PATH")]
    [InlineData("--sessions 11 --tokens-file t.txt", "--sessions cannot exceed --users")]
    [InlineData("--chats 46", "--chats: 10 users can have at most 45 DM chats")]
    [InlineData("--messages 5 --chats 0", "--messages needs at least one chat (and so at least two users)")]
    [InlineData("--messages x", "--messages must be a whole number of at least 0")]
    public void Chat_and_session_options_are_validated(string arguments, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => SeedOptions.Parse(["--users", "10", .. arguments.Split(' ')]));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Chats_default_to_two_per_user_but_never_more_than_messages()
    {
        Assert.Equal((0, 0), Chats(["--users", "100"]));
        Assert.Equal((50, 50), Chats(["--users", "100", "--messages", "50"]));
        Assert.Equal((200, 100_000), Chats(["--users", "100", "--messages", "100000"]));
        Assert.Equal((1, 9), Chats(["--users", "2", "--messages", "9"]));

        static (int Chats, int Messages) Chats(string[] args) => SeedOptions.Parse(args).Options is var o ? (o.Chats, o.Messages) : default;
    }
}
