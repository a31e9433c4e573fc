using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mirage.Bench;

/// <summary>What one load run measured.</summary>
public sealed record LoadResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors);

/// <summary>
/// Drives wrk (C, epoll: the cheapest load generator on a 2-core box) with a generated Lua script that
/// rotates users, paths and bodies. Non-2xx answers and socket errors count as errors.
/// </summary>
public static partial class Wrk
{
    public sealed record Request(string Method, string Path, string? Token, string? Body);

    /// <summary>Runs wrk over <paramref name="requests"/> (cycled per thread) for <paramref name="duration"/>.</summary>
    /// <param name="ratePerSecond">When set, each connection paces itself so the total is about this rate.</param>
    public static async Task<LoadResult> RunAsync(string baseUrl, IReadOnlyList<Request> requests, int connections,
        TimeSpan duration, double? ratePerSecond = null, int threads = 2)
    {
        var script = Path.Combine(Path.GetTempPath(), $"mirage-bench-{Guid.NewGuid():N}.lua");
        threads = Math.Min(threads, connections);
        await File.WriteAllTextAsync(script, Script(requests, connections, ratePerSecond, threads));
        try
        {
            var psi = new ProcessStartInfo("wrk")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[]
            {
                "-t", threads.ToString(CultureInfo.InvariantCulture),
                "-c", connections.ToString(CultureInfo.InvariantCulture),
                "-d", $"{(int)duration.TotalSeconds}s", "--timeout", "5s", "--latency", "-s", script, baseUrl,
            })
            {
                psi.ArgumentList.Add(arg);
            }
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start wrk");
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk failed: {errors}{output}");
            }
            return Parse(output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    internal static LoadResult Parse(string output)
    {
        double Number(Regex pattern) => pattern.Match(output) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        double Latency(string percentile)
        {
            var m = Regex.Match(output, $@"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!m.Success)
            {
                return double.NaN;
            }
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }
        var requests = (long)Number(RequestsLine());
        var non2xx = (long)Number(Non2xxLine());
        var socket = SocketErrorsLine().Match(output);
        var socketErrors = socket.Success ? Enumerable.Range(1, 4).Sum(i => long.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture)) : 0;
        return new LoadResult(Number(RateLine()), Latency("50"), Latency("99"), requests, non2xx + socketErrors);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();

    private static string Lua(string? value) => value is null ? "nil" : "\"" + value
        .Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Each wrk thread walks its own slice of the request list (so per-user state such as vote direction never
    /// races between threads). <c>{n}</c> in a body becomes a per-thread counter, making each body unique.
    /// </summary>
    private static string Script(IReadOnlyList<Request> requests, int connections, double? ratePerSecond, int threads)
    {
        var lua = new StringBuilder();
        lua.AppendLine("local reqs = {");
        foreach (var r in requests)
        {
            lua.AppendLine(CultureInfo.InvariantCulture, $"  {{{Lua(r.Method)}, {Lua(r.Path)}, {Lua(r.Token)}, {Lua(r.Body)}}},");
        }
        lua.AppendLine("}");
        var delayMs = ratePerSecond is > 0 ? connections * 1000.0 / ratePerSecond.Value : 0;
        lua.AppendLine(CultureInfo.InvariantCulture, $"local delay_ms = {delayMs:0.###}");
        lua.AppendLine(CultureInfo.InvariantCulture, $"local nthreads = {threads}");
        lua.AppendLine("""
            local created = 0
            function setup(thread)
              thread:set("tid", created)
              created = created + 1
            end
            local mine, i, counter = nil, 0, 0
            function request()
              if mine == nil then
                mine = {}
                for idx, r in ipairs(reqs) do
                  if (idx - 1) % nthreads == tid or #reqs < nthreads then table.insert(mine, r) end
                end
              end
              i = (i % #mine) + 1
              counter = counter + 1
              local r = mine[i]
              local headers = {}
              if r[3] and string.sub(r[3], 1, 7) == "cookie:" then headers["Cookie"] = "mirage_session=" .. string.sub(r[3], 8)
              elseif r[3] then headers["Authorization"] = r[3] end
              local body = r[4]
              if body then
                headers["Content-Type"] = "application/json"
                body = string.gsub(body, "{n}", tostring(tid) .. "-" .. tostring(counter))
              end
              return wrk.format(r[1], r[2], headers, body)
            end
            """);
        if (delayMs > 0)
        {
            lua.AppendLine("function delay() return delay_ms end");
        }
        return lua.ToString();
    }
}
