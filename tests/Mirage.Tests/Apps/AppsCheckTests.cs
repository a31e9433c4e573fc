using System.Diagnostics;

namespace Mirage.Tests.Apps;

/// <summary><c>mirage apps check DIR</c> as an operator runs it: the real process, its exit code and stderr.</summary>
public sealed class AppsCheckTests : IDisposable
{
    private readonly AppFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static async Task<(int Code, string Out, string Err)> CheckAsync(string directory)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[] { typeof(Program).Assembly.Location, "apps", "check", directory })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task A_directory_with_a_syntax_error_and_a_template_error_exits_1_naming_file_and_line()
    {
        folder.Write("broken/app.lua", "local x = = 1\n");
        folder.Write("fails/app.lua", "local app = framework()\nerror('boom at load')\n");
        folder.Write("good/app.lua", "local app = framework()\napp:get('/', function() return 'hi' end)\n");
        folder.Write("tpl/app.lua", "local app = framework()\n");
        folder.Write("tpl/templates/a.liquid", "<p>one</p>\n<p>two</p>\n{% if %}three{% endif %}\n");

        var (code, _, err) = await CheckAsync(folder.Apps);
        Assert.True(code == 1, $"exit {code}: {err}");
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("broken/app.lua:1: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("fails/app.lua:2: boom at load", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("tpl/templates/a.liquid:3: ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("good/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_good_directory_exits_0()
    {
        folder.Write("good/app.lua", "local app = framework()\nlocal util = require 'lib.util'\napp:get('/', function(ctx) return ctx:render('home') end)\n");
        folder.Write("good/lib/util.lua", "return {}\n");
        folder.Write("good/templates/home.liquid", "{% layout 'base' %}<p>{{ csrf_field }}</p>");
        folder.Write("good/templates/base.liquid", "<main>{{ content }}</main>");

        var (code, _, err) = await CheckAsync(folder.Apps);
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.Equal("", err.Trim());
    }
}
