using System.Globalization;
using Mirage.Bench;

// Mirage benchmark: seeds a running server through its HTTP API, then measures each scenario with wrk and
// reports it against the same run's /api/ping ceiling. bench/run starts a fresh server and calls this.
var options = BenchOptions.Parse(args);
using var http = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(30) };
var api = new BenchApi(http);
var runId = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(100, 999);

Console.WriteLine($"Seeding {options.Url} through the HTTP API ...");
var data = await DataSet.SeedAsync(api, options.Size, runId, line => Console.WriteLine($"  {line}"));
var hasV1 = data.Chats.Count > 0;

var report = new Report(options);
Console.WriteLine($"Measuring the ceiling: GET /api/ping, {options.Connections} connections, {options.Duration.TotalSeconds}s");
var ping = await Wrk.RunAsync(options.Url, Scenarios.Ping.Requests(data), options.Connections, options.Duration);
report.Add(Scenarios.Ping, ping, null, ping.RequestsPerSecond);

foreach (var scenario in Scenarios.All.Where(s => options.Only is null || options.Only.Contains(s.Name)))
{
    if (scenario.NeedsV1 && !hasV1)
    {
        Console.WriteLine($"  {scenario.Name}: skipped (no /v1 surface)");
        continue;
    }
    var requests = scenario.Requests(data);
    var max = await Wrk.RunAsync(options.Url, requests, options.Connections, options.Duration);
    LoadResult? half = null;
    if (scenario.Kind == Scenarios.Read && max.RequestsPerSecond > 0)
    {
        half = await Wrk.RunAsync(options.Url, requests, options.Connections, options.Duration, max.RequestsPerSecond / 2);
    }
    report.Add(scenario, max, half, ping.RequestsPerSecond);
    Console.WriteLine($"  {scenario.Name}: {max.RequestsPerSecond:0} req/s, p99 {max.P99Ms:0.00} ms, errors {max.Errors}");
}

if (options.Only is null || options.Only.Contains("login"))
{
    // Login hashes a password on purpose; what matters is that it does not stall everyone else.
    var loginTask = Wrk.RunAsync(options.Url, Scenarios.Logins(data), 8, options.Duration, threads: 1);
    var pingDuringLogin = await Wrk.RunAsync(options.Url, Scenarios.Ping.Requests(data), 4, options.Duration, ratePerSecond: 200, threads: 1);
    var login = await loginTask;
    report.AddLogin(login, pingDuringLogin, ping.RequestsPerSecond);
}

report.Print();
var file = await report.SaveAsync();
Console.WriteLine($"Results written to {file}");

internal sealed record BenchOptions(string Url, TimeSpan Duration, int Connections, SeedSize Size, HashSet<string>? Only, string OutDirectory)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var only = Value("--only");
        return new BenchOptions(
            Value("--url") ?? "http://127.0.0.1:18080",
            TimeSpan.FromSeconds(int.Parse(Value("--duration") ?? "8", CultureInfo.InvariantCulture)),
            int.Parse(Value("--connections") ?? "64", CultureInfo.InvariantCulture),
            new SeedSize(Users: int.Parse(Value("--users") ?? "100", CultureInfo.InvariantCulture)),
            only is null ? null : [.. only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            Value("--out") ?? Path.Combine("bench", "results"));
    }
}
