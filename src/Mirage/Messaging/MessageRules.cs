using Mirage.Common;

namespace Mirage.Messaging;

/// <summary>Validation and limits of the messaging model, shared by every surface.</summary>
public static class MessageRules
{
    public const int MaxContentLength = 4000;
    public const int MaxChatNameLength = 100;
    public const int MaxParticipants = 500;
    public const int PreviewLength = 140;

    // Strict UTF-8: a lone surrogate cannot be stored (PostgreSQL would refuse it with an error, not a 400).

    /// <summary>
    /// Message text: not blank, at most 4000 characters, storable as-is (kept verbatim, not trimmed).
    /// <paramref name="field"/> names it in refusals (<c>content</c> on /v1, <c>message</c> in the legacy inbox).
    /// </summary>
    public static string Content(string? value, string field = "content")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw MirageException.BadRequest($"{field} must not be empty");
        }
        if (value.Length > MaxContentLength)
        {
            throw MirageException.BadRequest($"message content cannot exceed {MaxContentLength} characters");
        }
        EnsureStorable(value, field);
        return value;
    }

    /// <summary>A group chat name: trimmed, empty clears it.</summary>
    public static string? ChatName(string? value)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        if (name.Length > MaxChatNameLength || name.Any(char.IsControl))
        {
            throw MirageException.BadRequest($"name must be at most {MaxChatNameLength} characters, without control characters");
        }
        EnsureStorable(name, "name");
        return name;
    }

    private static void EnsureStorable(string value, string field) => StorableText.Require(value, field);

    /// <summary>The start of a message for a notification, cut on a character boundary.</summary>
    public static string Preview(string content)
    {
        var text = content.Trim();
        if (text.Length <= PreviewLength)
        {
            return text;
        }
        var cut = char.IsHighSurrogate(text[PreviewLength - 1]) ? PreviewLength - 1 : PreviewLength;
        return text[..cut] + "…";
    }

    public static long ChatId(string? value) =>
        PublicId.TryParse(value, MessagingIds.Chat, out var id) ? id : throw MirageException.NotFound("chat not found");

    public static long MessageId(string? value) =>
        PublicId.TryParse(value, MessagingIds.Message, out var id) ? id : throw MirageException.NotFound("message not found");

    /// <summary>The number behind a <c>msg_N</c> id this service rendered (the legacy inbox shows bare numbers).</summary>
    public static long ParseMessageId(string id) => long.Parse(id.AsSpan(MessagingIds.Message.Length + 1), System.Globalization.CultureInfo.InvariantCulture);

    public static string FormatChatId(long id) => PublicId.Format(MessagingIds.Chat, id);

    public static string FormatMessageId(long id) => PublicId.Format(MessagingIds.Message, id);

    /// <summary>The unique key of the DM between two users, the same whichever of them asks.</summary>
    public static string DmKey(long a, long b) => a < b ? $"{a}:{b}" : $"{b}:{a}";
}
