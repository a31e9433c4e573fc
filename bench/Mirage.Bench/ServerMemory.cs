using System.Globalization;

namespace Mirage.Bench;

/// <summary>The resident memory of the server process (Linux /proc), when the bench knows its pid.</summary>
public static class ServerMemory
{
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
