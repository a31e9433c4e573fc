namespace Mirage.Bench;

/// <summary>
/// Scenarios 1-3: seeds the server through its HTTP API, measures the /api/ping ceiling, then each read scenario at
/// maximum and at half of it, each write scenario at maximum, and logins beside a trickle of pings.
/// </summary>
internal static class ScenarioRun
{
    /// <summary>
    /// Each load runs this long before it is measured, so that what is measured is the server's steady state, not
    /// its JIT compiling the scenario's code paths (up to a tenth of its CPU in the first seconds of a write load).
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(BenchOptions options, BenchApi api, BenchResults results)
    {
        Console.WriteLine($"Seeding {options.Url} through the HTTP API ...");
        var data = await DataSet.SeedAsync(api, options.Size, RunId.New(), line => Console.WriteLine($"  {line}"));
        var hasV1 = data.Chats.Count > 0;
        var section = new ScenarioSection { Connections = options.Connections, DurationSeconds = options.Duration.TotalSeconds };
        results.Scenarios = section;

        Console.WriteLine($"Measuring the ceiling: GET /api/ping, {options.Connections} connections, {options.Duration.TotalSeconds}s");
        await Wrk.RunAsync(options.Url, Scenarios.Ping.Requests(data), options.Connections, WarmUp);
        var (ping, pingCpu) = await MeasuredAsync(options, () => Wrk.RunAsync(options.Url, Scenarios.Ping.Requests(data), options.Connections, options.Duration));
        section.Rows.Add(Row(Scenarios.Ping, ping, null, ping.RequestsPerSecond, pingCpu));

        foreach (var scenario in Scenarios.All.Where(s => options.Only is null || options.Only.Contains(s.Name)))
        {
            if (scenario.NeedsV1 && !hasV1)
            {
                Console.WriteLine($"  {scenario.Name}: skipped (no /v1 surface)");
                continue;
            }
            var requests = scenario.Requests(data);
            if (scenario.WarmsUp)
            {
                await Wrk.RunAsync(options.Url, requests, options.Connections, WarmUp);
            }
            var (max, cpu) = await MeasuredAsync(options, () => Wrk.RunAsync(options.Url, requests, options.Connections, options.Duration));
            LoadResult? half = null;
            if (scenario.Kind is Scenarios.Read or Scenarios.Page && max.RequestsPerSecond > 0)
            {
                half = await Wrk.RunAsync(options.Url, requests, options.Connections, options.Duration, max.RequestsPerSecond / 2);
            }
            section.Rows.Add(Row(scenario, max, half, ping.RequestsPerSecond, cpu));
            Console.WriteLine($"  {scenario.Name}: {max.RequestsPerSecond:0} req/s, p99 {max.P99Ms:0.00} ms, errors {max.Errors}");
        }

        if (options.Only is null || options.Only.Contains("login"))
        {
            // Login hashes a password on purpose; what matters is that it does not stall everyone else.
            var loginTask = Wrk.RunAsync(options.Url, Scenarios.Logins(data), 8, options.Duration, threads: 1);
            var pingDuringLogin = await Wrk.RunAsync(options.Url, Scenarios.Ping.Requests(data), 4, options.Duration, ratePerSecond: 200, threads: 1);
            var login = await loginTask;
            section.Rows.Add(new ScenarioRow("login", "login", login.RequestsPerSecond, Percent(login.RequestsPerSecond, ping.RequestsPerSecond),
                login.P50Ms, login.P99Ms, null, login.Requests, login.Errors, "8 connections"));
            section.Rows.Add(new ScenarioRow("ping_during_login", "login", pingDuringLogin.RequestsPerSecond,
                Percent(pingDuringLogin.RequestsPerSecond, ping.RequestsPerSecond), pingDuringLogin.P50Ms, pingDuringLogin.P99Ms, null,
                pingDuringLogin.Requests, pingDuringLogin.Errors, "200 req/s beside the logins"));
        }
        ResultTables.PrintScenarios(section);
    }

    private static ScenarioRow Row(Scenario scenario, LoadResult max, LoadResult? half, double pingRps, double? cpuUsPerRequest) =>
        new(scenario.Name, scenario.Kind, max.RequestsPerSecond, Percent(max.RequestsPerSecond, pingRps),
            max.P50Ms, max.P99Ms, half?.P99Ms, max.Requests, max.Errors + (half?.Errors ?? 0), CpuUsPerRequest: cpuUsPerRequest);

    /// <summary>
    /// A load and the server's CPU time per request during it (when the bench started the server): on a shared,
    /// noisy machine this moves far less between runs than requests per second do.
    /// </summary>
    private static async Task<(LoadResult Load, double? CpuUsPerRequest)> MeasuredAsync(BenchOptions options, Func<Task<LoadResult>> load)
    {
        var before = ServerProcess.CpuSeconds(options.ServerPid);
        var result = await load();
        var used = ServerProcess.CpuSeconds(options.ServerPid) - before;
        return (result, used is { } seconds && result.Requests > 0 ? Math.Round(seconds * 1e6 / result.Requests, 1) : null);
    }

    public static double Percent(double value, double ceiling) => ceiling > 0 ? Math.Round(100 * value / ceiling, 1) : 0;
}
