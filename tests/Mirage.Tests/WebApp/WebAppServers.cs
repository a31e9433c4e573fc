using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.WebApp;

/// <summary>An empty operators' apps folder, so only the built-in default web app answers.</summary>
internal static class BuiltInOnly
{
    public static IEnumerable<KeyValuePair<string, string?>> Settings(string directory)
    {
        Directory.CreateDirectory(directory);
        return [new("Mirage:Apps:Directory", directory)];
    }

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "mirage-webapp-apps", Guid.NewGuid().ToString("N"));

    public static void Delete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The default web app on SQLite, through the in-memory test host.</summary>
public sealed class WebAppSqliteServer : SqliteServer
{
    private readonly string apps = BuiltInOnly.NewDirectory();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => BuiltInOnly.Settings(apps);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        BuiltInOnly.Delete(apps);
    }
}

/// <summary>The default web app on PostgreSQL, through the in-memory test host.</summary>
public sealed class WebAppPostgresServer : PostgresServer
{
    private readonly string apps = BuiltInOnly.NewDirectory();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => BuiltInOnly.Settings(apps);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        BuiltInOnly.Delete(apps);
    }
}

/// <summary>The default web app on SQLite behind real Kestrel, for a real browser (streams need a socket).</summary>
public sealed class WebAppKestrelServer : KestrelSqliteServer
{
    private readonly string apps = BuiltInOnly.NewDirectory();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => BuiltInOnly.Settings(apps);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        BuiltInOnly.Delete(apps);
    }
}
