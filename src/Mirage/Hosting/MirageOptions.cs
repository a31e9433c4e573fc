namespace Mirage.Hosting;

/// <summary>The <c>Mirage</c> configuration section. Names and defaults are the operator contract in DESIGN.md.</summary>
public sealed class MirageOptions
{
    public const string Section = "Mirage";

    public string DataDirectory { get; set; } = "./data";
    public DatabaseOptions Database { get; set; } = new();
    public AuthOptions Auth { get; set; } = new();
    public RoomOptions Rooms { get; set; } = new();
    public UploadOptions Uploads { get; set; } = new();
    public CorsOptions Cors { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
    public RealtimeOptions Realtime { get; set; } = new();
    public Apps.AppsOptions Apps { get; set; } = new();

    /// <summary>
    /// The site's public base URL (<c>https://mirage.example</c>, a path allowed). Stored and absolute URLs are built
    /// from it, never from the request's Host header; unset, the first address the server listens on.
    /// </summary>
    public string? PublicUrl { get; set; }

    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>Largest JSON request body; anything larger is answered with 413 before it is read.</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}

public sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed; nobody else's are.</summary>
    public string[] KnownProxies { get; set; } = [];
}

public sealed class DatabaseOptions
{
    public string Provider { get; set; } = "sqlite";
    public string? ConnectionString { get; set; }

    /// <summary>LISTEN needs a session: behind a transaction pooler, point this straight at PostgreSQL.</summary>
    public string? ListenConnectionString { get; set; }

    // Bounded waits (PostgreSQL): a stuck or frozen node must not hold locks, or make others wait, for long.
    // Zero leaves PostgreSQL's own setting alone.
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan IdleInTransactionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle time before TCP keepalive probes, on both ends (PostgreSQL's default waits two hours).</summary>
    public TimeSpan TcpKeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase)
        || string.Equals(Provider, "postgresql", StringComparison.OrdinalIgnoreCase);
}

public sealed class AuthOptions
{
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A session this young may change password or email without repeating the current password.</summary>
    public TimeSpan RecentLoginWindow { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class RoomOptions
{
    public TimeSpan MessageRetention { get; set; } = TimeSpan.FromHours(15);
    public int MaxMessagesPerRoom { get; set; } = 100;
}

public sealed class UploadOptions
{
    public long MaxBytes { get; set; } = 24 * 1024 * 1024;
}

public sealed class CorsOptions
{
    public string[] AllowedOrigins { get; set; } = [];
}

public sealed class RateLimitOptions
{
    /// <summary>Login attempts per client address per minute, and (a bucket of its own) registrations per address.</summary>
    public int AuthPermitsPerMinute { get; set; } = 20;

    /// <summary>Registrations per hour from all addresses together: a botnet cannot sign up without bound.</summary>
    public int RegistrationsPerHour { get; set; } = 300;

    /// <summary>Wrong passwords for one account within <see cref="LoginFailureWindow"/>, from any address, before it is locked to its known addresses.</summary>
    public int LoginFailuresPerAccount { get; set; } = 10;

    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class RealtimeOptions
{
    /// <summary>How long missed events are kept for a client that reconnects.</summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A client that missed more than this many events is told to resync instead.</summary>
    public int ResumeMaxEvents { get; set; } = 1000;

    /// <summary>Events queued for one connection before it counts as a slow consumer and is disconnected.</summary>
    public int QueueCapacity { get; set; } = 512;

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(20);

    public int MaxConnectionsPerUser { get; set; } = 16;

    /// <summary>How long a user must stay disconnected before their contacts hear "offline" (reconnects are quiet).</summary>
    public TimeSpan PresenceGrace { get; set; } = TimeSpan.FromSeconds(5);
}
