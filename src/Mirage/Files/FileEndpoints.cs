using Microsoft.Net.Http.Headers;
using Mirage.Common;

namespace Mirage.Files;

/// <summary>
/// <c>GET /files/{id}/{name}</c>: uploaded files, with the sniffed Content-Type, <c>nosniff</c>, a sandbox CSP and
/// range requests. No token is needed (the URLs go into img and video tags); the random id is the secret.
/// </summary>
public static class FileEndpoints
{
    public static IEndpointRouteBuilder MapFiles(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/files/{id}/{name}", [HttpMethods.Get, HttpMethods.Head], Serve);
        return app;
    }

    private static async Task<IResult> Serve(string id, string name, HttpResponse response, FileService files, FileStorage storage)
    {
        var upload = await files.FindAsync(id);
        // The name is part of the address: a wrong one is as unknown as a wrong id.
        if (upload is null || !string.Equals(upload.Name, name, StringComparison.Ordinal))
        {
            throw MirageException.NotFound("file not found");
        }
        var stream = storage.OpenRead(upload.Sha256) ?? throw MirageException.NotFound("file not found");
        var inline = FileSniffer.IsInline(upload.ContentType);
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(upload.Name);
        var headers = response.Headers;
        headers.ContentDisposition = disposition.ToString();
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, max-age=86400";
        if (upload.ContentType != "application/pdf")
        {
            // Belt and braces: even a document the browser renders itself gets no script and no origin.
            // (Browsers' PDF viewers refuse to run sandboxed, so PDFs go without.)
            headers.ContentSecurityPolicy = "sandbox";
        }
        return TypedResults.Stream(
            stream, upload.ContentType, lastModified: DateTimeOffset.FromUnixTimeMilliseconds(upload.CreatedAt),
            entityTag: new EntityTagHeaderValue($"\"{upload.Sha256}\""), enableRangeProcessing: true);
    }
}
