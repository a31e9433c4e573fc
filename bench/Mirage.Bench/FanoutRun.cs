using System.Diagnostics;

namespace Mirage.Bench;

/// <summary>
/// Scenario 5: every signed-in user of the tokens file joins one public room and opens a WebSocket stream; the
/// server's memory before and after the idle connections gives KiB per connection. Then the first user sends
/// room messages at <c>--rate</c> per second for <c>--seconds</c>, each stamped with its send time, and every
/// subscriber records when it arrives: delivery latency over all deliveries, and how many arrived.
/// </summary>
internal static class FanoutRun
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(15);
    private const int WarmUpSeconds = 5;

    public static async Task RunAsync(BenchOptions options, BenchApi api, BenchResults results)
    {
        var users = DataSet.ReadTokens(options.RequireTokens());
        Console.WriteLine($"Fan-out: {users.Count} subscribers, {options.FanoutRate}/s for {options.FanoutSeconds}s");
        var roomId = await DataSet.CreateRoomWithMembersAsync(api, users, $"fanout {RunId.New()}", parallelism: 32);
        Console.WriteLine($"  room {roomId}: {users.Count} members");
        var rssBefore = await ServerProcess.SettledRssKibAsync(options.ServerPid, Settle);

        var messages = (int)Math.Round(options.FanoutRate * options.FanoutSeconds);
        var recorder = new LatencyRecorder((long)messages * users.Count);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var subscribers = users.Select(u => new StreamSubscriber(u, recorder)).ToList();
        try
        {
            var connected = await ConnectAllAsync(subscribers, new Uri(options.Url), invoker);
            var rssAfter = await ServerProcess.SettledRssKibAsync(options.ServerPid, Settle);
            double? perConnection = rssBefore is { } b && rssAfter is { } a && connected > 0 ? Math.Round((double)(a - b) / connected, 1) : null;
            Console.WriteLine($"  {connected} streams ready; server memory {Mib(rssBefore)} → {Mib(rssAfter)} MiB, {perConnection?.ToString("0.0") ?? "n/a"} KiB each");

            await WarmUpAsync(api, users[0], roomId, options.FanoutRate, recorder, connected);
            var serverCpuBefore = ServerProcess.CpuSeconds(options.ServerPid);
            var benchCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var (sent, sendErrors, sendTimes) = await SendAsync(api, users[0], roomId, messages, options.FanoutRate);
            var expected = (long)sent * connected;
            var drainUntil = Stopwatch.GetTimestamp() + (long)(Drain.TotalSeconds * Stopwatch.Frequency);
            while (recorder.Count < expected && Stopwatch.GetTimestamp() < drainUntil)
            {
                await Task.Delay(100);
            }
            // CPU per delivery, server and load generator: on a shared machine this bounds how fast a burst can go out.
            var deliveredCount = Math.Max(1, recorder.Count);
            double? serverCpuUs = ServerProcess.CpuSeconds(options.ServerPid) - serverCpuBefore is { } serverCpu
                ? Math.Round(serverCpu * 1e6 / deliveredCount, 1) : null;
            var benchCpuUs = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - benchCpuBefore).TotalMicroseconds / deliveredCount, 1);
            var sorted = recorder.Sorted();
            var result = new FanoutResult(users.Count, connected, rssBefore, rssAfter, perConnection, options.FanoutRate, sent, sendErrors,
                expected, sorted.LongLength, Math.Round(LatencyRecorder.PercentileMs(sorted, 50), 2),
                Math.Round(LatencyRecorder.PercentileMs(sorted, 99), 2), Math.Round(LatencyRecorder.PercentileMs(sorted, 100), 2),
                subscribers.Sum(s => s.Reconnects), Math.Round(LatencyRecorder.PercentileMs(sendTimes, 50), 2),
                Math.Round(LatencyRecorder.PercentileMs(sendTimes, 99), 2), serverCpuUs, benchCpuUs);
            (results.Fanout ??= []).RemoveAll(r => r.Subscribers == users.Count);
            results.Fanout.Add(result);
            results.Fanout.Sort((x, y) => x.Subscribers.CompareTo(y.Subscribers));
            ResultTables.PrintFanout([result]);
        }
        finally
        {
            subscribers.ForEach(s => s.Dispose());
        }
    }

    /// <summary>
    /// Five seconds of the same load, not measured: the server's JIT compiles the delivery path to its optimised tier
    /// during the first bursts (measured at 8 % of the server's CPU in a cold ten-second run, and still at 10 % in the
    /// ten seconds after a two-second warm-up).
    /// </summary>
    private static async Task WarmUpAsync(BenchApi api, BenchUser sender, long roomId, double rate, LatencyRecorder recorder, int connected)
    {
        var (sent, _, _) = await SendAsync(api, sender, roomId, (int)Math.Ceiling(rate * WarmUpSeconds), rate);
        var until = Stopwatch.GetTimestamp() + (long)(Drain.TotalSeconds * Stopwatch.Frequency);
        while (recorder.Count < (long)sent * connected && Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(50);
        }
        recorder.Reset();
    }

    /// <summary>Opens every stream (64 handshakes at a time) and waits for its <c>ready</c>; returns how many made it.</summary>
    private static async Task<int> ConnectAllAsync(List<StreamSubscriber> subscribers, Uri server, HttpMessageInvoker invoker)
    {
        var connected = 0;
        var failures = new List<string>();
        await Parallel.ForEachAsync(subscribers, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (subscriber, _) =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await subscriber.ConnectAsync(server, invoker, timeout.Token);
                await subscriber.Ready.WaitAsync(timeout.Token);
                Interlocked.Increment(ref connected);
            }
            catch (Exception ex)
            {
                lock (failures)
                {
                    failures.Add($"{subscriber.User.Username}: {ex.Message}");
                }
            }
        });
        foreach (var failure in failures.Take(5))
        {
            Console.WriteLine($"  could not connect {failure}");
        }
        return connected;
    }

    /// <summary>
    /// Sends on a fixed schedule (not one after the other), so a slow answer does not lower the rate. Also returns how
    /// long each accepted send took to answer (sorted ticks): the part of the delivery latency spent before the commit.
    /// </summary>
    private static async Task<(int Sent, int Errors, long[] SendTicks)> SendAsync(BenchApi api, BenchUser sender, long roomId, int count, double rate)
    {
        var start = Stopwatch.GetTimestamp();
        var sends = new List<Task<long?>>(count);
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i / rate * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            sends.Add(SendOneAsync(api, sender, roomId, i));
        }
        var outcomes = await Task.WhenAll(sends);
        var answered = outcomes.OfType<long>().Order().ToArray();
        return (answered.Length, count - answered.Length, answered);
    }

    private static async Task<long?> SendOneAsync(BenchApi api, BenchUser sender, long roomId, int sequence)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            await api.SendRoomMessageAsync(sender, roomId, StreamSubscriber.Stamp(sequence));
            return Stopwatch.GetTimestamp() - started;
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            Console.WriteLine($"  send {sequence} failed: {ex.Message}");
            return null;
        }
    }

    private static string Mib(long? kib) => kib is { } k ? (k / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}
