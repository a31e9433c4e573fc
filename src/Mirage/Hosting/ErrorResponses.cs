using Microsoft.AspNetCore.WebUtilities;

namespace Mirage.Hosting;

/// <summary>
/// Writes an error in the shape of the surface that was called: <c>{"error": "..."}</c> on /api (and
/// everything else), RFC 9457 problem details on /v1 (with the same <c>error</c> member, for uniform clients).
/// </summary>
public static class ErrorResponses
{
    public static bool IsV1(HttpRequest request) => request.Path.StartsWithSegments("/v1");

    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }
        response.StatusCode = status;
        if (IsV1(context.Request))
        {
            var problem = new Problem("about:blank", ReasonPhrases.GetReasonPhrase(status), status, message, message);
            return response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
        }
        return response.WriteAsJsonAsync(new ApiError(message));
    }

    private sealed record ApiError(string Error);

    private sealed record Problem(string Type, string Title, int Status, string Detail, string Error);
}
