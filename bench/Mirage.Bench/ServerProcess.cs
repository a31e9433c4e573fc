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

    /// <summary>
    /// The server's own resident memory in KiB (RssAnon: heap, stacks, buffers), or null without a pid or /proc.
    /// Not VmRSS: SQLite readers memory-map the database, and VmRSS counts every page of the file they have touched,
    /// which is the kernel's page cache, grows with the database and is given back under pressure. Where /proc has no
    /// RssAnon (kernels before 4.5) it falls back to VmRSS.
    /// </summary>
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
        var lines = File.ReadLines(status).ToList();
        var line = lines.FirstOrDefault(l => l.StartsWith("RssAnon:", StringComparison.Ordinal))
            ?? lines.FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary><see cref="RssKib"/> after memory has had <paramref name="settle"/> to settle (the server's GC runs on its own clock).</summary>
    public static async Task<long?> SettledRssKibAsync(int? pid, TimeSpan settle)
    {
        await Task.Delay(settle);
        return RssKib(pid);
    }
}
