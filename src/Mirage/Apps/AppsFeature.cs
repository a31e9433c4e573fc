using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;
using Mirage.Apps.Api;
using Mirage.Hosting;

namespace Mirage.Apps;

public static class AppsFeature
{
    public static IServiceCollection AddApps(this IServiceCollection services)
    {
        services.AddSingleton<AppCatalog>();
        services.AddSingleton<AppEndpoint>();
        services.AddSingleton<BrowserSessions>();
        services.AddSingleton<AppApi>();
        services.AddSingleton<MessagesApi>();
        services.AddSingleton<UsersApi>();
        services.AddSingleton<PostsApi>();
        services.AddSingleton<RoomsApi>();
        services.AddSingleton<NotificationsApi>();
        services.AddSingleton<AuthAttemptLimiter>();
        services.AddHostedService<AppReloader>();
        return services;
    }

    /// <summary>Requests no platform endpoint matched go to the apps (before the JSON body limit: pages take uploads).</summary>
    public static WebApplication UseApps(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<MirageOptions>>().Value;
            if (context.GetEndpoint() is not null || !options.Apps.Enabled)
            {
                await next(context);
                return;
            }
            var limit = options.Uploads.MaxBytes + 64 * 1024;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            {
                body.MaxRequestBodySize = limit;
            }
            var catalog = context.RequestServices.GetRequiredService<AppCatalog>();
            if (catalog.Current is null)
            {
                await catalog.ReloadAsync();
            }
            await context.RequestServices.GetRequiredService<AppEndpoint>().HandleAsync(context);
        });
        return app;
    }

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary><c>/assets/APP/...</c>: an app's <c>static/</c> folder.</summary>
    public static IEndpointRouteBuilder MapAppAssets(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/assets/{app}/{**path}", ["GET", "HEAD"], (string app, string? path, AppCatalog catalog, HttpContext http) =>
        {
            if (catalog.Current?.ByName.GetValueOrDefault(app) is not { } source || string.IsNullOrEmpty(path))
            {
                return Results.NotFound(new { error = "not found" });
            }
            var root = Path.GetFullPath(source.StaticDirectory) + Path.DirectorySeparatorChar;
            var file = Path.GetFullPath(Path.Combine(root, path));
            if (!file.StartsWith(root, StringComparison.Ordinal) || !File.Exists(file))
            {
                return Results.NotFound(new { error = "not found" });
            }
            var type = ContentTypes.TryGetContentType(file, out var known) ? known : "application/octet-stream";
            http.Response.Headers.CacheControl = "public, max-age=300";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            var info = new FileInfo(file);
            return Results.File(file, type, lastModified: info.LastWriteTimeUtc,
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\""));
        }).ExcludeFromDescription();
        return app;
    }
}

/// <summary>Loads the apps at start and picks up edits (polled every second).</summary>
public sealed partial class AppReloader(AppCatalog catalog, IOptions<MirageOptions> options, ILogger<AppReloader> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Apps.Enabled)
        {
            await TryReloadAsync();
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Apps.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await TryReloadAsync();
        }
    }

    private async Task TryReloadAsync()
    {
        try
        {
            await catalog.ReloadAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReloadFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(20, LogLevel.Error, "Lua apps could not be reloaded: {Error}")]
    private static partial void LogReloadFailed(ILogger logger, string error);
}
