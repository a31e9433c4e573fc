using Fluid;
using Mirage.Apps.Lua;
using static Mirage.Apps.Lua.LuaNative;

namespace Mirage.Apps;

/// <summary>
/// One app read from its folder: <c>app.lua</c>, the Lua modules beside it (<c>lib/util.lua</c> is
/// <c>require "lib.util"</c>), its parsed <c>templates/*.liquid</c> and its <c>static/</c> folder.
/// </summary>
public sealed class AppSource
{
    public required string Name { get; init; }
    public required string Directory { get; init; }
    public required bool BuiltIn { get; init; }
    public required IReadOnlyDictionary<string, string> Modules { get; init; }
    public required IReadOnlyDictionary<string, string> Paths { get; init; }
    public required IReadOnlyDictionary<string, IFluidTemplate> Templates { get; init; }
    public required string Fingerprint { get; init; }

    public string StaticDirectory => Path.Combine(Directory, "static");

    private const long MaxFileBytes = 1024 * 1024;

    /// <summary>A folder's files, sizes and times: what changes when an operator edits the app.</summary>
    public static string FingerprintOf(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return "";
        }
        var files = System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}static{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => { var info = new FileInfo(f); return $"{f}:{info.Length}:{info.LastWriteTimeUtc.Ticks}"; });
        return string.Join('\n', files);
    }

    /// <summary>Reads and parses an app; a missing app.lua, an unreadable file or a template error throws with file:line.</summary>
    public static AppSource Read(string name, string directory, bool builtIn)
    {
        var fingerprint = FingerprintOf(directory);
        var modules = new Dictionary<string, string>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(Path.Combine(directory, "app.lua")))
        {
            if (!System.IO.Directory.Exists(Path.Combine(directory, "templates")))
            {
                throw new TemplateException($"{name}/app.lua: not found");
            }
            // Templates alone: an operator restyling pages of another app.
            modules["app"] = "";
            paths["app"] = $"{name}/app.lua";
        }
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.lua", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith("static/", StringComparison.Ordinal) || relative.StartsWith("templates/", StringComparison.Ordinal))
            {
                continue;
            }
            var module = relative[..^4].Replace('/', '.');
            modules[module] = ReadText(file, $"{name}/{relative}");
            paths[module] = $"{name}/{relative}";
        }
        var templates = new Dictionary<string, IFluidTemplate>(StringComparer.Ordinal);
        var templateDirectory = Path.Combine(directory, "templates");
        if (System.IO.Directory.Exists(templateDirectory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(templateDirectory, "*.liquid", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(templateDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
                var display = $"{name}/templates/{relative}";
                templates[relative[..^7]] = AppTemplates.Parse(display, ReadText(file, display));
            }
        }
        return new AppSource
        {
            Name = name, Directory = directory, BuiltIn = builtIn, Modules = modules, Paths = paths, Templates = templates,
            Fingerprint = fingerprint,
        };
    }

    private static string ReadText(string file, string display)
    {
        if (new FileInfo(file).Length > MaxFileBytes)
        {
            throw new TemplateException($"{display}: larger than 1 MiB");
        }
        return File.ReadAllText(file);
    }

    /// <summary>Runs the app's app.lua in <paramref name="sandbox"/>, registering its routes there.</summary>
    internal async Task LoadIntoAsync(LuaSandbox sandbox)
    {
        await sandbox.RunAsync("load_app", thread =>
        {
            PushString(thread, Name);
            LuaValues.Push(thread, Modules.ToDictionary(m => m.Key, m => (object?)m.Value));
            LuaValues.Push(thread, Paths.ToDictionary(m => m.Key, m => (object?)m.Value));
            return 3;
        }, (_, _) => true, NoHostCalls.Instance, TimeSpan.FromSeconds(5), 1000);
    }

}
