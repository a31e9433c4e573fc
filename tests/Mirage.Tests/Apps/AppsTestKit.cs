using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Apps;

/// <summary>A set of test apps a fixture writes to its apps directory before the server starts.</summary>
public interface IAppSet
{
    static abstract void Write(AppFolder folder);

    /// <summary>Settings beyond the apps directories (limits).</summary>
    static virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];
}

/// <summary>A temp folder holding the operators' apps (<c>apps/</c>) and a fake built-in app (<c>builtin/</c>).</summary>
public sealed class AppFolder : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mirage-apps-tests", Guid.NewGuid().ToString("N"));

    public string Apps => Path.Combine(Root, "apps");

    public string BuiltIn => Path.Combine(Root, "builtin");

    /// <summary>Writes <paramref name="relative"/> under the operators' apps (e.g. <c>web/app.lua</c>).</summary>
    public void Write(string relative, string text) => WriteUnder(Apps, relative, text);

    public void WriteBuiltIn(string relative, string text) => WriteUnder(BuiltIn, relative, text);

    public static void WriteUnder(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Mirage:Apps:Enabled", "true"),
        new("Mirage:Apps:Directory", Apps),
        new("Mirage:Apps:BuiltInDirectory", BuiltIn),
        new("Mirage:Apps:TimeLimit", "00:00:01"),
        new("Mirage:Apps:MemoryLimitBytes", (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Mirage:Apps:MaxApiCalls", "100"),
    ];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What a test needs from an apps fixture, on either database.</summary>
public interface IAppsServer
{
    MirageServer Server { get; }
    AppFolder Folder { get; }
    LogCapture Logs { get; }
}

/// <summary>Shared by the SQLite and PostgreSQL fixtures: writes the app set once, captures the log after start.</summary>
internal static class AppsFixture
{
    public static IEnumerable<KeyValuePair<string, string?>> Prepare<T>(AppFolder folder, ref bool written) where T : IAppSet
    {
        if (!written)
        {
            T.Write(folder);
            written = true;
        }
        return [.. folder.Settings(), .. T.Settings];
    }

    public static LogCapture Attach(MirageServer server, LogCapture capture, ref int attached)
    {
        if (Interlocked.Exchange(ref attached, 1) == 0)
        {
            server.Factory.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        }
        return capture;
    }
}

public class AppsSqliteServer<T> : SqliteServer, IAppsServer where T : IAppSet
{
    private readonly LogCapture logs = new();
    private bool written;
    private int attached;

    public MirageServer Server => this;
    public AppFolder Folder { get; } = new();
    public LogCapture Logs => AppsFixture.Attach(this, logs, ref attached);

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => AppsFixture.Prepare<T>(Folder, ref written);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Folder.Dispose();
    }
}

public class AppsPostgresServer<T> : PostgresServer, IAppsServer where T : IAppSet
{
    private readonly LogCapture logs = new();
    private bool written;
    private int attached;

    public MirageServer Server => this;
    public AppFolder Folder { get; } = new();
    public LogCapture Logs => AppsFixture.Attach(this, logs, ref attached);

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => AppsFixture.Prepare<T>(Folder, ref written);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Folder.Dispose();
    }
}

/// <summary>Every log line written after it was attached, for assertions on what the operator is told.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public bool Contains(string text) => lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Writer(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
    }
}

/// <summary>One response as a browser sees it.</summary>
public sealed record Page(HttpStatusCode Status, string Body, string? ContentType, string? Location)
{
    public int Code => (int)Status;

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement.Clone();

    public override string ToString() => $"{Code} {ContentType} {Location}: {Body}";
}

/// <summary>
/// A browser on the in-memory server: keeps cookies (session, CSRF, flashes), follows no redirects and remembers
/// the CSRF token the server set, so forms can be posted with it.
/// </summary>
public sealed class Browser(HttpClient http)
{
    public const string ServerError = "Something went wrong on our side.";

    public string? CsrfToken { get; private set; }

    public static Browser Open(IAppsServer server) => Open(server.Server);

    public static Browser Open(MirageServer server) =>
        new(server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public Task<Page> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    /// <summary>Posts a form; the CSRF field is the browser's token unless <paramref name="csrf"/> says otherwise.</summary>
    public Task<Page> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>>? fields = null, string? csrf = "")
    {
        var all = new List<KeyValuePair<string, string>>(fields ?? []);
        var token = csrf == "" ? CsrfToken : csrf;
        if (token is not null)
        {
            all.Add(new("csrf_token", token));
        }
        return SendAsync(HttpMethod.Post, path, new FormUrlEncodedContent(all));
    }

    public async Task<Page> SendAsync(HttpMethod method, string path, HttpContent? content, string? csrfHeader = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (csrfHeader is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrfHeader);
        }
        using var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies.Where(c => c.StartsWith("mirage_csrf=", StringComparison.Ordinal)))
            {
                CsrfToken = cookie["mirage_csrf=".Length..].Split(';')[0];
            }
        }
        var body = await response.Content.ReadAsStringAsync();
        return new Page(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, response.Headers.Location?.OriginalString);
    }

    /// <summary>Signs in through the test app's <c>POST /login</c> (see <see cref="TestLua.Login"/>).</summary>
    public async Task LoginAsync(TestUser user)
    {
        var page = await PostFormAsync("/login", [new("username", user.Username), new("password", user.Password)], csrf: null);
        Assert.True(page.Code == 303, $"login failed: {page}");
    }

    /// <summary>Polls <paramref name="path"/> until its body contains <paramref name="text"/> (reloads are polled every second).</summary>
    public async Task<Page> WaitForAsync(string path, string text, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var page = await GetAsync(path);
            if (page.Body.Contains(text, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return page;
            }
            await Task.Delay(100);
        }
    }
}

/// <summary>Lua snippets several test apps share.</summary>
public static class TestLua
{
    /// <summary>Signs the visitor in with the posted username and password (a test-only route without CSRF).</summary>
    public const string Login = """
        app:post("/login", function(ctx)
          api.users.login(req.post.username, req.post.password)
          return ctx:redirect("/")
        end, { csrf = false })
        """;

    public static async Task<long> UserIdAsync(MirageClient api, TestUser user)
    {
        var me = await (await api.GetAsync("/v1/users/me", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        return long.Parse(me.Str("id")["user_".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
