using System.Globalization;

namespace Mirage.Bench;

/// <summary>
/// <c>Mirage.Bench [command] [options]</c>. Commands: <c>scenarios</c> (1-3, the default), <c>growth</c>, <c>fanout</c>,
/// <c>soak</c>, and <c>report</c> (prints every section of a results file). Each command adds its section to
/// <c>--results</c>, so the invocations of one bench/run build one table and one JSON file.
/// </summary>
internal sealed record BenchOptions(
    string Command, string Url, TimeSpan Duration, int Connections, SeedSize Size, HashSet<string>? Only, string ResultsFile,
    string? TokensFile, int? ServerPid, long DataSize, double? SeedSeconds, double SoakMinutes, double FanoutRate, int FanoutSeconds)
{
    public static readonly string[] Commands = ["scenarios", "growth", "fanout", "soak", "report"];

    public static BenchOptions Parse(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "scenarios";
        if (!Commands.Contains(command))
        {
            throw new ArgumentException($"unknown command {command}; expected one of {string.Join(", ", Commands)}");
        }
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        double Number(string name, double fallback) => Value(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
        var only = Value("--only");
        return new BenchOptions(
            command,
            Value("--url") ?? "http://127.0.0.1:18080",
            TimeSpan.FromSeconds(Number("--duration", 8)),
            (int)Number("--connections", 64),
            new SeedSize(Users: (int)Number("--users", 100)),
            only is null ? null : [.. only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            Value("--results") ?? Path.Combine("bench", "results", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"),
            Value("--tokens"),
            Value("--server-pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            (long)Number("--size", 0),
            Value("--seed-seconds") is { } seconds ? double.Parse(seconds, CultureInfo.InvariantCulture) : null,
            Number("--minutes", 10),
            Number("--rate", 5),
            (int)Number("--seconds", 10));
    }

    public string RequireTokens() => TokensFile ?? throw new ArgumentException($"{Command} needs --tokens FILE (from mirage seed --sessions)");
}
