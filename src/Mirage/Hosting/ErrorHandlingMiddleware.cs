using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mirage.Common;

namespace Mirage.Hosting;

/// <summary>
/// The one error path. Refusals from services (<see cref="MirageException"/>) and malformed requests become
/// clear 4xx errors; anything else is logged with a trace id and answered with a 500 that leaks nothing.
/// </summary>
public sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (MirageException ex)
        {
            if (ex.RetryAfter is { } wait && !context.Response.HasStarted)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds(wait);
            }
            await ErrorResponses.WriteAsync(context, ex.Status, ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            var (status, message) = Describe(ex);
            await ErrorResponses.WriteAsync(context, status, message);
        }
        catch (JsonException ex)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, DescribeJson(ex));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception ex) when (IsDatabaseUnavailable(context, ex))
        {
            // One line, no stack trace: while the database is down every request lands here.
            LogDatabaseUnavailable(context.Request.Method, context.Request.Path, ex.GetType().Name, ex.Message);
            await ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "the database is unavailable, try again shortly");
        }
        catch (Exception ex)
        {
            var traceId = Activity.Current?.Id ?? context.TraceIdentifier;
            LogUnhandled(ex, context.Request.Method, context.Request.Path, traceId);
            await ErrorResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, $"internal error (trace id {traceId})");
        }
    }

    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsDatabaseUnavailable(HttpContext context, Exception exception)
    {
        var dialect = context.RequestServices.GetService<Data.IDatabase>()?.Dialect;
        for (var ex = exception; dialect is not null && ex is not null; ex = ex.InnerException)
        {
            if (dialect.IsUnavailable(ex))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Turns the framework's binding failures into messages a client developer can act on.</summary>
    internal static (int Status, string Message) Describe(BadHttpRequestException ex)
    {
        if (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (StatusCodes.Status413PayloadTooLarge, "request body too large");
        }
        if (ex.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return (StatusCodes.Status400BadRequest, "request body must be JSON (Content-Type: application/json)");
        }
        if (ex.InnerException is JsonException json)
        {
            return (StatusCodes.Status400BadRequest, DescribeJson(json));
        }
        if (ex.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return (StatusCodes.Status400BadRequest, "request body must be a JSON object");
        }
        var parameter = ParameterName().Match(ex.Message);
        return (StatusCodes.Status400BadRequest,
            parameter.Success ? $"invalid value for '{parameter.Groups[1].Value}'" : "bad request");
    }

    private static string DescribeJson(JsonException ex) =>
        ex.Path is { Length: > 1 } path && path.StartsWith("$.", StringComparison.Ordinal)
            ? $"invalid value for '{path[2..]}'"
            : "malformed JSON: the body must be a JSON object";

    [GeneratedRegex("parameter \"[^\"]*? (\\w+)\"")]
    private static partial Regex ParameterName();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable on {Method} {Path}: {Error}: {Detail}")]
    private partial void LogDatabaseUnavailable(string method, string path, string error, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path} (trace id {TraceId})")]
    private partial void LogUnhandled(Exception exception, string method, string path, string traceId);
}
