using R = Mirage.Bench.Wrk.Request;

namespace Mirage.Bench;

/// <summary>
/// A named load: the requests wrk cycles through. <see cref="NeedsV1"/> scenarios skip servers without /v1.
/// <see cref="WarmsUp"/> is false for a load whose requests cannot run twice from the start (a repeated vote is refused).
/// </summary>
public sealed record Scenario(string Name, string Kind, Func<DataSet, IReadOnlyList<R>> Requests, bool NeedsV1 = false, bool WarmsUp = true);

public static class Scenarios
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Page = "page";

    public static readonly Scenario Ping = new("ping", "ceiling", _ => [new R("GET", "/api/ping", null, null)]);

    public static readonly IReadOnlyList<Scenario> All =
    [
        new("get_posts", Read, d => d.Users.Select(u => new R("GET", $"/api/get_posts/{u.Username}", null, null)).ToList()),
        new("fyp", Read, d => d.Users.Select(u => new R("GET", "/api/fyp", u.Token, null)).ToList()),
        new("inbox", Read, d => d.Chats.SelectMany(c => new[] { c.A, c.B }).Select(u => new R("GET", "/api/inbox?limit=50", u.Token, null)).ToList()),
        new("get_room_messages", Read, d => d.Users.Select(u => new R("GET", $"/api/get_room_messages?room_id={d.RoomId}", u.Token, null)).ToList()),
        new("v1_chat_page", Read, d => d.Chats.Select(c => new R("GET", $"/v1/messages/{c.Id}", "Bearer " + c.A.Token, null)).ToList(), NeedsV1: true),
        new("v1_chat_list", Read, d => d.Chats.Select(c => new R("GET", "/v1/messages", "Bearer " + c.B.Token, null)).ToList(), NeedsV1: true),

        new("send_inbox_message", Write, d => d.Chats.Select(c => new R("POST", "/api/send_inbox_message", c.A.Token,
            $$"""{"recipient":"{{c.B.Username}}","message":"bench {n}"}""")).ToList()),
        new("v1_send_message", Write, d => d.Chats.Select(c => new R("POST", $"/v1/messages/{c.Id}", "Bearer " + c.B.Token,
            """{"content":"bench {n}"}""")).ToList(), NeedsV1: true),
        new("create_post", Write, d => d.Users.Select(u => new R("POST", "/api/create_post", u.Token,
            """{"content":"bench post {n} #load"}""")).ToList()),
        new("send_room_message", Write, d => d.Users.Select(u => new R("POST", "/api/send_room_message", u.Token,
            $$"""{"room_id":{{d.RoomId}},"message":"bench {n}"}""")).ToList()),
        new("vote_post", Write, Votes, WarmsUp: false),

        // The web app (a Lua app): pages signed in by the browser session cookie, which holds a session token.
        new("page_welcome", Page, _ => [new R("GET", "/", null, null)], NeedsV1: true),
        new("page_home", Page, d => d.Users.Select(u => new R("GET", "/", Cookie(u), null)).ToList(), NeedsV1: true),
        new("page_chat", Page, d => d.Chats.Select(c => new R("GET", $"/messages/{c.B.Username}", Cookie(c.A), null)).ToList(), NeedsV1: true),
        new("page_messages_heavy", Page, d => [new R("GET", "/messages", Cookie(d.Heavy), null)], NeedsV1: true),
    ];

    private static string Cookie(BenchUser user) => "cookie:" + user.Token;

    /// <summary>
    /// Every (voter, post) pair appears first as "up" and then, an even number of places later, as "down", so
    /// the same wrk thread alternates them and no request is a repeated vote. Nobody votes on their own post.
    /// </summary>
    private static List<R> Votes(DataSet d)
    {
        var pairs = d.Users.SelectMany(u => d.Posts.Where(p => p.AuthorIndex != u.Index).Take(20).Select(p => (u, p))).ToList();
        if (pairs.Count % 2 == 1)
        {
            pairs.RemoveAt(pairs.Count - 1);
        }
        return [.. pairs.Select(x => Vote(x.u, x.p, "up")), .. pairs.Select(x => Vote(x.u, x.p, "down"))];
    }

    private static R Vote(BenchUser user, SeededPost post, string direction) =>
        new("POST", "/api/vote_post", user.Token, $$"""{"post_id":{{post.Id}},"vote_type":"{{direction}}"}""");

    /// <summary>
    /// The soak's reads or writes: every scenario of the kind in turn, each walking its own list (votes aside: a
    /// repeated vote is refused, and a mix cannot keep each voter's up/down alternation).
    /// </summary>
    public static IReadOnlyList<R> Mix(DataSet d, string kind)
    {
        var lists = All.Where(s => s.Kind == kind && s.Name != "vote_post" && (!s.NeedsV1 || d.Chats.Count > 0))
            .Select(s => s.Requests(d)).Where(list => list.Count > 0).ToList();
        var length = lists.Count * lists.Max(l => l.Count);
        return [.. Enumerable.Range(0, length).Select(i => lists[i % lists.Count][i / lists.Count % lists[i % lists.Count].Count])];
    }

    /// <summary>Four reads to one write, as one load: how the soak measures its maximum.</summary>
    public static IReadOnlyList<R> Mixed(IReadOnlyList<R> reads, IReadOnlyList<R> writes) =>
        [.. Enumerable.Range(0, 5 * Math.Max(reads.Count / 4, writes.Count))
            .Select(i => i % 5 == 4 ? writes[i / 5 % writes.Count] : reads[(i - i / 5) % reads.Count])];

    public static IReadOnlyList<R> Logins(DataSet d) =>
        d.Users.Select(u => new R("POST", "/api/login", null, $$"""{"username":"{{u.Username}}","password":"{{BenchApi.Password}}"}""")).ToList();
}
