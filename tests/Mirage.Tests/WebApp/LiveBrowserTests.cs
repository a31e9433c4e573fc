using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mirage.Tests.WebApp;

/// <summary>Rooms, uploads and direct messages, with the live updates the event stream brings through the cookie.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveBrowserTests(WebBrowser browser)
{
    /// <summary>Marks the document, so a test can tell a live update from a reload.</summary>
    private static Task MarkAsync(Person person) => person.Page.EvaluateAsync("() => { window.__sameDocument = true; }");

    private static async Task AssertNotReloadedAsync(Person person) =>
        Assert.True(await person.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");

    private static async Task<string> CreatePrivateRoomAsync(Person owner, string name, string password)
    {
        await owner.Nav.GetByRole(AriaRole.Link, new() { Name = "Rooms" }).ClickAsync();
        await owner.Label("Name").FillAsync(name);
        await owner.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Private room" }).CheckAsync();
        await owner.Label("Password").FillAsync(password);
        await owner.Button("Create room").ClickAsync();
        await Expect(owner.Page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        await Expect(owner.Page.GetByText("Private", new() { Exact = true })).ToBeVisibleAsync();
        return new Uri(owner.Page.Url).AbsolutePath;
    }

    [Fact]
    public async Task A_private_room_is_joined_with_its_password_and_both_see_messages_live()
    {
        await using var ada = await browser.NewPersonAsync();
        await using var bob = await browser.NewPersonAsync();
        await ada.SignUpAsync("host");
        await bob.SignUpAsync("guest");
        var room = "Book club " + Guid.NewGuid().ToString("N")[..4];
        var path = await CreatePrivateRoomAsync(ada, room, "hunter22");

        await bob.Nav.GetByRole(AriaRole.Link, new() { Name = "Rooms" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Link, new() { Name = room })).ToHaveCountAsync(0); // not listed
        await bob.Label("Room name").FillAsync(room);
        await bob.Label("Room password").FillAsync("wrong one");
        await bob.Button("Join private room").ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await bob.Label("Room name").FillAsync(room);
        await bob.Label("Room password").FillAsync("hunter22");
        await bob.Button("Join private room").ClickAsync();
        await Expect(bob.Page.GetByText($"Welcome to {room}.")).ToBeVisibleAsync();
        await Expect(bob.Page).ToHaveURLAsync(new Regex(Regex.Escape(path) + "$"));

        await ada.GoAsync(path);
        await Expect(ada.Page.GetByRole(AriaRole.Link, new() { Name = "2 members" })).ToBeVisibleAsync();
        await ada.StreamReadyAsync();
        await bob.StreamReadyAsync();
        await MarkAsync(ada);
        await MarkAsync(bob);

        var messages = bob.Page.GetByRole(AriaRole.List, new() { Name = "Messages" });
        await bob.Page.GetByLabel("Message " + room).FillAsync("Hello from Bob");
        await bob.Button("Send").ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }).GetByText("Hello from Bob")).ToBeVisibleAsync();
        await Expect(messages.GetByText("Hello from Bob")).ToBeVisibleAsync();
        await Expect(bob.Page.GetByLabel("Message " + room)).ToHaveValueAsync(""); // cleared for the next one

        await ada.Page.GetByLabel("Message " + room).FillAsync("Hi Bob, welcome");
        await ada.Page.GetByLabel("Message " + room).PressAsync("Enter"); // Enter sends
        await Expect(messages.GetByText("Hi Bob, welcome")).ToBeVisibleAsync();
        await AssertNotReloadedAsync(ada);
        await AssertNotReloadedAsync(bob);

        await bob.Page.GetByRole(AriaRole.Link, new() { Name = "2 members" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Link, new() { Name = ada.Username })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_file_uploads_into_a_room_with_progress_and_its_link_appears()
    {
        await using var ada = await browser.NewPersonAsync();
        await ada.SignUpAsync("sharer");
        await ada.Nav.GetByRole(AriaRole.Link, new() { Name = "Rooms" }).ClickAsync();
        var room = "Photos " + Guid.NewGuid().ToString("N")[..4];
        await ada.Label("Name").FillAsync(room);
        await ada.Button("Create room").ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Name = room, Level = 1 })).ToBeVisibleAsync();

        // Hold the upload until the progress UI has been seen, then let it through: no timing, no sleeping.
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await ada.Page.RouteAsync("**/files", async route =>
        {
            await seen.Task;
            await route.ContinueAsync();
        });
        await ada.Label("Share a file (up to 24 MiB)").SetInputFilesAsync(new FilePayload
        {
            Name = "minutes.txt", MimeType = "text/plain", Buffer = "Minutes of the meeting"u8.ToArray(),
        });
        await ada.Button("Upload").ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Uploading" })).ToBeVisibleAsync();
        await Expect(ada.Page.Locator("form[data-upload] progress")).ToBeVisibleAsync();
        await Expect(ada.Button("Upload")).ToBeDisabledAsync();
        seen.SetResult();

        var link = ada.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex("minutes\\.txt$") });
        await Expect(link).ToBeVisibleAsync();
        var href = await link.GetAttributeAsync("href");
        var file = await ada.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, file.Status);
        Assert.Equal("Minutes of the meeting", await file.TextAsync());
        await ada.Page.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.Wait });
    }

    [Fact]
    public async Task A_dm_started_by_username_arrives_live_in_the_open_chat_and_as_a_badge_elsewhere()
    {
        await using var ada = await browser.NewPersonAsync();
        await using var bob = await browser.NewPersonAsync();
        await ada.SignUpAsync("writer");
        await bob.SignUpAsync("recipient");

        await bob.GoAsync("/rooms");
        await bob.StreamReadyAsync();
        await MarkAsync(bob);
        await ada.Nav.GetByRole(AriaRole.Link, new() { Name = "Messages" }).ClickAsync();
        await Expect(ada.Page.GetByText("No conversations yet")).ToBeVisibleAsync();
        await ada.Label("Username").FillAsync(bob.Username.ToUpperInvariant());
        await ada.Label("Message").FillAsync("Are you coming tonight?");
        await ada.Button("Start chat").ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(bob.Username);
        await Expect(ada.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }).GetByText("Are you coming tonight?").First).ToBeVisibleAsync();

        // Bob is elsewhere: the unread badge in his navigation counts it, live.
        await Expect(bob.Badge("Messages")).ToContainTextAsync("1");
        await AssertNotReloadedAsync(bob);
        await bob.Nav.GetByRole(AriaRole.Link, new() { Name = "Messages" }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Main).GetByText("1 unread message")).ToBeVisibleAsync();
        await bob.Page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(ada.Username) }).ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }).GetByText("Are you coming tonight?").First).ToBeVisibleAsync();
        await Expect(bob.Nav.Locator("[data-badge=messages]")).ToBeHiddenAsync();

        // Both have the chat open: each message arrives without a reload.
        await bob.StreamReadyAsync();
        await ada.Page.ReloadAsync();
        await ada.StreamReadyAsync();
        await MarkAsync(ada);
        await MarkAsync(bob);
        await ada.Page.GetByLabel("Message " + bob.Username).FillAsync("I saved you a seat");
        await ada.Button("Send").ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }).GetByText("I saved you a seat")).ToBeVisibleAsync();
        await bob.Page.GetByLabel("Message " + ada.Username).FillAsync("On my way");
        await Expect(ada.Page.GetByText(bob.Username + " is typing…")).ToBeVisibleAsync();
        await bob.Button("Send").ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }).GetByText("On my way")).ToBeVisibleAsync();
        await AssertNotReloadedAsync(ada);
        await AssertNotReloadedAsync(bob);
    }

    [Fact]
    public async Task The_first_message_of_a_new_dm_reaches_a_chat_page_opened_before_it()
    {
        await using var ada = await browser.NewPersonAsync();
        await using var bob = await browser.NewPersonAsync();
        await ada.SignUpAsync("opener");
        await bob.SignUpAsync("waiter");

        // Bob opens the conversation before there is one: no chat yet, so nothing to follow live but the sender.
        await bob.GoAsync("/messages/" + ada.Username);
        await Expect(bob.Page.GetByText("No messages yet")).ToBeVisibleAsync();
        await bob.StreamReadyAsync();

        await ada.GoAsync("/messages/" + bob.Username);
        await ada.Page.GetByLabel("Message " + bob.Username).FillAsync("First words");
        await ada.Button("Send").ClickAsync();
        await Expect(bob.Page.GetByRole(AriaRole.List, new() { Name = "Messages" }).GetByText("First words")).ToBeVisibleAsync();
    }
}
