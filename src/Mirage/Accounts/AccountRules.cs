using System.Net.Mail;
using System.Text.RegularExpressions;
using Mirage.Common;

namespace Mirage.Accounts;

/// <summary>Validation of account fields, as DESIGN.md "Identity and auth" states it.</summary>
public static partial class AccountRules
{
    public const int MaxDescriptionWords = 500;
    public const int MaxDescriptionChars = 5000;
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;
    public const int MaxUrlLength = 2048;
    public const int MaxCustomCssLength = 20_000;
    public const int MaxNameLength = 64;

    [GeneratedRegex("^[A-Za-z0-9_]{3,32}$")]
    private static partial Regex UsernamePattern();

    /// <summary>The shape of a /v1 user id, which user references (send by id or username) read as an id.</summary>
    [GeneratedRegex("^user_[0-9]+$", RegexOptions.IgnoreCase)]
    private static partial Regex UserIdShape();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public static string Username(string? value)
    {
        var username = value?.Trim() ?? "";
        if (!UsernamePattern().IsMatch(username))
        {
            throw MirageException.BadRequest("username must be 3-32 characters of letters, digits and underscores");
        }
        if (username.All(char.IsAsciiDigit))
        {
            throw MirageException.BadRequest("username cannot be all digits");
        }
        if (UserIdShape().IsMatch(username))
        {
            // "user_7" would be read as user 7 wherever a user id or a username is accepted.
            throw MirageException.BadRequest("username cannot look like a user id (user_N)");
        }
        return username;
    }

    public static string Key(string value) => value.Trim().ToLowerInvariant();

    public static string Email(string? value)
    {
        var email = value?.Trim() ?? "";
        if (email.Length is 0 or > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email
            || !email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsWhiteSpace))
        {
            throw MirageException.BadRequest("email is not a valid address");
        }
        return Storable(email, "email");
    }

    public static string Password(string? value)
    {
        if (value is null || value.Length < MinPasswordLength)
        {
            throw MirageException.BadRequest($"password must be at least {MinPasswordLength} characters");
        }
        if (value.Length > MaxPasswordLength)
        {
            throw MirageException.BadRequest($"password must be at most {MaxPasswordLength} characters");
        }
        return value;
    }

    public static string Description(string? value)
    {
        var description = value?.Trim() ?? "";
        if (description.Length > MaxDescriptionChars || WordCount(description) > MaxDescriptionWords)
        {
            throw MirageException.BadRequest($"description is limited to {MaxDescriptionWords} words");
        }
        return Storable(description, "description");
    }

    public static int WordCount(string text) =>
        text.Length == 0 ? 0 : Whitespace().Split(text.Trim()).Count(w => w.Length > 0);

    /// <summary>An http(s) URL, or null for "none" (empty input resets to the default).</summary>
    public static string? HttpUrl(string? value, string field)
    {
        var url = value?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }
        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw MirageException.BadRequest($"{field} must be an http or https URL");
        }
        return Storable(url, field);
    }

    private static string Storable(string value, string field) => StorableText.Require(value, field);

    public static string CustomCss(string? value)
    {
        var css = value ?? "";
        if (css.Length > MaxCustomCssLength)
        {
            throw MirageException.BadRequest($"custom_css is limited to {MaxCustomCssLength} characters");
        }
        return Storable(css, "custom_css");
    }

    public static string? Name(string? value, string field)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw MirageException.BadRequest($"{field} must be at most {MaxNameLength} characters");
        }
        return Storable(name, field);
    }
}
