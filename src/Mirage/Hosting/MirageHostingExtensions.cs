using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mirage.Accounts;
using Mirage.Apps;
using Mirage.Common;
using Mirage.Data;
using Mirage.Feed;
using Mirage.Files;
using Mirage.Messaging;
using Mirage.Notifications;
using Mirage.Posts;
using Mirage.Realtime;
using Mirage.Rooms;
using Mirage.Social;

namespace Mirage.Hosting;

/// <summary>Everything Program.cs needs: <c>builder.AddMirage()</c> and <c>app.MapMirage()</c>.</summary>
public static class MirageHostingExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplicationBuilder AddMirage(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        // "Server: Kestrel" tells a scanner which exploits to try and tells clients nothing.
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            ConnectionLimits.Configure(context, kestrel);
        });
        ServerWrappers.Register(builder.Host, builder.Environment);
        builder.Services.AddOptions<MirageOptions>()
            .BindConfiguration(MirageOptions.Section)
            .Validate(o => o.Database.IsPostgres || string.Equals(o.Database.Provider, "sqlite", StringComparison.OrdinalIgnoreCase),
                "Mirage:Database:Provider must be 'sqlite' or 'postgres'")
            .Validate(o => !o.Database.IsPostgres || !string.IsNullOrWhiteSpace(o.Database.ConnectionString),
                "Mirage:Database:ConnectionString is required when the provider is postgres")
            .Validate(o => o.Auth.TokenLifetime > TimeSpan.Zero, "Mirage:Auth:TokenLifetime must be positive")
            .Validate(o => o.Rooms.MessageRetention > TimeSpan.Zero && o.Rooms.MaxMessagesPerRoom > 0, "Mirage:Rooms settings must be positive")
            .Validate(o => o.Uploads.MaxBytes > 0, "Mirage:Uploads:MaxBytes must be positive")
            .Validate(o => o.Realtime.HeartbeatInterval > TimeSpan.Zero, "Mirage:Realtime:HeartbeatInterval must be positive")
            .Validate(o => o.Apps.TimeLimit > TimeSpan.Zero && o.Apps.MemoryLimitBytes >= 1024 * 1024 && o.Apps.MaxApiCalls >= 0,
                "Mirage:Apps: TimeLimit must be positive, MemoryLimitBytes at least 1048576, MaxApiCalls not negative")
            .Validate(o => string.IsNullOrEmpty(o.PublicUrl) || (Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "Mirage:PublicUrl must be an absolute http or https URL")
            .Validate(o => o.ForwardedHeaders.KnownProxies.All(p => System.Net.IPAddress.TryParse(p, out _)),
                "Mirage:ForwardedHeaders:KnownProxies must be IP addresses")
            .ValidateOnStart();

        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddHttpContextAccessor();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMirageDatabase();
        builder.Services.AddMirageRateLimits();
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<MirageOptions>>((cors, mirage) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins(mirage.Value.Cors.AllowedOrigins)
                .WithHeaders("Authorization", "Content-Type", "Last-Event-ID")
                .AllowAnyMethod()));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddSingleton<PublicUrls>();
        builder.Services.AddSingleton<Idempotency.IdempotencyService>();
        builder.Services.AddHostedService<Idempotency.IdempotencySweeper>();

        // Features, one line each.
        builder.Services.AddAccounts();
        builder.Services.AddSocial();
        builder.Services.AddPosts();
        builder.Services.AddFeed();
        builder.Services.AddRealtime();
        builder.Services.AddFiles();
        builder.Services.AddRooms();
        builder.Services.AddMessaging();
        builder.Services.AddNotifications();
        builder.Services.AddApps();
        return builder;
    }

    /// <summary>
    /// snake_case names, numbers also accepted as strings (as the original clients send them). No global converters:
    /// one would switch off the generated fast path of <see cref="MirageJsonContext"/>; lenient booleans are set on
    /// the request properties that take them.
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        json.TypeInfoResolverChain.Insert(0, MirageJsonContext.Default);
    }

    public static WebApplication MapMirage(this WebApplication app)
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        app.UseMirageForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<RequestCharset>();
        app.UseStatusCodePages(context => WriteStatusAsync(context.HttpContext));
        app.UseStaticFiles();
        app.UseRouting();
        app.UseCors();
        app.UseApps();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseWebSockets();

        app.MapHealthChecks("/healthz");
        var api = app.MapGroup("/api").WithJsonBodies();
        var v1 = app.MapGroup("/v1").WithJsonBodies();

        // Features, one line per surface each.
        api.MapAccountsApi();
        v1.MapUsersV1();
        api.MapSocialApi();
        api.MapPostsApi(); v1.MapPostsV1();
        api.MapFeedApi(); v1.MapFeedV1();
        v1.MapStreamV1();
        api.MapRoomsApi(); v1.MapRoomsV1();
        app.MapFiles();
        api.MapInboxApi(); v1.MapMessagesV1();
        v1.MapNotificationsV1();
        app.MapAppAssets();
        return app;
    }

    /// <summary>Bodies for statuses the framework sets without one (unknown route, wrong method or media type).</summary>
    private static Task WriteStatusAsync(HttpContext context)
    {
        var (status, message) = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => (404, "not found"),
            StatusCodes.Status405MethodNotAllowed => (405, "method not allowed"),
            StatusCodes.Status415UnsupportedMediaType => (400, "request body must be JSON (Content-Type: application/json)"),
            var other => (other, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(other).ToLowerInvariant()),
        };
        return ErrorResponses.WriteAsync(context, status, message);
    }
}
