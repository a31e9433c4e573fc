using System.Globalization;

namespace Mirage.Common;

/// <summary>
/// Times are stored as Unix milliseconds (a BIGINT in both dialects): indexable, exact, free of time-zone rules.
/// </summary>
public static class Time
{
    public static long NowMs(this TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>ISO-8601 in UTC with a Z, to the millisecond: what both surfaces show.</summary>
    public static string ToIso(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Epoch seconds as a float, the shape room messages have on the /api surface.</summary>
    public static double ToEpochSeconds(long unixMs) => unixMs / 1000.0;
}
