namespace Mirage.Bench;

/// <summary>
/// Scenario 4, one data size: the read scenarios of scenario 1 on a server that `mirage seed` filled with
/// <c>--size</c> posts and messages. bench/run calls it once per size, each on a fresh server; the section keeps
/// the rows of every size and reports p50 at the largest ÷ p50 at the smallest.
/// </summary>
internal static class GrowthRun
{
    // Each read warms up for 5 s: on 2 cores under full load the JIT took over 10 s to bring the For-You path to its
    // optimised tier, and with 2 s that path was still partly unoptimised code when measured.
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BenchOptions options, BenchApi api, BenchResults results)
    {
        if (options.DataSize <= 0)
        {
            throw new ArgumentException("growth needs --size N: the posts and messages the server was seeded with");
        }
        var users = DataSet.ReadTokens(options.RequireTokens());
        Console.WriteLine($"Growth at {ResultTables.Size(options.DataSize)} posts and messages: {users.Count} signed-in users");
        var data = await DataSet.DiscoverAsync(api, users, RunId.New(), line => Console.WriteLine($"  {line}"));
        var section = results.Growth ??= new GrowthSection();
        (section.Connections, section.DurationSeconds) = (options.Connections, options.Duration.TotalSeconds);
        section.Rows.RemoveAll(r => r.DataSize == options.DataSize);
        if (options.SeedSeconds is { } seconds)
        {
            section.SeedSeconds[options.DataSize] = seconds;
        }

        var scenarios = Scenarios.All.Where(s => s.Kind == Scenarios.Read && (options.Only is null || options.Only.Contains(s.Name))).ToList();
        // A fresh server: JIT, connection pools and caches warm up on every scenario before any is measured.
        foreach (var scenario in scenarios)
        {
            await Wrk.RunAsync(options.Url, scenario.Requests(data), options.Connections, WarmUp);
        }
        foreach (var scenario in scenarios)
        {
            var load = await Wrk.RunAsync(options.Url, scenario.Requests(data), options.Connections, options.Duration);
            section.Rows.Add(new GrowthRow(scenario.Name, options.DataSize, load.RequestsPerSecond, load.P50Ms, load.P99Ms, load.Requests, load.Errors));
            Console.WriteLine($"  {scenario.Name}: {load.RequestsPerSecond:0} req/s, p50 {load.P50Ms:0.00} ms, p99 {load.P99Ms:0.00} ms, errors {load.Errors}");
        }
        ResultTables.PrintGrowth(section);
    }
}
