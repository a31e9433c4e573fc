using System.Globalization;

namespace Mirage.Bench;

/// <summary>The server process's resident memory and CPU time (Linux /proc), when the bench knows its pid.</summary>
public static class ServerProcess
{
    /// <summary>Linux reports CPU times in USER_HZ ticks, 100 a second on every mainstream kernel configuration.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU seconds the process has used, or null without a pid or /proc.</summary>
    public static double? CpuSeconds(int? pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (pid is null || !File.Exists(stat))
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var text = File.ReadAllText(stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>VmRSS in KiB, or null without a pid or /proc.</summary>
    public static long? RssKib(int? pid)
    {
        if (pid is null)
        {
            return null;
        }
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return null;
        }
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>VmRSS after memory has had <paramref name="settle"/> to settle (the server's GC runs on its own clock).</summary>
    public static async Task<long?> SettledRssKibAsync(int? pid, TimeSpan settle)
    {
        await Task.Delay(settle);
        return RssKib(pid);
    }
}
