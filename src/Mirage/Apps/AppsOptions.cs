namespace Mirage.Apps;

/// <summary><c>Mirage:Apps</c>: where operators' Lua apps live and what one request of theirs may use.</summary>
public sealed class AppsOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Operators' apps, one per folder, relative to the working directory.</summary>
    public string Directory { get; set; } = "./apps";

    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(1);

    public long MemoryLimitBytes { get; set; } = 16 * 1024 * 1024;

    public int MaxApiCalls { get; set; } = 100;

    /// <summary>Where the built-in default app is read from (beside the binary unless a test points elsewhere).</summary>
    public string? BuiltInDirectory { get; set; }

    public string FullDirectory => Path.GetFullPath(Directory);

    public string FullBuiltInDirectory => Path.GetFullPath(BuiltInDirectory ?? Path.Combine(AppContext.BaseDirectory, "Apps", "Default"));
}
