using System.Globalization;

namespace Mirage.Common;

/// <summary>
/// Times are stored as Unix milliseconds (a BIGINT in both dialects): indexable, exact, free of time-zone rules.
/// </summary>
public static class Time
{
    public static long NowMs(this TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A configured duration for a message: "15 minutes", "1 hour", "90 seconds", "2 days".</summary>
    public static string Describe(TimeSpan span)
    {
        static string Count(double n, string unit) =>
            $"{n.ToString("0.##", CultureInfo.InvariantCulture)} {unit}{(n == 1 ? "" : "s")}";
        return span switch
        {
            { TotalDays: >= 1 } when span.Ticks % TimeSpan.TicksPerDay == 0 => Count(span.TotalDays, "day"),
            { TotalHours: >= 1 } when span.Ticks % TimeSpan.TicksPerHour == 0 => Count(span.TotalHours, "hour"),
            { TotalMinutes: >= 1 } when span.Ticks % TimeSpan.TicksPerMinute == 0 => Count(span.TotalMinutes, "minute"),
            _ => Count(span.TotalSeconds, "second"),
        };
    }

    /// <summary>
    /// ISO-8601 in UTC with a Z, to the millisecond (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>): what both surfaces show.
    /// Written digit by digit: every post and message on a page carries one, and the general formatter parsing its
    /// pattern each time was a visible share of rendering a page.
    /// </summary>
    public static string ToIso(long unixMs)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;
        if (time.Year > 9999 || time.Year < 1)
        {
            return time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }
        return string.Create(24, time, static (chars, t) =>
        {
            Digits(chars[..4], t.Year);
            chars[4] = '-';
            Digits(chars.Slice(5, 2), t.Month);
            chars[7] = '-';
            Digits(chars.Slice(8, 2), t.Day);
            chars[10] = 'T';
            Digits(chars.Slice(11, 2), t.Hour);
            chars[13] = ':';
            Digits(chars.Slice(14, 2), t.Minute);
            chars[16] = ':';
            Digits(chars.Slice(17, 2), t.Second);
            chars[19] = '.';
            Digits(chars.Slice(20, 3), t.Millisecond);
            chars[23] = 'Z';
        });
    }

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }

    /// <summary>Epoch seconds as a float, the shape room messages have on the /api surface.</summary>
    public static double ToEpochSeconds(long unixMs) => unixMs / 1000.0;
}
