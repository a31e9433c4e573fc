using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mirage.Hosting;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Hosting;

/// <summary>A failed accept (out of descriptors) no longer stops the server accepting for good.</summary>
public sealed class RetryingListenerTests(KestrelSqliteServer server) : IClassFixture<KestrelSqliteServer>
{
    private sealed class FlakyListener(int failures) : IConnectionListener
    {
        private int left = failures;

        public int Calls { get; private set; }

        public EndPoint EndPoint => new IPEndPoint(IPAddress.Loopback, 1);

        public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            Calls++;
            return left-- > 0
                ? throw new SocketException((int)SocketError.TooManyOpenSockets)
                : ValueTask.FromResult<ConnectionContext?>(new DefaultConnectionContext("accepted"));
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Accept_failures_are_retried_until_a_connection_comes()
    {
        var flaky = new FlakyListener(failures: 4);
        var listener = new RetryingListener(flaky, NullLogger.Instance);
        var accepted = await listener.AcceptAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("accepted", accepted!.ConnectionId);
        Assert.Equal(5, flaky.Calls);
    }

    [Fact]
    public async Task Unbinding_ends_the_retries()
    {
        var listener = new RetryingListener(new FlakyListener(failures: int.MaxValue), NullLogger.Instance);
        using var unbinding = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.Null(await listener.AcceptAsync(unbinding.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task The_real_server_listens_through_the_retrying_listener()
    {
        var factories = server.Factory.Services.GetServices<IConnectionListenerFactory>().ToList();
        Assert.NotEmpty(factories);
        Assert.All(factories, f => Assert.IsType<RetryingListenerFactory>(f));
        Assert.IsType<QueryTokenRedactingServer>(server.Factory.Services.GetRequiredService<IServer>());
        await (await server.Client.GetAsync("/api/ping")).ShouldBe(HttpStatusCode.OK);
    }
}
