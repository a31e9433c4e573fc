using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Hosting;

/// <summary>Real Kestrel with the framework's request log turned on, and every log line kept for the test.</summary>
public sealed class RequestLoggingServer : KestrelSqliteServer
{
    public ConcurrentQueue<string> Lines { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information")];

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<ILoggerProvider>(new RecordingProvider(Lines));

    private sealed class RecordingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class Recorder(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                lines.Enqueue($"{category}: {string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"))}");
            }
        }
    }
}

/// <summary>With request logging on, a stream's <c>?access_token=</c> never reaches a log, and the stream still authenticates with it.</summary>
public sealed class RequestLogRedactionTests(RequestLoggingServer server) : IClassFixture<RequestLoggingServer>
{
    [Fact]
    public async Task Query_tokens_are_redacted_in_request_logs()
    {
        var user = await server.Client.NewUserAsync();
        await using (var sse = await SseClient.ConnectAsync(server.BaseAddress, user.Token))
        {
            await sse.NextOfTypeAsync("ready");
        }
        await using (var ws = await WsClient.ConnectAsync(server.BaseAddress, user.Token))
        {
            await ws.NextOfTypeAsync("ready");
        }
        await Task.Delay(200); // the "request finished" lines are written as the streams close

        var lines = server.Lines.ToList();
        Assert.True(lines.Any(l => l.Contains("/v1/stream?access_token=REDACTED", StringComparison.Ordinal)), string.Join("\n", lines.Where(l => l.Contains("stream", StringComparison.Ordinal))));
        Assert.DoesNotContain(lines, l => l.Contains(user.Token, StringComparison.OrdinalIgnoreCase));
    }
}
