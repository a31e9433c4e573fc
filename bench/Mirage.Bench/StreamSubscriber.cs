using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace Mirage.Bench;

/// <summary>Arrival delays of fan-out messages, from every subscriber: a fixed array, filled without locks.</summary>
public sealed class LatencyRecorder(long capacity)
{
    private readonly long[] ticks = new long[capacity];
    private long count;

    public long Count => Math.Min(Interlocked.Read(ref count), ticks.LongLength);

    /// <summary>Forgets what was recorded (after the warm-up).</summary>
    public void Reset() => Interlocked.Exchange(ref count, 0);

    public void Add(long elapsedTicks)
    {
        var slot = Interlocked.Increment(ref count) - 1;
        if (slot < ticks.LongLength)
        {
            ticks[slot] = elapsedTicks;
        }
    }

    /// <summary>The <paramref name="percentile"/> (0-100) in milliseconds, NaN without samples.</summary>
    public static double PercentileMs(long[] sorted, double percentile) => sorted.Length == 0 ? double.NaN
        : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1)] * 1000.0 / Stopwatch.Frequency;

    public long[] Sorted()
    {
        var copy = ticks.AsSpan(0, (int)Count).ToArray();
        Array.Sort(copy);
        return copy;
    }
}

/// <summary>
/// One user's WebSocket on /v1/stream/ws: waits for <c>ready</c>, counts <c>reconnect</c> control events, and
/// records the delay of every <c>room.message</c> whose text carries a send timestamp (<see cref="Stamp"/>).
/// </summary>
public sealed class StreamSubscriber(BenchUser user, LatencyRecorder recorder) : IDisposable
{
    private const string Prefix = "fanout ";

    private readonly ClientWebSocket socket = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int reconnects;

    public BenchUser User => user;
    public Task Ready => ready.Task;
    public int Reconnects => Volatile.Read(ref reconnects);

    /// <summary>A message text that says when it was sent (this process's Stopwatch: senders and subscribers share it).</summary>
    public static string Stamp(int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{sequence} {Stopwatch.GetTimestamp()}");

    public async Task ConnectAsync(Uri server, HttpMessageInvoker invoker, CancellationToken cancellationToken)
    {
        var scheme = server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        var uri = new Uri($"{scheme}://{server.Authority}/v1/stream/ws?access_token={Uri.EscapeDataString(user.Token)}");
        await socket.ConnectAsync(uri, invoker, cancellationToken);
        _ = ReceiveAsync();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(1024), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                buffer.Advance(result.Count);
                if (result.EndOfMessage)
                {
                    Handle(buffer.WrittenMemory, Stopwatch.GetTimestamp());
                    buffer.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed by the server or by Dispose: nothing more arrives.
        }
        ready.TrySetException(new InvalidOperationException($"{user.Username}: the stream closed before it was ready"));
    }

    private static ReadOnlySpan<byte> RoomMessage => "\"type\":\"room.message\""u8;
    private static ReadOnlySpan<byte> Stamped => "\"content\":\"fanout "u8;

    /// <summary>
    /// The bench shares the machine with the server, so room messages (thousands a second) are read without a JSON
    /// parser: the server writes the stamped text verbatim (digits and spaces need no escaping).
    /// </summary>
    private void Handle(ReadOnlyMemory<byte> json, long arrived)
    {
        var span = json.Span;
        if (span.IndexOf(RoomMessage) >= 0)
        {
            var at = span.IndexOf(Stamped);
            if (at >= 0)
            {
                var text = span[(at + Stamped.Length)..];
                text = text[..text.IndexOf((byte)'"')];
                recorder.Add(arrived - long.Parse(text[(text.LastIndexOf((byte)' ') + 1)..], CultureInfo.InvariantCulture));
            }
            return;
        }
        using var document = JsonDocument.Parse(json);
        switch (document.RootElement.GetProperty("type").GetString())
        {
            case "ready":
                ready.TrySetResult();
                break;
            case "reconnect":
                Interlocked.Increment(ref reconnects);
                break;
        }
    }

    public void Dispose()
    {
        socket.Abort();
        socket.Dispose();
    }
}
