using System.Text;
using System.Text.Unicode;

namespace Mirage.Files;

/// <summary>
/// How a stored file is served: its Content-Type and whether a browser may show it in place. Only
/// <paramref name="Inline"/> kinds are rendered by browsers; everything else is a download.
/// </summary>
public sealed record FileKind(string ContentType, bool Inline);

/// <summary>
/// Decides a file's type from its first bytes, never from the name or the uploader's Content-Type: a small
/// allow-list of images, PDF, plain text, zip and audio/video. HTML, SVG and anything unknown are not on it:
/// text is served as text/plain and the rest as an application/octet-stream download, so an upload can never
/// run script on Mirage's origin.
/// </summary>
public static class FileSniffer
{
    /// <summary>How many leading bytes the sniffer looks at.</summary>
    public const int HeadLength = 4096;

    public static readonly FileKind Binary = new("application/octet-stream", Inline: false);
    public static readonly FileKind Text = new("text/plain; charset=utf-8", Inline: true);
    private static readonly FileKind Zip = new("application/zip", Inline: false);

    /// <summary>Whether a stored Content-Type may be shown in place (everything on the list but zip).</summary>
    public static bool IsInline(string contentType) => contentType != Binary.ContentType && contentType != Zip.ContentType;

    /// <param name="head">The first bytes of the file (up to <see cref="HeadLength"/>).</param>
    /// <param name="isWholeFile">True when <paramref name="head"/> is the entire file.</param>
    public static FileKind Detect(ReadOnlySpan<byte> head, bool isWholeFile) => Magic(head) ?? (IsText(head, isWholeFile) ? Text : Binary);

    private static FileKind? Magic(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Media("image/png");
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Media("image/jpeg");
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8)) return Media("image/gif");
        if (b.StartsWith("%PDF-"u8)) return Media("application/pdf");
        if (b.StartsWith("PK\x03\x04"u8) || b.StartsWith("PK\x05\x06"u8)) return Zip;
        if (b.StartsWith("ID3"u8) || (b.Length >= 2 && b[0] == 0xFF && b[1] is 0xFB or 0xF3 or 0xF2)) return Media("audio/mpeg");
        if (b.StartsWith("OggS"u8)) return Media("audio/ogg");
        if (b.StartsWith("fLaC"u8)) return Media("audio/flac");
        if (b.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return Media("video/webm");
        if (b.Length >= 12 && b.StartsWith("RIFF"u8))
        {
            var format = b.Slice(8, 4);
            if (format.SequenceEqual("WEBP"u8)) return Media("image/webp");
            if (format.SequenceEqual("WAVE"u8)) return Media("audio/wav");
        }
        if (b.Length >= 12 && b.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return IsoMedia(Encoding.ASCII.GetString(b.Slice(8, 4)));
        }
        return null;
    }

    /// <summary>MP4-family files say what they are in the "ftyp" box's major brand.</summary>
    private static FileKind IsoMedia(string brand) => brand switch
    {
        "M4A " or "M4B " => Media("audio/mp4"),
        "qt  " => Media("video/quicktime"),
        "avif" or "avis" => Media("image/avif"),
        // HEIF stills: browsers cannot show them, so they are a download.
        "heic" or "heix" or "mif1" or "msf1" => Binary,
        _ => Media("video/mp4"),
    };

    private static FileKind Media(string contentType) => new(contentType, Inline: true);

    /// <summary>UTF-8 without NULs or other control characters (tabs, newlines, form feed and escape allowed).</summary>
    private static bool IsText(ReadOnlySpan<byte> head, bool isWholeFile)
    {
        if (head.Length == 0)
        {
            return false;
        }
        foreach (var b in head)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B))
            {
                return false;
            }
        }
        if (Utf8.IsValid(head))
        {
            return true;
        }
        // The sniffed head of a longer file may end inside a multi-byte character.
        for (var cut = 1; !isWholeFile && cut <= 3 && cut < head.Length; cut++)
        {
            if (Utf8.IsValid(head[..^cut]))
            {
                return true;
            }
        }
        return false;
    }
}
