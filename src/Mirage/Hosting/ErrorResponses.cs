using Microsoft.AspNetCore.WebUtilities;

namespace Mirage.Hosting;

/// <summary>
/// Writes an error in the shape of the surface that was called: <c>{"error": "..."}</c> on /api (and
/// everything else), RFC 9457 problem details on /v1 (with the same <c>error</c> member, for uniform clients).
/// </summary>
public static class ErrorResponses
{
    /// <summary>What a 503 tells clients: about as long as the SQLite writer's longest restart pause.</summary>
    public const string RetryAfterSeconds = "5";

    public static bool IsV1(HttpRequest request) => request.Path.StartsWithSegments("/v1");

    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }
        response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable && !response.Headers.ContainsKey("Retry-After"))
        {
            // Every 503 is about something that comes back (the database, its writer): say when to try again.
            response.Headers.RetryAfter = RetryAfterSeconds;
        }
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
