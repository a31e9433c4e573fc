using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mirage.Tests.WebApp;

/// <summary>Accounts, posts, votes, replies, follows, notifications and settings, clicked through in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SocialBrowserTests(WebBrowser browser)
{
    [Fact]
    public async Task Sign_up_log_out_and_log_in_with_the_username_in_other_capitals()
    {
        await using var ada = await browser.NewPersonAsync();
        var name = await ada.SignUpAsync("ada");
        await Expect(ada.Nav.GetByRole(AriaRole.Link, new() { Name = "Home" })).ToHaveAttributeAsync("aria-current", "page");
        await ada.LogOutAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to Mirage" })).ToBeVisibleAsync();

        await ada.GoAsync("/login");
        await ada.Label("Username").FillAsync(name);
        await ada.Label("Password").FillAsync("wrong password");
        await ada.Button("Log in").ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong username or password.");
        await Expect(ada.Label("Username")).ToHaveValueAsync(name); // kept for the next try

        await ada.LogInAsync(name.ToUpperInvariant());
        await Expect(ada.Page.GetByText("Signed in as")).ToContainTextAsync("@" + name);
    }

    [Fact]
    public async Task A_post_with_a_hashtag_is_on_the_tag_page_and_others_vote_and_reply()
    {
        await using var ada = await browser.NewPersonAsync();
        await using var bob = await browser.NewPersonAsync();
        await ada.SignUpAsync("author");
        await bob.SignUpAsync("reader");
        var tag = "garden" + Guid.NewGuid().ToString("N")[..6];
        var path = await ada.PostAsync($"Tomatoes are ripe #{tag} come and see");

        await ada.Page.GetByRole(AriaRole.Link, new() { Name = "#" + tag }).First.ClickAsync();
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/tags/" + tag + "$"));
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Name = "#" + tag, Level = 1 })).ToBeVisibleAsync();
        await Expect(ada.Page.GetByText("Tomatoes are ripe")).ToBeVisibleAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Button, new() { Name = "Upvote" })).ToHaveCountAsync(0); // not on one's own post

        await bob.GoAsync("/tags/" + tag);
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Upvote" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Button, new() { Name = "Upvote 1" })).ToBeVisibleAsync();
        await bob.Page.GetByRole(AriaRole.Button, new() { Name = "Downvote" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Button, new() { Name = "Downvote 1" })).ToBeVisibleAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Button, new() { Name = "Upvote 0" })).ToBeVisibleAsync();
        await bob.Button("Withdraw vote").ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Button, new() { Name = "Downvote 0" })).ToBeVisibleAsync();

        await bob.GoAsync(path);
        await bob.Label("Your reply").FillAsync("Saving me a few?");
        await bob.Button("Reply").ClickAsync();
        await Expect(bob.Page.GetByText("Reply posted.")).ToBeVisibleAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Heading, new() { Name = "1 reply" })).ToBeVisibleAsync();
        await Expect(bob.Page.GetByText("Saving me a few?")).ToBeVisibleAsync();

        // Ada is told: the badge in her navigation, then the notification, marked read.
        await ada.GoAsync("/");
        await Expect(ada.Badge("Notifications")).ToContainTextAsync("1");
        await ada.Nav.GetByRole(AriaRole.Link, new() { Name = "Notifications" }).ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Main).GetByText("1 unread")).ToBeVisibleAsync();
        var item = ada.Page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = bob.Username });
        await item.GetByRole(AriaRole.Button, new() { Name = "Mark read" }).ClickAsync();
        await Expect(ada.Page.GetByText("You’re all caught up")).ToBeVisibleAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Button, new() { Name = "Mark read" })).ToHaveCountAsync(0);
        await Expect(ada.Nav.Locator("[data-badge=notifications]")).ToBeHiddenAsync();
        await ada.Page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Listitem).Filter(new() { HasText = bob.Username }).GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(ada.Page).ToHaveURLAsync(new Regex(Regex.Escape(path) + "$"));
    }

    [Fact]
    public async Task Following_someone_puts_their_posts_in_the_following_tab_and_notifies_them_live()
    {
        await using var ada = await browser.NewPersonAsync();
        await using var bob = await browser.NewPersonAsync();
        await ada.SignUpAsync("followee");
        await bob.SignUpAsync("follower");
        await ada.PostAsync("Morning walk by the river");

        await bob.GoAsync("/?tab=following");
        await Expect(bob.Page.GetByText("Morning walk by the river")).ToHaveCountAsync(0);
        await Expect(bob.Page.GetByText("Follow people to see their posts here")).ToBeVisibleAsync();

        await ada.GoAsync("/");
        await ada.StreamReadyAsync();
        await bob.GoAsync("/u/" + ada.Username);
        await bob.Button("Follow").ClickAsync();
        await Expect(bob.Page.GetByText($"You follow @{ada.Username}.")).ToBeVisibleAsync();
        await Expect(bob.Button("Unfollow")).ToBeVisibleAsync();
        await Expect(ada.Badge("Notifications")).ToContainTextAsync("1"); // live, without a reload

        await bob.Nav.GetByRole(AriaRole.Link, new() { Name = "Home" }).ClickAsync();
        await bob.Link("Following").ClickAsync();
        await Expect(bob.Page).ToHaveURLAsync(new Regex("/\\?tab=following$"));
        await Expect(bob.Page.GetByText("Morning walk by the river")).ToBeVisibleAsync();

        await ada.Nav.GetByRole(AriaRole.Link, new() { Name = "Notifications" }).ClickAsync();
        await ada.Button("Mark all read").ClickAsync();
        await Expect(ada.Page.GetByText("All caught up.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Settings_change_the_profile_the_email_and_the_password()
    {
        await using var ada = await browser.NewPersonAsync();
        var name = await ada.SignUpAsync("settler");
        await ada.Page.GetByRole(AriaRole.Banner).Locator("details.menu > summary").ClickAsync();
        await ada.Link("Settings").ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Name = "Settings", Level = 1 })).ToBeVisibleAsync();
        await ada.Label("First name").FillAsync("Ada");
        await ada.Label("Last name").FillAsync("Lovelace");
        await ada.Label("Bio").FillAsync("Writes programs for engines.");
        await ada.Button("Save profile").ClickAsync();
        await Expect(ada.Page.GetByText("Profile updated.")).ToBeVisibleAsync();
        await ada.Page.GetByRole(AriaRole.Link, new() { Name = "your profile page" }).ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Name = "Ada Lovelace", Level = 1 })).ToBeVisibleAsync();
        await Expect(ada.Page.GetByText("Writes programs for engines.")).ToBeVisibleAsync();

        await ada.GoAsync("/settings");
        await ada.Label("Email").FillAsync("ada." + name + "@example.org");
        await ada.Label("New password").FillAsync("analytical engine");
        await ada.Label("Current password").FillAsync("not my password");
        await ada.Button("Save account").ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await ada.Label("Email").FillAsync("ada." + name + "@example.org");
        await ada.Label("New password").FillAsync("analytical engine");
        await ada.Label("Current password").FillAsync(WebVisitor.Password);
        await ada.Button("Save account").ClickAsync();
        await Expect(ada.Page.GetByText("Account updated.")).ToBeVisibleAsync();
        await Expect(ada.Label("Email")).ToHaveValueAsync("ada." + name + "@example.org");

        await ada.LogOutAsync();
        await ada.LogInAsync(name, "analytical engine");
        await Expect(ada.Page.GetByRole(AriaRole.Banner)).ToContainTextAsync("Ada Lovelace");
    }
}
