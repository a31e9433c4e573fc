namespace Mirage.Common;

/// <summary>
/// The one way a feature service refuses a request: an HTTP status and a message for the client.
/// The error middleware renders it in the shape of the surface that was called.
/// </summary>
public sealed class MirageException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>When a refusal is about time (429, 503): how long the client should wait, sent as Retry-After.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static MirageException TooManyRequests(string message, TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, message) { RetryAfter = retryAfter };

    public static MirageException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
    public static MirageException Unauthorized(string message = "unauthorized") => new(StatusCodes.Status401Unauthorized, message);
    public static MirageException Forbidden(string message) => new(StatusCodes.Status403Forbidden, message);
    public static MirageException NotFound(string message) => new(StatusCodes.Status404NotFound, message);
    public static MirageException Conflict(string message) => new(StatusCodes.Status409Conflict, message);
}
