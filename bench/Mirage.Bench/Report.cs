using System.Globalization;
using System.Text.Json;

namespace Mirage.Bench;

/// <summary>The run's table (stdout) and the same figures as JSON under bench/results/.</summary>
internal sealed class Report(BenchOptions options)
{
    public sealed record Row(string Scenario, string Kind, double RequestsPerSecond, double PercentOfPing, double P50Ms, double P99Ms,
        double? P99AtHalfLoadMs, long Requests, long Errors, string? Note = null);

    private readonly List<Row> rows = [];

    public void Add(Scenario scenario, LoadResult max, LoadResult? half, double pingRps) =>
        rows.Add(new Row(scenario.Name, scenario.Kind, max.RequestsPerSecond, Percent(max.RequestsPerSecond, pingRps),
            max.P50Ms, max.P99Ms, half?.P99Ms, max.Requests, max.Errors + (half?.Errors ?? 0)));

    public void AddLogin(LoadResult login, LoadResult pingDuringLogin, double pingRps)
    {
        rows.Add(new Row("login", "login", login.RequestsPerSecond, Percent(login.RequestsPerSecond, pingRps), login.P50Ms, login.P99Ms,
            null, login.Requests, login.Errors, "8 connections"));
        rows.Add(new Row("ping_during_login", "login", pingDuringLogin.RequestsPerSecond, Percent(pingDuringLogin.RequestsPerSecond, pingRps),
            pingDuringLogin.P50Ms, pingDuringLogin.P99Ms, null, pingDuringLogin.Requests, pingDuringLogin.Errors, "200 req/s beside the logins"));
    }

    private static double Percent(double value, double ceiling) => ceiling > 0 ? Math.Round(100 * value / ceiling, 1) : 0;

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"| scenario | kind | req/s | % of ping | p50 ms | p99 ms | p99 ms at half load | errors |");
        Console.WriteLine($"|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var half = r.P99AtHalfLoadMs is { } h ? h.ToString("0.00", CultureInfo.InvariantCulture) : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Kind} | {r.RequestsPerSecond:0} | {r.PercentOfPing:0.0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {half} | {r.Errors} |"));
        }
        Console.WriteLine();
        Console.WriteLine($"{Environment.ProcessorCount} cores, {options.Connections} connections, {options.Duration.TotalSeconds}s per run, server {options.Url}");
    }

    public async Task<string> SaveAsync()
    {
        Directory.CreateDirectory(options.OutDirectory);
        var file = Path.Combine(options.OutDirectory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
        var document = new
        {
            taken_at = DateTime.UtcNow,
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), memory_bytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes },
            server = options.Url,
            connections = options.Connections,
            duration_seconds = options.Duration.TotalSeconds,
            rows,
        };
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(document, new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        }));
        return file;
    }
}
