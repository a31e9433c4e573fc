
namespace Mirage.Tests.WebApp;

/// <summary>
/// PNGs of the main pages, desktop (1280×900) and phone (375×800), into docs/screenshots/ — only with
/// MIRAGE_SCREENSHOTS=1, so an ordinary run never rewrites them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(WebBrowser browser)
{
    private static string Directory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mirage.slnx")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        var path = Path.Combine(dir!.FullName, "docs", "screenshots");
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    private static async Task<WebVisitor> PersonAsync(WebBrowser browser, string username, string first, string last, string bio)
    {
        var visitor = WebVisitor.ForAddress(browser.Server.BaseAddress);
        await visitor.GetAsync("/signup");
        await visitor.SubmitAsync("/signup", ("username", username), ("email", username + "@example.com"), ("password", WebVisitor.Password));
        await visitor.SubmitAsync("/settings/profile", ("first_name", first), ("last_name", last), ("description", bio));
        return visitor;
    }

    private async Task<string> PostAsync(WebVisitor visitor, string content)
    {
        browser.Server.Clock.Advance(TimeSpan.FromMinutes(11)); // readable times, and the feed caches move on
        await visitor.SubmitAsync("/posts", ("content", content));
        var page = await visitor.GetAsync("/?tab=following");
        return WebVisitor.Find(page, "href=\"(/posts/[0-9]+)\"");
    }

    [Fact]
    public async Task Main_pages_at_desktop_and_phone_sizes()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("MIRAGE_SCREENSHOTS") == "1", "set MIRAGE_SCREENSHOTS=1 to rewrite docs/screenshots/");
        var suffix = Guid.NewGuid().ToString("N")[..3];
        string U(string name) => name + "_" + suffix;
        using var maya = await PersonAsync(browser, U("maya"), "Maya", "Okafor", "Photographer by the sea. I post the harbour at sunrise, most days. #photography");
        using var leo = await PersonAsync(browser, U("leo"), "Leo", "Park", "Building offline-first apps. Coffee, climbing, *bad puns*.");
        using var sam = await PersonAsync(browser, U("sam"), "Samira", "Haddad", "Board games and long walks.");
        using var jordan = await PersonAsync(browser, U("jordan"), "Jordan", "Lee", "New in town. Into film photography, cycling and good bread.");
        var me = U("jordan");

        await jordan.PostAsync($"/u/{U("maya")}/follow");
        await jordan.PostAsync($"/u/{U("leo")}/follow");
        await maya.PostAsync($"/u/{me}/follow");
        await PostAsync(sam, "Who's up for a **board game night** on Friday? I'll bring Wingspan and snacks. #boardgames #friday");
        await PostAsync(leo, "Shipped the new **offline mode** today: drafts now survive a dead battery. Thanks to everyone who tested the beta! #release");
        var harbour = await PostAsync(maya, "Sunrise over the harbour this morning — the fog finally lifted just before seven. #photography #harbour");
        var mine = await PostAsync(jordan, $"First week on Mirage. Loving the rooms already — thanks @{U("maya")} for the invite! #hello");
        await leo.SubmitAsync(mine + "/replies", ("content", "Welcome aboard! The *Harbour photographers* room is the friendliest one here."));
        await maya.SubmitAsync(mine + "/replies", ("content", "So glad you joined. Bring the Pentax on Saturday!"));
        await jordan.PostAsync(harbour + "/vote", ("direction", "up"));
        await leo.PostAsync(harbour + "/vote", ("direction", "up"));
        await maya.SubmitAsync(harbour + "/replies", ("content", "Shot on 35 mm, pushed one stop."));
        await PostAsync(sam, $"@{me} you should come to games night too!");

        var created = await maya.PostAsync("/rooms", ("name", "Harbour photographers"));
        var room = created.Location!;
        await maya.SubmitAsync("/rooms", ("name", "Release team"), ("is_private", "1"), ("password", "ship it"));
        await sam.SubmitAsync("/rooms", ("name", "Board games"));
        foreach (var who in new[] { leo, jordan })
        {
            await who.SubmitAsync(room + "/join");
        }
        await jordan.SubmitAsync("/rooms/join", ("name", "Release team"), ("password", "ship it"));
        browser.Server.Clock.Advance(TimeSpan.FromMinutes(4));
        await maya.PostAsync(room + "/messages", ("content", "Photo walk on Saturday, 7:00 at the lighthouse. Who's in?"));
        await leo.PostAsync(room + "/messages", ("content", "In! I'll bring the tripod."));
        await jordan.PostAsync(room + "/messages", ("content", "Count me in — first time shooting the harbour."));
        await maya.PostAsync(room + "/messages", ("content", "Lovely. Bring a warm jacket, it's windy by the water."));

        browser.Server.Clock.Advance(TimeSpan.FromMinutes(3));
        await maya.SubmitAsync("/messages/new", ("username", me), ("message", "Hey Jordan! Are you coming to the photo walk on Saturday?"));
        var chat = "/messages/" + await jordan.UserIdAsync(U("maya"));
        await jordan.PostAsync(chat, ("content", "Yes! Which lens should I bring?"));
        await maya.PostAsync("/messages/" + await maya.UserIdAsync(me), ("content", "The 50 mm is perfect. See you at seven!"));
        await sam.SubmitAsync("/messages/new", ("username", me), ("message", "Games night is at mine, 8 pm. Bring a friend if you like."));
        await leo.SubmitAsync("/messages/groups", ("name", "Climbing crew"), ("usernames", $"{me}, {U("sam")}"));

        browser.Server.Clock.Advance(TimeSpan.FromMinutes(2));
        var pages = new (string Name, string Path)[]
        {
            ("home", "/"), ("post", mine), ("profile", "/u/" + U("maya")), ("rooms", "/rooms"), ("room", room),
            ("notifications", "/notifications"), ("messages", "/messages"), ("chat", chat), ("settings", "/settings"),
        };
        var folder = Directory();
        foreach (var (size, width, height) in new[] { ("desktop", 1280, 900), ("mobile", 375, 800) })
        {
            await using var person = await browser.NewPersonAsync(width, height);
            await person.Page.Clock.SetSystemTimeAsync(browser.Server.Clock.GetUtcNow().UtcDateTime); // the server's (moved) clock
            await person.GoAsync("/login");
            await person.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"login-{size}.png") });
            await person.LogInAsync(me);
            foreach (var (name, path) in pages)
            {
                await person.GoAsync(path);
                await person.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{size}.png") });
            }
        }
    }
}
