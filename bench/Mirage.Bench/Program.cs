using Mirage.Bench;

// Mirage benchmark: seeds a running server (through its HTTP API, or reads the tokens `mirage seed --sessions`
// wrote), measures the scenarios of a command with wrk or WebSocket clients, and adds the figures to a results
// file. bench/run starts the servers and calls this once per command.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
using var http = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(60) };
var api = new BenchApi(http);
var results = await BenchResults.LoadAsync(options.ResultsFile, options.Url);
try
{
    switch (options.Command)
    {
        case "report":
            ResultTables.Print(results);
            Console.WriteLine();
            Console.WriteLine($"Results: {options.ResultsFile}");
            return 0;
        case "growth":
            await GrowthRun.RunAsync(options, api, results);
            break;
        case "fanout":
            await FanoutRun.RunAsync(options, api, results);
            break;
        case "soak":
            await SoakRun.RunAsync(options, api, results);
            break;
        default:
            await ScenarioRun.RunAsync(options, api, results);
            break;
    }
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
await results.SaveAsync(options.ResultsFile);
return 0;

/// <summary>A short unique suffix for the names a run creates, so runs against the same server never collide.</summary>
internal static class RunId
{
    public static string New() => DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture) + Random.Shared.Next(100, 999);
}
