using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mirage.Tests.WebApp;

/// <summary>
/// Markup typed anywhere a person can type stays text: in a post, a reply, a bio, a room name, a room message and a
/// DM, rendered by the server and inserted live by app.js. A dialog (alert) or a CSP violation fails the test.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostileBrowserTests(WebBrowser browser)
{
    private const string Script = "<script>alert(1)</script>";
    private const string Image = "\"><img src=x onerror=alert(1)>";
    private const string Both = Script + " " + Image;

    /// <summary>The literal text is on the page and no element was made from it.</summary>
    private static async Task AssertTextAsync(Person person, ILocator scope, string text)
    {
        await Expect(scope.GetByText(text).First).ToBeVisibleAsync();
        await Expect(person.Page.Locator("img[src=x]")).ToHaveCountAsync(0);
        await Expect(person.Page.Locator("body script")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Markup_in_posts_replies_and_bios_stays_text()
    {
        await using var ada = await browser.NewPersonAsync();
        await using var bob = await browser.NewPersonAsync();
        await ada.SignUpAsync("mallory");
        await bob.SignUpAsync("victim");

        var path = await ada.PostAsync(Both);
        await AssertTextAsync(ada, ada.Page.GetByRole(AriaRole.Main), Script);
        await AssertTextAsync(ada, ada.Page.GetByRole(AriaRole.Main), Image);

        await bob.GoAsync(path);
        await AssertTextAsync(bob, bob.Page.GetByRole(AriaRole.Main), Both);
        await bob.Label("Your reply").FillAsync(Image + " " + Script);
        await bob.Button("Reply").ClickAsync();
        await Expect(bob.Page.GetByText("Reply posted.")).ToBeVisibleAsync();
        await AssertTextAsync(bob, bob.Page.GetByRole(AriaRole.Main), Image + " " + Script);

        await ada.GoAsync("/settings");
        await ada.Label("First name").FillAsync(Image);
        await ada.Label("Bio").FillAsync(Both);
        await ada.Button("Save profile").ClickAsync();
        await Expect(ada.Page.GetByText("Profile updated.")).ToBeVisibleAsync();
        await Expect(ada.Label("Bio")).ToHaveValueAsync(Both);
        await Expect(ada.Label("First name")).ToHaveValueAsync(Image);
        await bob.GoAsync("/u/" + ada.Username);
        await AssertTextAsync(bob, bob.Page.GetByRole(AriaRole.Main), Both);
        await Expect(bob.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Image);
        await bob.GoAsync("/tags/x"); // a page with the hostile name in nothing: still no dialog
        await ada.GoAsync("/");
        await Expect(ada.Page.GetByRole(AriaRole.Banner)).ToContainTextAsync(Image); // the account menu's name
        await ada.GoAsync("/notifications");
        await AssertTextAsync(ada, ada.Page.GetByRole(AriaRole.Main), bob.Username);
    }

    [Fact]
    public async Task Markup_in_room_names_room_messages_and_dms_stays_text_also_when_it_arrives_live()
    {
        await using var ada = await browser.NewPersonAsync();
        await using var bob = await browser.NewPersonAsync();
        await ada.SignUpAsync("injector");
        await bob.SignUpAsync("watcher");

        await ada.GoAsync("/rooms");
        await ada.Label("Name").FillAsync(Image);
        await ada.Button("Create room").ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Image);
        var room = new Uri(ada.Page.Url).AbsolutePath;
        await bob.GoAsync("/rooms");
        await AssertTextAsync(bob, bob.Page.GetByRole(AriaRole.Main), Image);
        await bob.Page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = Image }).GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Image);
        await bob.StreamReadyAsync();

        await ada.GoAsync(room);
        await ada.Page.GetByLabel("Message " + Image).FillAsync(Both);
        await ada.Button("Send").ClickAsync();
        var live = bob.Page.GetByRole(AriaRole.List, new() { Name = "Messages" });
        await AssertTextAsync(bob, live, Both); // inserted by app.js
        await bob.Page.ReloadAsync();
        await AssertTextAsync(bob, bob.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }), Both); // rendered by the server
        await bob.GoAsync(room + "/members");
        await AssertTextAsync(bob, bob.Page.GetByRole(AriaRole.Main), Image);

        await bob.GoAsync("/messages");
        await bob.Label("Username").FillAsync(ada.Username);
        await bob.Label("Message").FillAsync(Script);
        await bob.Button("Start chat").ClickAsync();
        await AssertTextAsync(bob, bob.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }), Script);
        await ada.GoAsync("/messages");
        await AssertTextAsync(ada, ada.Page.GetByRole(AriaRole.Main), Script); // the conversation's preview
        await ada.Page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex(bob.Username) }).ClickAsync();
        await ada.StreamReadyAsync();
        await bob.Page.ReloadAsync();
        await bob.StreamReadyAsync();
        await bob.Page.GetByLabel("Message " + ada.Username).FillAsync(Image);
        await bob.Button("Send").ClickAsync();
        await AssertTextAsync(ada, ada.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }), Image); // live
        await ada.Page.ReloadAsync();
        await AssertTextAsync(ada, ada.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }), Image);

        await ada.GoAsync("/messages");
        await ada.Label("Group name").FillAsync(Script);
        await ada.Label("Members").FillAsync(bob.Username);
        await ada.Button("Create group").ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Script);
        await bob.GoAsync("/messages");
        await AssertTextAsync(bob, bob.Page.GetByRole(AriaRole.Main), Script);
    }
}
