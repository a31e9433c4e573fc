using System.Globalization;

namespace Mirage.Bench;

/// <summary>The results as Markdown tables: what bench/run prints and what the README shows.</summary>
internal static class ResultTables
{
    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static void Print(BenchResults results)
    {
        Console.WriteLine();
        Console.WriteLine(F($"Mirage bench {results.TakenAt:yyyy-MM-dd HH:mm} UTC, {results.Machine.Cores} cores ({results.Machine.Cpu ?? "?"}), ") +
            F($"{results.Machine.MemoryBytes / (1L << 30)} GiB, {results.Machine.Os}, server {results.Server}"));
        if (results.Scenarios is { } scenarios)
        {
            PrintScenarios(scenarios);
        }
        if (results.Growth is { } growth)
        {
            PrintGrowth(growth);
        }
        if (results.Fanout is { Count: > 0 } fanout)
        {
            PrintFanout(fanout);
        }
        if (results.Soak is { } soak)
        {
            PrintSoak(soak);
        }
    }

    public static void PrintScenarios(ScenarioSection section)
    {
        Console.WriteLine();
        Console.WriteLine(F($"Scenarios 1-3: {section.Connections} connections, {section.DurationSeconds}s per load"));
        Console.WriteLine();
        Console.WriteLine("| scenario | kind | req/s | % of ping | p50 ms | p99 ms | p99 ms at half load | errors | server CPU µs per request |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in section.Rows)
        {
            var half = r.P99AtHalfLoadMs is { } h ? h.ToString("0.00", CultureInfo.InvariantCulture) : "";
            var cpu = r.CpuUsPerRequest is { } c ? c.ToString("0.0", CultureInfo.InvariantCulture) : "";
            Console.WriteLine(F($"| {r.Scenario} | {r.Kind} | {r.RequestsPerSecond:0} | {r.PercentOfPing:0.0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {half} | {r.Errors} | {cpu} |"));
        }
    }

    public static void PrintGrowth(GrowthSection section)
    {
        Console.WriteLine();
        Console.WriteLine(F($"Scenario 4, growth: the reads at {string.Join(" and ", section.Rows.Select(r => r.DataSize).Distinct().Order().Select(Size))} ") +
            F($"posts and messages, {section.Connections} connections, {section.DurationSeconds}s per load"));
        Console.WriteLine();
        Console.WriteLine("| scenario | data | req/s | p50 ms | p99 ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in section.Rows.OrderBy(r => r.Scenario, StringComparer.Ordinal).ThenBy(r => r.DataSize))
        {
            Console.WriteLine(F($"| {r.Scenario} | {Size(r.DataSize)} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Errors} |"));
        }
        if (section.SeedSeconds.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Seeding (mirage seed, straight to the database): " +
                string.Join(", ", section.SeedSeconds.Select(s => F($"{Size(s.Key)} posts + {Size(s.Key)} messages in {s.Value:0.0} s"))));
        }
        var ratios = section.Ratios().ToList();
        if (ratios.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| scenario | p50 ratio (target ≤ 1.5) |");
            Console.WriteLine("|---|---:|");
            foreach (var r in ratios)
            {
                Console.WriteLine(F($"| {r.Scenario} | {r.Ratio:0.00} ({r.LargeP50Ms:0.00} ms at {Size(r.LargeSize)} ÷ {r.SmallP50Ms:0.00} ms at {Size(r.SmallSize)}) |"));
            }
        }
    }

    private static string Cpu(double? microseconds) =>
        microseconds is { } us ? us.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

    public static void PrintFanout(IEnumerable<FanoutResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("Scenario 5, fan-out: WebSocket subscribers of one room, one sender");
        Console.WriteLine();
        Console.WriteLine("| subscribers | connected | KiB per idle connection | sent | delivered / expected | p50 ms | p99 ms | max ms | reconnects | send answered p50 / p99 ms | CPU µs per delivery: server / bench |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var kib = r.KibPerConnection is { } k ? k.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
            Console.WriteLine(F($"| {r.Subscribers} | {r.Connected} | {kib} | {r.MessagesSent} at {r.Rate}/s | {r.Delivered} / {r.Expected} | {r.P50Ms:0.0} | {r.P99Ms:0.0} | {r.MaxMs:0.0} | {r.Reconnects} | {r.SendP50Ms:0.0} / {r.SendP99Ms:0.0} | {Cpu(r.ServerCpuUsPerDelivery)} / {Cpu(r.BenchCpuUsPerDelivery)} |"));
        }
    }

    public static void PrintSoak(SoakResult soak)
    {
        Console.WriteLine();
        Console.WriteLine(F($"Scenario 6, soak: {soak.Minutes} min of mixed reads and writes at {soak.TargetRequestsPerSecond:0} req/s ") +
            F($"(half of the measured {soak.MaxRequestsPerSecond:0})"));
        Console.WriteLine();
        Console.WriteLine("| minute | req/s | reads p50 ms | reads p99 ms | writes p50 ms | writes p99 ms | errors | server memory MiB (anonymous RSS, median) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in soak.Samples)
        {
            var rss = s.RssKib is { } r ? (r / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
            Console.WriteLine(F($"| {s.EndMinute:0.#} | {s.RequestsPerSecond:0} | {s.ReadP50Ms:0.00} | {s.ReadP99Ms:0.00} | {s.WriteP50Ms:0.00} | {s.WriteP99Ms:0.00} | {s.Errors} | {rss} |"));
        }
        var growth = soak.MemoryGrowthPercent is { } g ? g.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a";
        Console.WriteLine();
        Console.WriteLine($"Memory (each segment's median) from the first segment (warm-up) to the last: {growth}; errors in total: {soak.Errors}");
    }

    public static string Size(long n) => n switch
    {
        >= 1_000_000 when n % 1_000_000 == 0 => $"{n / 1_000_000}M",
        >= 1_000 when n % 1_000 == 0 => $"{n / 1_000}k",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };
}
