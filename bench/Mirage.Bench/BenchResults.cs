using System.Text.Json;

namespace Mirage.Bench;

/// <summary>
/// One bench run's figures: a section per scenario family, filled by the commands of the run one after the
/// other (each loads the file, adds its section and saves it). Printed as tables by <see cref="ResultTables"/>.
/// </summary>
internal sealed class BenchResults
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public DateTime TakenAt { get; set; } = DateTime.UtcNow;
    public MachineInfo Machine { get; set; } = MachineInfo.Current();
    public string Server { get; set; } = "";
    public ScenarioSection? Scenarios { get; set; }
    public GrowthSection? Growth { get; set; }
    public List<FanoutResult>? Fanout { get; set; }
    public SoakResult? Soak { get; set; }

    public static async Task<BenchResults> LoadAsync(string file, string server)
    {
        var results = File.Exists(file) ? JsonSerializer.Deserialize<BenchResults>(await File.ReadAllTextAsync(file), Json)! : new BenchResults();
        results.Server = server;
        return results;
    }

    public async Task SaveAsync(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var temporary = file + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, file, overwrite: true);
    }
}

public sealed record MachineInfo(int Cores, string Os, long MemoryBytes, string? Cpu)
{
    public static MachineInfo Current() => new(Environment.ProcessorCount, Environment.OSVersion.ToString(),
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, CpuModel());

    private static string? CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
}

/// <summary>Scenarios 1-3: every load against the same run's /api/ping ceiling.</summary>
public sealed class ScenarioSection
{
    public int Connections { get; set; }
    public double DurationSeconds { get; set; }
    public List<ScenarioRow> Rows { get; set; } = [];
}

public sealed record ScenarioRow(string Scenario, string Kind, double RequestsPerSecond, double PercentOfPing, double P50Ms, double P99Ms,
    double? P99AtHalfLoadMs, long Requests, long Errors, string? Note = null, double? CpuUsPerRequest = null);

/// <summary>Scenario 4: the read scenarios on data sets of different sizes, and p50 at the largest ÷ p50 at the smallest.</summary>
public sealed class GrowthSection
{
    public int Connections { get; set; }
    public double DurationSeconds { get; set; }
    public List<GrowthRow> Rows { get; set; } = [];

    /// <summary>How long `mirage seed` took to write each data size (posts and messages each), when bench/run told.</summary>
    public SortedDictionary<long, double> SeedSeconds { get; set; } = [];

    public IEnumerable<GrowthRatio> Ratios()
    {
        var sizes = Rows.Select(r => r.DataSize).Distinct().Order().ToList();
        if (sizes.Count < 2)
        {
            yield break;
        }
        foreach (var scenario in Rows.Select(r => r.Scenario).Distinct())
        {
            var small = Rows.FirstOrDefault(r => r.Scenario == scenario && r.DataSize == sizes[0]);
            var large = Rows.FirstOrDefault(r => r.Scenario == scenario && r.DataSize == sizes[^1]);
            if (small is not null && large is not null && small.P50Ms > 0)
            {
                yield return new GrowthRatio(scenario, sizes[0], sizes[^1], small.P50Ms, large.P50Ms, Math.Round(large.P50Ms / small.P50Ms, 2));
            }
        }
    }

    /// <summary>For readers of the JSON: recomputed from the rows on every save, ignored on load.</summary>
    public List<GrowthRatio> P50Ratios => [.. Ratios()];
}

/// <summary>One read scenario at one data size (posts and messages each).</summary>
public sealed record GrowthRow(string Scenario, long DataSize, double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors);

public sealed record GrowthRatio(string Scenario, long SmallSize, long LargeSize, double SmallP50Ms, double LargeP50Ms, double Ratio);

/// <summary>Scenario 5: N idle WebSocket subscribers of one room, then one sender at a fixed rate.</summary>
public sealed record FanoutResult(
    int Subscribers, int Connected, long? RssBeforeKib, long? RssAfterKib, double? KibPerConnection,
    double Rate, int MessagesSent, int SendErrors, long Expected, long Delivered, double P50Ms, double P99Ms, double MaxMs, int Reconnects,
    double SendP50Ms, double SendP99Ms, double? ServerCpuUsPerDelivery = null, double? BenchCpuUsPerDelivery = null);

/// <summary>Scenario 6: a mixed workload at half its measured maximum, sampled a segment at a time.</summary>
public sealed record SoakResult(
    double Minutes, double MaxRequestsPerSecond, double TargetRequestsPerSecond, List<SoakSample> Samples, double? MemoryGrowthPercent, long Errors);

/// <summary>One segment of the soak: its load figures, reads and writes apart, and the server's memory at its end.</summary>
public sealed record SoakSample(double EndMinute, double RequestsPerSecond, double ReadP50Ms, double ReadP99Ms, double WriteP50Ms,
    double WriteP99Ms, long Errors, long? RssKib);
