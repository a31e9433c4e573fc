namespace Mirage.Bench;

/// <summary>
/// Scenario 6: a mixed read/write workload at half of its measured maximum for <c>--minutes</c>, run as
/// consecutive wrk segments so latency and the server's memory are sampled along the way. The first segment is
/// the warm-up: memory growth is measured from its end to the end of the last.
/// </summary>
internal static class SoakRun
{
    public static async Task RunAsync(BenchOptions options, BenchApi api, BenchResults results)
    {
        Console.WriteLine($"Soak: seeding {options.Url} through the HTTP API ...");
        var data = await DataSet.SeedAsync(api, options.Size, RunId.New(), line => Console.WriteLine($"  {line}"));
        var requests = Scenarios.Mixed(data);
        var max = await Wrk.RunAsync(options.Url, requests, options.Connections, options.Duration);
        var target = max.RequestsPerSecond / 2;
        var segments = Math.Max(2, (int)Math.Round(options.SoakMinutes));
        var segment = TimeSpan.FromMinutes(options.SoakMinutes / segments);
        Console.WriteLine($"  mixed maximum {max.RequestsPerSecond:0} req/s; soaking at {target:0} req/s for {options.SoakMinutes} min in {segments} segments");

        var samples = new List<SoakSample>();
        for (var i = 1; i <= segments; i++)
        {
            var load = await Wrk.RunAsync(options.Url, requests, options.Connections, segment, target);
            var sample = new SoakSample(Math.Round(i * segment.TotalMinutes, 2), load.RequestsPerSecond, load.P50Ms, load.P99Ms, load.Errors,
                ServerMemory.RssKib(options.ServerPid));
            samples.Add(sample);
            Console.WriteLine($"  {sample.EndMinute:0.#} min: {load.RequestsPerSecond:0} req/s, p50 {load.P50Ms:0.00} ms, p99 {load.P99Ms:0.00} ms, " +
                $"errors {load.Errors}, RSS {(sample.RssKib is { } kib ? $"{kib / 1024.0:0.0} MiB" : "n/a")}");
        }
        double? growth = samples[0].RssKib is { } first && samples[^1].RssKib is { } last ? Math.Round(100.0 * (last - first) / first, 1) : null;
        results.Soak = new SoakResult(options.SoakMinutes, max.RequestsPerSecond, target, samples, growth, samples.Sum(s => s.Errors) + max.Errors);
        ResultTables.PrintSoak(results.Soak);
    }
}
