namespace Mirage.Common;

/// <summary>
/// <c>/v1</c> ids are strings with a type prefix (<c>user_42</c>, <c>chat_7</c>); the database keeps numbers.
/// A bare number is accepted too, since clients of the /api surface only know numbers.
/// </summary>
public static class PublicId
{
    public const string User = "user";

    public static string Format(string prefix, long id) => $"{prefix}_{id}";

    public static bool TryParse(string? value, string prefix, out long id)
    {
        id = 0;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }
        var span = value.AsSpan().Trim();
        if (span.StartsWith(prefix, StringComparison.Ordinal) && span.Length > prefix.Length && span[prefix.Length] == '_')
        {
            span = span[(prefix.Length + 1)..];
        }
        return long.TryParse(span, System.Globalization.NumberStyles.None, null, out id) && id > 0;
    }
}
