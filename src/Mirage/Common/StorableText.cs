using System.Buffers;
using System.Text;

namespace Mirage.Common;

/// <summary>
/// What text Mirage can store on both databases. PostgreSQL text cannot hold NUL or an unpaired UTF-16 surrogate
/// (storing or comparing one fails with a server error, not a 400); SQLite would keep both. The rules that accept
/// user text refuse such text with a 400 through <see cref="Require"/>, so the two databases behave alike.
/// </summary>
public static class StorableText
{
    /// <summary>No NUL and no unpaired surrogate.</summary>
    public static bool IsStorable(string text) => !HasNul(text) && IsWellFormed(text);

    /// <summary>
    /// The rule every service applies to each client string it stores (room messages once went without it, and
    /// a NUL became a 500 on PostgreSQL): the value back, or a 400 naming the field.
    /// </summary>
    public static string Require(string value, string field) =>
        IsStorable(value) ? value : throw MirageException.BadRequest($"{field} contains invalid characters");

    /// <summary>
    /// The NUL half alone: for lookups (a name holding NUL matches nobody, and PostgreSQL would refuse to compare it)
    /// and for the fields whose rules refuse only NUL.
    /// </summary>
    public static bool HasNul(string text) => text.Contains('\0', StringComparison.Ordinal);

    private static bool IsWellFormed(string text)
    {
        // Most text has no surrogates at all: one vectorised scan instead of decoding every character.
        if (text.AsSpan().IndexOfAnyInRange('\ud800', '\udfff') < 0)
        {
            return true;
        }
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out _, out var consumed) != OperationStatus.Done)
            {
                return false;
            }
            i += consumed;
        }
        return true;
    }
}
