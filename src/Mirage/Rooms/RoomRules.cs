using Mirage.Common;

namespace Mirage.Rooms;

/// <summary>Validation of room fields. Lengths count Unicode characters (code points), as the original's Python does.</summary>
public static class RoomRules
{
    public const int MaxNameLength = 64;
    public const int MaxPasswordLength = 256;
    public const int MaxMessageLength = 2000;
    public const string NotAMember = "you are not in this room";

    /// <summary>A trimmed room name of 1–64 characters without control characters.</summary>
    public static string Name(string? value)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw MirageException.BadRequest("invalid fields received");
        }
        if (name.EnumerateRunes().Count() > MaxNameLength || name.Any(char.IsControl))
        {
            throw MirageException.BadRequest($"room name must be 1-{MaxNameLength} characters without control characters");
        }
        return StorableText.Require(name, "room name");
    }

    /// <summary>Private rooms need a password; public rooms have none (a password sent with one is ignored).</summary>
    public static string? Password(bool isPrivate, string? value)
    {
        if (!isPrivate)
        {
            return null;
        }
        if (string.IsNullOrEmpty(value))
        {
            throw MirageException.BadRequest("a private room needs a password");
        }
        if (value.Length > MaxPasswordLength)
        {
            throw MirageException.BadRequest($"room password must be at most {MaxPasswordLength} characters");
        }
        return value;
    }

    /// <summary>A message's text: present, not only whitespace, at most 2000 characters. Kept as sent.</summary>
    public static string Content(string? value, string missing)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw MirageException.BadRequest(missing);
        }
        if (value.EnumerateRunes().Count() > MaxMessageLength)
        {
            throw MirageException.BadRequest($"message cannot exceed {MaxMessageLength} characters");
        }
        return StorableText.Require(value, "message");
    }

    /// <summary>A room id from a path or query string: <c>7</c> or <c>room_7</c>.</summary>
    public static long RoomId(string? value, string missing = "missing room id")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw MirageException.BadRequest(missing);
        }
        return PublicId.TryParse(value, RoomIds.Room, out var id) ? id : throw MirageException.BadRequest("invalid room id");
    }

    /// <summary>A room id from a JSON body (a number, or a numeric string).</summary>
    public static long RoomId(long? value) =>
        value is > 0 ? value.Value : throw MirageException.BadRequest("missing room id");

    /// <summary><c>since</c> of get_room_messages: Unix epoch seconds (a float), converted to milliseconds.</summary>
    public static long? SinceMs(double? seconds)
    {
        if (seconds is null)
        {
            return null;
        }
        if (!double.IsFinite(seconds.Value) || seconds < 0 || seconds > 1e11)
        {
            throw MirageException.BadRequest("since must be Unix epoch seconds");
        }
        return (long)Math.Round(seconds.Value * 1000);
    }
}
