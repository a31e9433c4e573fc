using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Mirage.Hosting;

/// <summary>
/// Settles the request's charset before anything reads the body. The framework's JSON reader hands the raw
/// parameter to <see cref="Encoding.GetEncoding(string)"/>, so a legal quoted <c>charset="utf-8"</c>, an empty
/// one or an unknown one each threw and became a 500 with a stack trace in the log. Here UTF-8 in any spelling
/// (and an empty value) is dropped, which the reader takes as UTF-8, another known encoding is passed on
/// unquoted, and an unknown one is refused with a 415 in the surface's error shape.
/// </summary>
public sealed class RequestCharset(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var header = request.ContentType;
        if (header is null
            || header.IndexOf("charset", StringComparison.OrdinalIgnoreCase) < 0
            || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }
            || !MediaTypeHeaderValue.TryParse(header, out var mediaType)
            || !mediaType.Charset.HasValue)
        {
            return next(context);
        }
        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).Trim().Value ?? "";
        if (IsUtf8(charset))
        {
            mediaType.Charset = null;
        }
        else if (IsKnown(charset))
        {
            mediaType.Charset = charset;
        }
        else
        {
            return ErrorResponses.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType,
                $"unsupported charset '{Printable(charset)}': send UTF-8");
        }
        request.ContentType = mediaType.ToString();
        return next(context);
    }

    private static bool IsUtf8(string charset) =>
        charset.Length == 0
        || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    private static bool IsKnown(string charset)
    {
        try
        {
            _ = Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The client's text goes back in the message: short, and only printable ASCII.</summary>
    private static string Printable(string charset) =>
        new(charset.Take(40).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
