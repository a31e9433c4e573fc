using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Mirage.Hosting;

/// <summary>
/// Caps request bodies at <c>Mirage:MaxRequestBytes</c> unless the endpoint declares its own limit
/// (uploads do, with <see cref="IRequestSizeLimitMetadata"/>). A declared Content-Length over the limit is
/// refused with 413 before anything is read; a chunked body is cut off by the server at the same limit.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IOptions<MirageOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? options.Value.MaxRequestBytes;
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }
        if (context.Request.ContentLength > limit)
        {
            return ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request body too large");
        }
        return next(context);
    }
}
