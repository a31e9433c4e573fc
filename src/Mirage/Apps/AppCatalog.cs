using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Mirage.Apps.Lua;
using Mirage.Hosting;
using static Mirage.Apps.Lua.LuaNative;

namespace Mirage.Apps;

/// <summary>The apps being served: their sources, templates and routes, and a pool of Lua states that run them.</summary>
public sealed class AppGeneration : IDisposable
{
    private readonly ConcurrentBag<LuaSandbox> idle = [];
    private readonly long memoryLimit;
    private int disposed;

    internal AppGeneration(int number, IReadOnlyList<AppSource> apps, AppRouter router, long memoryLimit)
    {
        Number = number;
        Apps = apps;
        Router = router;
        this.memoryLimit = memoryLimit;
        Templates = new AppTemplates(apps.Select(a => (a.Name, a.BuiltIn, a.Templates)));
        ByName = apps.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    public int Number { get; }
    public IReadOnlyList<AppSource> Apps { get; }
    public IReadOnlyDictionary<string, AppSource> ByName { get; }
    public AppRouter Router { get; }
    public AppTemplates Templates { get; }

    /// <summary>An idle state of this generation, or a new one with every app loaded.</summary>
    internal async ValueTask<LuaSandbox> RentAsync()
    {
        // A state is held across a request's api.* awaits; past this many at once, requests wait for one.
        await states.WaitAsync();
        try
        {
            return idle.TryTake(out var sandbox) ? sandbox : await CreateSandboxAsync(Apps, memoryLimit);
        }
        catch
        {
            states.Release();
            throw;
        }
    }

    public const int MaxStates = 256;

    private readonly SemaphoreSlim states = new(MaxStates, MaxStates);

    /// <summary>Takes a state back unless a limit stopped it or this generation was replaced.</summary>
    internal void Return(LuaSandbox sandbox)
    {
        states.Release();
        if (sandbox.Killed != LuaKill.None || Volatile.Read(ref disposed) != 0)
        {
            sandbox.Dispose();
            return;
        }
        sandbox.CollectIfLarge();
        idle.Add(sandbox);
        if (Volatile.Read(ref disposed) != 0 && idle.TryTake(out var late))
        {
            late.Dispose();
        }
    }

    internal void Seed(LuaSandbox sandbox) => idle.Add(sandbox);

    internal static async Task<LuaSandbox> CreateSandboxAsync(IEnumerable<AppSource> apps, long memoryLimit)
    {
        var sandbox = LuaSandbox.Create(memoryLimit);
        try
        {
            foreach (var app in apps)
            {
                await app.LoadIntoAsync(sandbox);
            }
            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    internal static Task<List<AppRoute>> ReadRoutesAsync(LuaSandbox sandbox) =>
        sandbox.RunAsync("routes", _ => 0, (thread, _) =>
        {
            var routes = new List<AppRoute>();
            if (LuaValues.Read(thread, -1) is List<object?> list)
            {
                foreach (var item in list.OfType<Dictionary<string, object?>>())
                {
                    routes.Add(new AppRoute((string)item["method"]!, (string)item["path"]!, (int)(long)item["id"]!,
                        (string)item["app"]!, item["csrf"] is true));
                }
            }
            return routes;
        }, NoHostCalls.Instance, TimeSpan.FromSeconds(1), 0).AsTask();


    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        while (idle.TryTake(out var sandbox))
        {
            sandbox.Dispose();
        }
    }
}

/// <summary>
/// Loads the operators' apps (<c>Mirage:Apps:Directory</c>, one per folder, in name order) and the built-in
/// default app (last), and reloads them when their files change. An app that fails to load is skipped, or keeps
/// its last good version, and the log says <c>file:line: message</c>.
/// </summary>
public sealed partial class AppCatalog(IOptions<MirageOptions> options, ILogger<AppCatalog> logger) : IDisposable
{
    public const string BuiltInName = "default";

    private readonly SemaphoreSlim reloading = new(1, 1);
    private readonly Dictionary<string, AppSource> lastGood = new(StringComparer.Ordinal);
    private volatile AppGeneration? current;
    private string fingerprint = "\0";
    private int generation;

    private AppsOptions Apps => options.Value.Apps;

    public AppGeneration? Current => current;

    /// <summary>The folders to load, in order: operators' by name, then the built-in app unless an operator replaced it.</summary>
    public IReadOnlyList<(string Name, string Directory, bool BuiltIn)> Folders()
    {
        var folders = new List<(string, string, bool)>();
        var directory = Apps.FullDirectory;
        if (Directory.Exists(directory))
        {
            foreach (var folder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(folder);
                if (ValidName(name) && IsApp(folder))
                {
                    folders.Add((name, folder, false));
                }
            }
        }
        if (!folders.Any(f => f.Item1 == BuiltInName) && Directory.Exists(Apps.FullBuiltInDirectory))
        {
            folders.Add((BuiltInName, Apps.FullBuiltInDirectory, true));
        }
        return folders;
    }

    /// <summary>A folder with an app.lua, or with templates alone (restyling another app's pages).</summary>
    private static bool IsApp(string folder) =>
        File.Exists(Path.Combine(folder, "app.lua")) || Directory.Exists(Path.Combine(folder, "templates"));

    private static bool ValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>Loads the apps again if any file changed; returns whether a new generation is served.</summary>
    public async Task<bool> ReloadAsync(bool force = false)
    {
        await reloading.WaitAsync();
        try
        {
            var folders = Folders();
            var now = string.Join("\n\n", folders.Select(f => f.Name + "\n" + AppSource.FingerprintOf(f.Directory)));
            if (!force && now == fingerprint)
            {
                return false;
            }
            fingerprint = now;
            var apps = new List<AppSource>();
            foreach (var (name, directory, builtIn) in folders)
            {
                if (await ReadCheckedAsync(name, directory, builtIn) is { } app)
                {
                    apps.Add(app);
                }
            }
            var sandbox = await AppGeneration.CreateSandboxAsync(apps, Apps.MemoryLimitBytes);
            var routes = await AppGeneration.ReadRoutesAsync(sandbox);
            var next = new AppGeneration(++generation, apps, new AppRouter(routes), Apps.MemoryLimitBytes);
            next.Seed(sandbox);
            var previous = current;
            current = next;
            previous?.Dispose();
            LogLoaded(logger, next.Number, string.Join(", ", apps.Select(a => a.Name)), routes.Count, sandbox.MemoryUsed / 1024);
            return true;
        }
        finally
        {
            reloading.Release();
        }
    }

    /// <summary>The app as it is on disk if it reads, parses and loads on its own; else its last good version.</summary>
    private async Task<AppSource?> ReadCheckedAsync(string name, string directory, bool builtIn)
    {
        lastGood.TryGetValue(name, out var previous);
        if (previous is not null && previous.Fingerprint == AppSource.FingerprintOf(directory) && previous.Directory == directory)
        {
            return previous;
        }
        try
        {
            var app = await ReadAndLoadAsync(name, directory, builtIn, Apps.MemoryLimitBytes);
            lastGood[name] = app;
            return app;
        }
        catch (Exception ex) when (ex is TemplateException or LuaScriptException or IOException or UnauthorizedAccessException)
        {
            if (previous is not null)
            {
                LogKeptPrevious(logger, name, ex.Message);
            }
            else
            {
                LogSkipped(logger, name, ex.Message);
            }
            return previous;
        }
    }

    /// <summary>An app that reads, parses and loads on its own, in a Lua state made for the check.</summary>
    private static async Task<AppSource> ReadAndLoadAsync(string name, string directory, bool builtIn, long memoryLimit)
    {
        var app = AppSource.Read(name, directory, builtIn);
        using var probe = await AppGeneration.CreateSandboxAsync([app], memoryLimit);
        return app;
    }

    /// <summary>Every error of every app under <paramref name="directory"/> (for <c>mirage apps check</c>).</summary>
    public static async Task<List<string>> CheckAsync(string directory, long memoryLimit)
    {
        var errors = new List<string>();
        var folders = Directory.Exists(directory)
            ? Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal).Where(IsApp).ToList()
            : [];
        if (File.Exists(Path.Combine(directory, "app.lua")))
        {
            folders = [directory];
        }
        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
            try
            {
                await ReadAndLoadAsync(name, folder, builtIn: false, memoryLimit);
            }
            catch (Exception ex) when (ex is TemplateException or LuaScriptException or IOException or UnauthorizedAccessException)
            {
                errors.Add(ex.Message);
            }
        }
        return errors;
    }

    public void Dispose()
    {
        current?.Dispose();
        reloading.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "Lua apps loaded (generation {Generation}): {Apps}; {Routes} routes, {KiB} KiB per Lua state")]
    private static partial void LogLoaded(ILogger logger, int generation, string apps, int routes, long kib);

    [LoggerMessage(2, LogLevel.Error, "Lua app {App} was not loaded: {Error}")]
    private static partial void LogSkipped(ILogger logger, string app, string error);

    [LoggerMessage(3, LogLevel.Error, "Lua app {App} keeps its last good version: {Error}")]
    private static partial void LogKeptPrevious(ILogger logger, string app, string error);
}
