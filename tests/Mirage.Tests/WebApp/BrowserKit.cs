using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mirage.Tests.WebApp;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<WebBrowser>
{
    public const string Name = "web app in Chromium";
}

/// <summary>
/// One Mirage (SQLite, real Kestrel, only the built-in web app) and one headless Debian Chromium, shared by the
/// browser tests, which run one after another. Nothing is downloaded: without /usr/bin/chromium the tests skip.
/// </summary>
public sealed class WebBrowser : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;

    public WebAppKestrelServer Server { get; } = new();

    /// <summary>What the server logged at Error or above: a browser test fails on any of it.</summary>
    public ConcurrentQueue<string> ServerErrors { get; } = new();

    public static string? Unavailable => File.Exists(Chromium) ? null : $"{Chromium} is not installed: browser tests skipped (apt-get install chromium)";

    public async ValueTask InitializeAsync()
    {
        if (Unavailable is not null)
        {
            return;
        }
        await Server.InitializeAsync();
        Server.Factory.Services.GetRequiredService<ILoggerFactory>().AddProvider(new ErrorLog(ServerErrors));
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        SetDefaultExpectTimeout(15_000); // two shared cores: be patient, never sleep
    }

    /// <summary>A new person: their own browser context (cookies), one page, a watch for dialogs and script errors.</summary>
    public async Task<Person> NewPersonAsync(int width = 1280, int height = 900)
    {
        Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
        var context = await browser!.NewContextAsync(new()
        {
            BaseURL = Server.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new() { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        // Lets a test wait until the page's event stream is connected (its "ready" event), instead of sleeping.
        await context.AddInitScriptAsync("""
            (() => {
              const ES = window.EventSource;
              if (!ES) return;
              window.EventSource = class extends ES {
                constructor(url, options) {
                  super(url, options);
                  this.addEventListener('message', (e) => { if (e.data.includes('"type":"ready"')) window.__mirageStreamReady = true; });
                }
              };
            })();
            """);
        var page = await context.NewPageAsync();
        return new Person(context, page, ServerErrors).Watching();
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }
        playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>One person in their own browser context, with helpers that go through the UI like a person would.</summary>
public sealed class Person(IBrowserContext context, IPage page, ConcurrentQueue<string> serverErrors) : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> problems = new();
    private bool watching;

    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    public string Username { get; private set; } = "";

    /// <summary>Fails the test on any alert/prompt (a script that ran), an uncaught error or a CSP violation.</summary>
    public Person Watching()
    {
        if (watching)
        {
            return this;
        }
        watching = true;
        Page.Dialog += async (_, dialog) =>
        {
            if (dialog.Type == DialogType.Confirm)
            {
                await dialog.AcceptAsync(); // the app's own data-confirm buttons
                return;
            }
            problems.Enqueue($"a {dialog.Type} dialog fired: {dialog.Message}");
            await dialog.DismissAsync();
        };
        Page.PageError += (_, error) => problems.Enqueue("script error: " + error);
        Page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                problems.Enqueue("CSP violation: " + message.Text);
            }
        };
        return this;
    }

    public void AssertNoProblems()
    {
        Assert.True(problems.IsEmpty, string.Join("\n", problems));
        Assert.True(serverErrors.IsEmpty, "the server logged errors:\n" + string.Join("\n", serverErrors));
    }

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public ILocator Link(string name) => Page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public ILocator Label(string text) => Page.GetByLabel(text, new() { Exact = true });

    public ILocator Nav => Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    public async Task GoAsync(string path)
    {
        await Page.GotoAsync(path);
        await Expect(Page.Locator("h1")).ToHaveCountAsync(1); // one <h1> per page
    }

    /// <summary>Waits until the page's event stream is connected, so live events cannot be missed.</summary>
    public Task StreamReadyAsync() => Page.WaitForFunctionAsync("() => window.__mirageStreamReady === true");

    public async Task<string> SignUpAsync(string stem)
    {
        Username = WebVisitor.NewName(stem);
        await GoAsync("/signup");
        await Label("Username").FillAsync(Username);
        await Label("Email").FillAsync(Username + "@example.com");
        await Label("Password").FillAsync(WebVisitor.Password);
        await Label("Bio (optional)").FillAsync("Hi, I am " + Username);
        await Button("Sign up").ClickAsync();
        await Expect(Page.GetByText($"Welcome to Mirage, @{Username}!")).ToBeVisibleAsync();
        return Username;
    }

    public async Task LogInAsync(string username, string password = WebVisitor.Password)
    {
        await GoAsync("/login");
        await Label("Username").FillAsync(username);
        await Label("Password").FillAsync(password);
        await Button("Log in").ClickAsync();
        await Expect(Nav).ToBeVisibleAsync();
        if (Username.Length == 0)
        {
            Username = username;
        }
    }

    public async Task LogOutAsync()
    {
        await Page.GetByRole(AriaRole.Banner).Locator("details.menu > summary").ClickAsync(); // the account menu (avatar and name)
        await Button("Log out").ClickAsync();
        await Expect(Page.GetByText("You have been logged out.")).ToBeVisibleAsync();
        await Expect(Nav).ToHaveCountAsync(0);
    }

    /// <summary>Writes a post with the home page's composer; returns its page's path.</summary>
    public async Task<string> PostAsync(string content)
    {
        await GoAsync("/?tab=following");
        await Label("What’s happening?").FillAsync(content);
        await Expect(Page.GetByText($"{512 - content.Length} left")).ToBeVisibleAsync(); // the live counter
        await Button("Post").ClickAsync();
        await Expect(Page.GetByText("Your post was published.")).ToBeVisibleAsync();
        var post = Page.GetByRole(AriaRole.Article).Filter(new() { HasText = content.Length > 40 ? content[..40] : content }).First;
        return (await post.Locator("a.post-time").GetAttributeAsync("href"))!;
    }

    public ILocator Badge(string name) => Nav.GetByRole(AriaRole.Link, new() { Name = name });

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        AssertNoProblems();
    }
}

/// <summary>Collects the server's Error and Critical log entries.</summary>
internal sealed class ErrorLog(ConcurrentQueue<string> errors) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            errors.Enqueue(formatter(state, exception) + (exception is null ? "" : "\n" + exception));
        }
    }

    public void Dispose()
    {
    }
}
