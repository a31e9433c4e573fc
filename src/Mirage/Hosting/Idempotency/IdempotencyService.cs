using System.Text.Json;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Hosting.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on the /v1 POSTs that create things (posts, replies, chats, messages, room messages):
/// the same key from the same user within 24 hours answers what the first request answered and writes nothing.
/// The key is reserved before the request runs, so a concurrent repeat gets a 409 instead of a second write;
/// only successful answers are kept (a refused request may be corrected and sent again with the same key). If the
/// process dies between the write and keeping its answer, the key stays reserved and a retry gets the 409: never
/// a duplicate.
/// </summary>
public sealed class IdempotencyService(IDatabase database, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async Task<object?> RunAsync(HttpContext http, string key, Func<ValueTask<object?>> run)
    {
        if (key.Length > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            throw MirageException.BadRequest($"{Header} must be 1-{MaxKeyLength} visible ASCII characters");
        }
        var user = http.Features.Get<CurrentUser>() ?? throw MirageException.Unauthorized();
        var request = $"{http.Request.Method} {http.Request.Path}";
        var now = clock.NowMs();
        var existing = await database.WriteAsync(db =>
            IdempotencyStore.ReserveAsync(db, user.Id, key, request, now, now - (long)Lifetime.TotalMilliseconds));
        if (existing is not null)
        {
            return Replay(http, existing, request);
        }
        object? result;
        try
        {
            result = await run();
        }
        catch
        {
            await database.WriteAsync(db => IdempotencyStore.ReleaseAsync(db, user.Id, key), CancellationToken.None);
            throw;
        }
        if (Capture(result) is { } answer)
        {
            await database.WriteAsync(db => IdempotencyStore.CompleteAsync(db, user.Id, key, answer.Status, answer.Body, answer.Location),
                CancellationToken.None);
        }
        else
        {
            await database.WriteAsync(db => IdempotencyStore.ReleaseAsync(db, user.Id, key), CancellationToken.None);
        }
        return result;
    }

    private static IResult Replay(HttpContext http, IdempotencyStore.KeyRow row, string request)
    {
        if (row.Request != request)
        {
            throw new MirageException(StatusCodes.Status422UnprocessableEntity, $"this {Header} was used for another request ({row.Request})");
        }
        if (row.Status == 0)
        {
            throw MirageException.Conflict($"a request with this {Header} is in progress, or its answer was lost: use a new key to send it again");
        }
        http.Response.Headers[ReplayedHeader] = "true";
        if (row.Location is not null)
        {
            http.Response.Headers.Location = row.Location;
        }
        return Results.Text(row.Body ?? "", "application/json; charset=utf-8", statusCode: row.Status);
    }

    /// <summary>A successful answer as it went out: status, JSON body (written as the surface writes it) and Location.</summary>
    private static (int Status, string Body, string? Location)? Capture(object? result)
    {
        var (status, value) = result switch
        {
            IStatusCodeHttpResult { StatusCode: var code } and IValueHttpResult { Value: var v } => (code ?? StatusCodes.Status200OK, v),
            IResult => (0, null),
            var plain => (StatusCodes.Status200OK, plain),
        };
        if (status is < 200 or >= 300 || value is null)
        {
            return null;
        }
        var location = result?.GetType().GetProperty("Location")?.GetValue(result) as string;
        return (status, JsonSerializer.Serialize(value, JsonBodyResults.TypeInfo(value.GetType())), location);
    }
}

public static class IdempotencyEndpoints
{
    /// <summary>Makes a creating POST honour <c>Idempotency-Key</c> (see <see cref="IdempotencyService"/>).</summary>
    public static TBuilder Idempotent<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var key = invocation.HttpContext.Request.Headers[IdempotencyService.Header].ToString();
            return key.Length == 0
                ? await next(invocation)
                : await invocation.HttpContext.RequestServices.GetRequiredService<IdempotencyService>().RunAsync(invocation.HttpContext, key, () => next(invocation));
        });
}
