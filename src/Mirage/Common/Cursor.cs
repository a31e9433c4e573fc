using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Mirage.Common;

/// <summary>
/// Opaque /v1 paging cursors: the sort key of the last item of a page (e.g. created_at and id), encoded so
/// clients treat it as a string. Paging by key, never OFFSET, costs the same on page 1 and page 10,000.
/// </summary>
public static class Cursor
{
    public static string Encode(params long[] key) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Join('.', key.Select(k => k.ToString(CultureInfo.InvariantCulture)))));

    /// <summary>The key parts of <paramref name="cursor"/>, null when there is none; a 400 when it is not ours.</summary>
    public static long[]? Decode(string? cursor, int parts)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            var key = text.Split('.').Select(p => long.Parse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).ToArray();
            if (key.Length == parts)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }
        catch (OverflowException)
        {
        }
        throw MirageException.BadRequest("invalid cursor");
    }
}

/// <summary>Page sizes: the documented default when absent, clamped to the documented maximum.</summary>
public static class PageSize
{
    public static int Clamp(int? requested, int defaultSize, int max) => requested switch
    {
        null => defaultSize,
        < 1 => throw MirageException.BadRequest("limit must be a positive number"),
        var n => Math.Min(n.Value, max),
    };
}
