using System.Text;

namespace Mirage.Files;

/// <summary>The display name of an upload: the last segment of what the client sent, made safe for a URL and a header.</summary>
public static class FileNames
{
    public const int MaxLength = 120;
    private const int MaxExtensionLength = 16;
    public const string Fallback = "file";

    public static string Sanitize(string? raw)
    {
        var name = raw ?? "";
        // Some browsers send the full client path.
        var slash = name.LastIndexOfAny(['/', '\\']);
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }
        var clean = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            clean.Append(Rune.IsControl(rune) || rune.Value == '"' ? "_" : rune.ToString());
        }
        name = clean.ToString().Trim();
        if (name.Trim('.').Length == 0)
        {
            return Fallback;
        }
        return Truncate(name);
    }

    /// <summary>Shortens a long name but keeps its extension, so the file still opens with the right program.</summary>
    private static string Truncate(string name)
    {
        var runes = name.EnumerateRunes().ToList();
        if (runes.Count <= MaxLength)
        {
            return name;
        }
        var extension = Path.GetExtension(name);
        if (extension.Length > MaxExtensionLength)
        {
            extension = "";
        }
        var stem = string.Concat(runes.Take(MaxLength - extension.Length).Select(r => r.ToString()));
        return stem.TrimEnd() + extension;
    }
}
