using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Mirage.Accounts;
using Mirage.Hosting;

namespace Mirage.Apps;

/// <summary>
/// Browser sessions for app pages: an HttpOnly, SameSite=Lax cookie holding a token of the same hashed,
/// revocable session store as API tokens; a CSRF token (double-submit: a cookie and the same value in each form);
/// and flash messages carried to the next page in a cookie.
/// </summary>
public sealed class BrowserSessions(SessionService sessions, IOptions<MirageOptions> options)
{
    public const string SessionCookie = "mirage_session", CsrfCookie = "mirage_csrf", FlashCookie = "mirage_flash";
    public const string CsrfField = "csrf_token", CsrfHeader = "X-CSRF-Token";

    public static string? ReadToken(HttpRequest request) =>
        request.Cookies.TryGetValue(SessionCookie, out var token) && token.Length is > 0 and < 200 ? token : null;

    public async Task<CurrentUser?> AuthenticateAsync(HttpContext http) =>
        ReadToken(http.Request) is { } token ? await sessions.AuthenticateAsync(token, http.RequestAborted) : null;

    public Task<CurrentUser?> AuthenticateTokenAsync(string token) => sessions.AuthenticateAsync(token);

    public void SetCookie(HttpContext http, string token) =>
        http.Response.Cookies.Append(SessionCookie, token, Cookie(http, options.Value.Auth.TokenLifetime));

    public async Task SignOutAsync(HttpContext http)
    {
        if (ReadToken(http.Request) is { } token)
        {
            await sessions.RevokeAsync(token);
        }
        http.Response.Cookies.Delete(SessionCookie, Cookie(http, null));
    }

    private static CookieOptions Cookie(HttpContext http, TimeSpan? lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = "/",
        MaxAge = lifetime,
        IsEssential = true,
    };

    /// <summary>This browser's CSRF token, made (and set as a cookie) on its first page.</summary>
    public static string CsrfToken(HttpContext http)
    {
        if (http.Items.TryGetValue(CsrfCookie, out var made))
        {
            return (string)made!;
        }
        if (!http.Request.Cookies.TryGetValue(CsrfCookie, out var token) || token.Length != 43)
        {
            token = Base64UrlToken();
            http.Response.Cookies.Append(CsrfCookie, token, Cookie(http, TimeSpan.FromDays(365)));
        }
        http.Items[CsrfCookie] = token;
        return token;
    }

    public static bool CsrfValid(HttpContext http, string? submitted)
    {
        if (string.IsNullOrEmpty(submitted) || !http.Request.Cookies.TryGetValue(CsrfCookie, out var expected) || expected.Length != 43)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(submitted), Encoding.UTF8.GetBytes(expected));
    }

    private static string Base64UrlToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public sealed record Flash(string Kind, string Message);

    public static List<Flash> ReadFlashes(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(FlashCookie, out var value) || value.Length > 4096)
        {
            return [];
        }
        try
        {
            var json = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(value));
            return JsonSerializer.Deserialize<List<string[]>>(json)?.Where(f => f.Length == 2).Select(f => new Flash(f[0], f[1])).ToList() ?? [];
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return [];
        }
    }

    /// <summary>Carries <paramref name="flashes"/> to the next page (or clears the cookie when there are none).</summary>
    public static void WriteFlashes(HttpContext http, IReadOnlyList<Flash> flashes, bool hadCookie)
    {
        if (flashes.Count == 0)
        {
            if (hadCookie)
            {
                http.Response.Cookies.Delete(FlashCookie, Cookie(http, null));
            }
            return;
        }
        var json = JsonSerializer.Serialize(flashes.TakeLast(5).Select(f => new[] { f.Kind, f.Message[..Math.Min(f.Message.Length, 500)] }));
        var value = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        http.Response.Cookies.Append(FlashCookie, value, Cookie(http, TimeSpan.FromMinutes(10)));
    }
}
