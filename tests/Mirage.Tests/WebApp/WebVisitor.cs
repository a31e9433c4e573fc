using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.WebApp;

/// <summary>A rendered page: its response and its HTML.</summary>
public sealed record WebPage(HttpResponseMessage Response, string Html)
{
    public HttpStatusCode Status => Response.StatusCode;

    public string? Location => Response.Headers.Location?.OriginalString;
}

/// <summary>
/// One browser without a browser: cookies kept, redirects not followed, the CSRF token read from each rendered page's
/// <c>&lt;meta name="csrf-token"&gt;</c> and posted back as the <c>csrf_token</c> form field.
/// </summary>
public sealed partial class WebVisitor(HttpClient http) : IDisposable
{
    public const string Password = "correct horse 1";

    public HttpClient Http { get; } = http;

    public string? Csrf { get; private set; }

    public static WebVisitor For(MirageServer server) => new(server.Factory.CreateClient(
        new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>A visitor of a real (Kestrel) server; its factory's client would follow redirects regardless.</summary>
    public static WebVisitor ForAddress(Uri baseAddress) => new(new HttpClient(
        new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = baseAddress });

    private static int counter;

    /// <summary>A fresh, valid username (the tests of a class share one database).</summary>
    public static string NewName(string stem) => $"{stem}{Interlocked.Increment(ref counter)}_{Guid.NewGuid().ToString("N")[..6]}";

    public async Task<WebPage> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        if (CsrfMeta().Match(html) is { Success: true } match)
        {
            Csrf = WebUtility.HtmlDecode(match.Groups[1].Value);
        }
        return new WebPage(response, html);
    }

    /// <summary>Posts a form (with the CSRF token unless <paramref name="csrf"/> is false), without following redirects.</summary>
    public async Task<WebPage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>>? fields = null, bool csrf = true)
    {
        if (csrf && Csrf is null)
        {
            await GetAsync("/login");
        }
        var all = new List<KeyValuePair<string, string>>(fields ?? []);
        if (csrf)
        {
            all.Add(new("csrf_token", Csrf!));
        }
        var response = await Http.PostAsync(path, new FormUrlEncodedContent(all));
        return new WebPage(response, await response.Content.ReadAsStringAsync());
    }

    public Task<WebPage> PostAsync(string path, params (string Key, string Value)[] fields) =>
        PostAsync(path, fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    /// <summary>A POST that must answer 303 See Other; returns the page it points to.</summary>
    public async Task<WebPage> SubmitAsync(string path, params (string Key, string Value)[] fields)
    {
        var posted = await PostAsync(path, fields);
        Assert.True(posted.Status == HttpStatusCode.SeeOther, $"POST {path}: {(int)posted.Status} {posted.Html}");
        return await FollowAsync(posted);
    }

    /// <summary>Follows a page's redirects (a few at most) to the page they end on.</summary>
    public async Task<WebPage> FollowAsync(WebPage page)
    {
        for (var hops = 0; hops < 5 && (int)page.Status is >= 300 and < 400; hops++)
        {
            Assert.NotNull(page.Location);
            page = await GetAsync(page.Location!);
        }
        return page;
    }

    /// <summary>Signs up (and so in) as a new person; returns the username.</summary>
    public async Task<string> SignUpAsync(string stem = "web")
    {
        var username = NewName(stem);
        await GetAsync("/signup");
        var home = await SubmitAsync("/signup", ("username", username), ("email", username + "@example.com"), ("password", Password));
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Contains("Welcome to Mirage, @" + username, home.Html);
        return username;
    }

    public async Task LogInAsync(string username, string password = Password)
    {
        await GetAsync("/login");
        var posted = await PostAsync("/login", ("username", username), ("password", password));
        Assert.Equal(HttpStatusCode.SeeOther, posted.Status);
        Assert.Equal("/", posted.Location);
    }

    /// <summary>The numeric id of a user, read from the profile's "Message" link.</summary>
    public async Task<long> UserIdAsync(string username)
    {
        var profile = await GetAsync("/u/" + username);
        var match = Regex.Match(profile.Html, "href=\"/messages/([0-9]+)\"");
        Assert.True(match.Success, "no Message link on the profile of " + username);
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first path in a page matching <paramref name="pattern"/> (one capture group), e.g. a new post's id.</summary>
    public static string Find(WebPage page, string pattern)
    {
        var match = Regex.Match(page.Html, pattern);
        Assert.True(match.Success, $"'{pattern}' not found in the page");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]*)\"")]
    private static partial Regex CsrfMeta();

    public void Dispose() => Http.Dispose();
}
