using System.Globalization;
using System.Text.RegularExpressions;
using Mirage.Common;

namespace Mirage.Posts;

/// <summary>
/// The rules for the text of posts and replies: length as a person counts it, hashtags and @mentions.
/// Pure functions, run before a write starts (never inside the single writer).
/// </summary>
public static partial class PostText
{
    public const int MaxCharacters = 512;

    /// <summary>Mentions notified per post or reply; more are kept as text but announce nothing.</summary>
    public const int MaxMentions = 20;

    // A user-perceived character may be several code points (👍🏽, é as e + ◌́); this caps the storage a
    // "512 character" text can take when it is built from endless combining marks.
    private const int MaxUtf16Length = MaxCharacters * 8;

    // A tag starts after a character that cannot be part of a word (so "a#b" and "&#39;" are not tags).
    [GeneratedRegex(@"(?<![\p{L}\p{M}\p{N}_&#])#([\p{L}\p{M}\p{N}_]+)")]
    private static partial Regex HashtagPattern();

    // Usernames are ASCII (AccountRules); an address like bob@example.com is not a mention.
    [GeneratedRegex(@"(?<![A-Za-z0-9_@.])@([A-Za-z0-9_]{3,32})(?![A-Za-z0-9_])")]
    private static partial Regex MentionPattern();

    /// <summary>
    /// The stored form of a post or reply: trimmed, non-empty, at most 512 characters as a person counts them
    /// (grapheme clusters, so an emoji is one), no NUL or broken surrogate pair (which databases refuse).
    /// </summary>
    public static string Validate(string? content, string emptyMessage, string tooLongMessage)
    {
        var text = content?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw MirageException.BadRequest(emptyMessage);
        }
        if (text.Length > MaxUtf16Length || CountCharacters(text) > MaxCharacters)
        {
            throw MirageException.BadRequest(tooLongMessage);
        }
        return StorableText.Require(text, "content");
    }

    public static int CountCharacters(string text) => new StringInfo(text).LengthInTextElements;


    /// <summary>Distinct hashtags of <paramref name="text"/>, lower-cased, without the '#', in order of appearance.</summary>
    public static IReadOnlyList<string> Hashtags(string text)
    {
        var tags = new List<string>();
        foreach (Match match in HashtagPattern().Matches(text))
        {
            var tag = NormalizeTag(match.Groups[1].Value);
            if (!tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }
        return tags;
    }

    /// <summary>The index key of a tag: lower case, without the leading <c>#</c>.</summary>
    public static string NormalizeTag(string tag) => tag.TrimStart('#').ToLowerInvariant();

    /// <summary>Distinct lower-cased usernames mentioned with @name, at most <see cref="MaxMentions"/>.</summary>
    public static IReadOnlyList<string> Mentions(string text) =>
        MentionPattern().Matches(text)
            .Select(m => m.Groups[1].Value.ToLowerInvariant())
            .Where(name => !name.All(char.IsAsciiDigit))
            .Distinct()
            .Take(MaxMentions)
            .ToList();

    /// <summary>A short quote of a text for notification messages.</summary>
    public static string Snippet(string text, int maxCharacters = 80)
    {
        var info = new StringInfo(text.ReplaceLineEndings(" "));
        return info.LengthInTextElements <= maxCharacters ? info.String : info.SubstringByTextElements(0, maxCharacters) + "…";
    }
}
