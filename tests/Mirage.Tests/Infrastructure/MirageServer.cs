using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Data;
using Npgsql;

namespace Mirage.Tests.Infrastructure;

/// <summary>
/// One Mirage per test class, on its own database: a fresh SQLite file, or a fresh PostgreSQL database on the
/// server that <c>MIRAGE_TEST_POSTGRES</c> names. Tests on an unavailable provider are reported as skipped.
/// </summary>
public abstract class MirageServer : IAsyncLifetime
{
    private WebApplicationFactory<Program>? factory;

    public TestClock Clock { get; } = new();

    public abstract string Provider { get; }

    /// <summary>Why this server cannot run, or null when it can.</summary>
    public virtual string? Unavailable => null;

    /// <summary>Serve through real Kestrel on a loopback port instead of the in-memory test host.</summary>
    protected virtual bool UseKestrel => false;

    /// <summary>The real server's base address (Kestrel fixtures only).</summary>
    public Uri BaseAddress
    {
        get
        {
            _ = Factory;
            return baseAddress;
        }
    }

    private Uri baseAddress = new("http://localhost");

    /// <summary>Services a fixture adds (e.g. a logger that records what is logged).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Extra configuration a fixture wants (e.g. a low rate limit).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    protected abstract ValueTask<IReadOnlyDictionary<string, string?>> PrepareDatabaseAsync();

    public WebApplicationFactory<Program> Factory
    {
        get
        {
            Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
            return factory ?? throw new InvalidOperationException("server not started");
        }
    }

    private HttpClient? kestrelClient;

    public MirageClient Client => UseKestrel
        ? new(kestrelClient ??= new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) })
        : new(Factory.CreateClient()); // Factory and BaseAddress skip the test when the provider is unavailable

    public IDatabase Database => Factory.Services.GetRequiredService<IDatabase>();

    private IReadOnlyDictionary<string, string?> settings = new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        if (Unavailable is not null)
        {
            return;
        }
        var all = new Dictionary<string, string?>(await PrepareDatabaseAsync())
        {
            ["Mirage:RateLimits:AuthPermitsPerMinute"] = "100000",
            ["Mirage:RateLimits:RegistrationsPerHour"] = "1000000",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            all[key] = value;
        }
        if (UseKestrel)
        {
            all["urls"] = "http://127.0.0.1:0";
        }
        settings = all;
        factory = CreateFactory();
        baseAddress = Start(factory);
    }

    /// <summary>Starts a factory (so migrations run before the first test) and returns its address.</summary>
    public Uri Start(WebApplicationFactory<Program> node)
    {
        if (!UseKestrel)
        {
            _ = node.Server;
            return new Uri("http://localhost");
        }
        node.UseKestrel();
        node.StartServer();
        var addresses = node.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    /// <summary>Another Mirage on the same database (a second node, or a restart), or with some settings of its own.</summary>
    public WebApplicationFactory<Program> CreateFactory(IReadOnlyDictionary<string, string?>? overrides = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings.Concat(overrides ?? new Dictionary<string, string?>()))
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                // Real PBKDF2, fewer rounds: the suite hashes hundreds of passwords.
                services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000);
                ConfigureServices(services);
            });
        });

    public virtual async ValueTask DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>SQLite behind real Kestrel (streams, WebSockets).</summary>
public class KestrelSqliteServer : SqliteServer
{
    protected override bool UseKestrel => true;
}

/// <summary>PostgreSQL behind real Kestrel; <see cref="MirageServer.CreateFactory"/> gives further nodes.</summary>
public class KestrelPostgresServer : PostgresServer
{
    protected override bool UseKestrel => true;
}

public class SqliteServer : MirageServer
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "mirage-tests", Guid.NewGuid().ToString("N"));

    public override string Provider => "sqlite";

    public string DataDirectory => directory;

    protected override ValueTask<IReadOnlyDictionary<string, string?>> PrepareDatabaseAsync() =>
        ValueTask.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["Mirage:Database:Provider"] = "sqlite",
            ["Mirage:DataDirectory"] = directory,
        });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public class PostgresServer : MirageServer
{
    public const string Variable = "MIRAGE_TEST_POSTGRES";

    protected static readonly string? AdminConnectionString = Environment.GetEnvironmentVariable(Variable);
    private readonly string databaseName = "mirage_test_" + Guid.NewGuid().ToString("N")[..16];

    public override string Provider => "postgres";

    public override string? Unavailable =>
        string.IsNullOrWhiteSpace(AdminConnectionString) ? $"{Variable} is not set: PostgreSQL tests skipped" : null;

    protected override async ValueTask<IReadOnlyDictionary<string, string?>> PrepareDatabaseAsync()
    {
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {databaseName}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = ServerConnectionString(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = databaseName }).ToString();
        return new Dictionary<string, string?>
        {
            ["Mirage:Database:Provider"] = "postgres",
            ["Mirage:Database:ConnectionString"] = connectionString,
            ["Mirage:DataDirectory"] = Path.Combine(Path.GetTempPath(), "mirage-tests", databaseName),
        };
    }

    /// <summary>How the server under test reaches the database (a fixture may route it elsewhere).</summary>
    protected virtual NpgsqlConnectionStringBuilder ServerConnectionString(NpgsqlConnectionStringBuilder direct) => direct;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Unavailable is not null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {databaseName} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
