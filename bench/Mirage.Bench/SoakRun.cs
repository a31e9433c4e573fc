namespace Mirage.Bench;

/// <summary>
/// Scenario 6: a mixed workload, four reads to one write, measured at maximum and then run at half that rate for
/// <c>--minutes</c>, as consecutive one-minute segments so latency and the server's memory are sampled along the way.
/// Reads and writes run as two loads side by side (their shares of the rate, 3/4 and 1/4 of the connections), so
/// each segment says which of them a slow moment hit. The first segment is the warm-up: memory growth is measured
/// from it to the last. A segment's memory is the median of a reading every two seconds: a single reading lands
/// anywhere on the garbage collector's sawtooth, which moved one run's end-to-end figure from −10 % to +11 %.
/// </summary>
internal static class SoakRun
{
    public static async Task RunAsync(BenchOptions options, BenchApi api, BenchResults results)
    {
        Console.WriteLine($"Soak: seeding {options.Url} through the HTTP API ...");
        var data = await DataSet.SeedAsync(api, options.Size, RunId.New(), line => Console.WriteLine($"  {line}"));
        var (reads, writes) = (Scenarios.Mix(data, Scenarios.Read), Scenarios.Mix(data, Scenarios.Write));
        var max = await Wrk.RunAsync(options.Url, Scenarios.Mixed(reads, writes), options.Connections, options.Duration);
        var target = max.RequestsPerSecond / 2;
        var segments = Math.Max(2, (int)Math.Round(options.SoakMinutes));
        var segment = TimeSpan.FromMinutes(options.SoakMinutes / segments);
        var writeConnections = Math.Max(1, options.Connections / 4);
        Console.WriteLine($"  mixed maximum {max.RequestsPerSecond:0} req/s; soaking at {target:0} req/s for {options.SoakMinutes} min in {segments} segments");

        var samples = new List<SoakSample>();
        for (var i = 1; i <= segments; i++)
        {
            var memory = MedianMemoryAsync(options.ServerPid, segment);
            var writing = Wrk.RunAsync(options.Url, writes, writeConnections, segment, target / 5);
            var read = await Wrk.RunAsync(options.Url, reads, options.Connections - writeConnections, segment, target * 4 / 5);
            var write = await writing;
            var sample = new SoakSample(Math.Round(i * segment.TotalMinutes, 2), read.RequestsPerSecond + write.RequestsPerSecond,
                read.P50Ms, read.P99Ms, write.P50Ms, write.P99Ms, read.Errors + write.Errors, await memory);
            samples.Add(sample);
            Console.WriteLine($"  {sample.EndMinute:0.#} min: {sample.RequestsPerSecond:0} req/s, reads p50 {read.P50Ms:0.00} p99 {read.P99Ms:0.00} ms, " +
                $"writes p50 {write.P50Ms:0.00} p99 {write.P99Ms:0.00} ms, errors {sample.Errors}, " +
                $"memory {(sample.RssKib is { } kib ? $"{kib / 1024.0:0.0} MiB" : "n/a")}");
        }
        double? growth = samples[0].RssKib is { } first && samples[^1].RssKib is { } last ? Math.Round(100.0 * (last - first) / first, 1) : null;
        results.Soak = new SoakResult(options.SoakMinutes, max.RequestsPerSecond, target, samples, growth, samples.Sum(s => s.Errors) + max.Errors);
        ResultTables.PrintSoak(results.Soak);
    }

    private static async Task<long?> MedianMemoryAsync(int? pid, TimeSpan duration)
    {
        var readings = new List<long>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < duration - TimeSpan.FromSeconds(1))
        {
            if (ServerProcess.RssKib(pid) is { } kib)
            {
                readings.Add(kib);
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        readings.Sort();
        return readings.Count == 0 ? null : readings[readings.Count / 2];
    }
}
