using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Mirage.Common;
using Mirage.Data;
using Mirage.Hosting;
using Mirage.Realtime;

namespace Mirage.Messaging;

/// <summary>
/// Presence: when a user's first stream opens, everyone who shares a chat with them hears "online"; when the
/// last one closes and stays closed for the grace period, they hear "offline". Never stored. Each node speaks
/// for the streams it holds.
/// </summary>
public sealed partial class PresenceAnnouncer(
    StreamHub hub, IDatabase database, EventStream events, TimeProvider clock, IOptions<MirageOptions> options,
    ILogger<PresenceAnnouncer> logger) : IHostedService
{
    public const string Online = "online";
    public const string Offline = "offline";

    private readonly ConcurrentDictionary<long, byte> announcedOnline = new();

    public sealed record Presence(string UserId, string Status);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        hub.UserOnline += OnOnline;
        hub.UserOffline += OnOffline;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        hub.UserOnline -= OnOnline;
        hub.UserOffline -= OnOffline;
        return Task.CompletedTask;
    }

    private void OnOnline(long userId)
    {
        // Back within the grace period: contacts never heard "offline", so they need no second "online".
        if (announcedOnline.TryAdd(userId, 0))
        {
            _ = AnnounceAsync(userId, Online);
        }
    }

    private void OnOffline(long userId) => _ = AnnounceOfflineAsync(userId);

    private async Task AnnounceOfflineAsync(long userId)
    {
        var grace = options.Value.Realtime.PresenceGrace;
        if (grace > TimeSpan.Zero)
        {
            await Task.Delay(grace, clock);
        }
        if (!hub.IsConnected(userId) && announcedOnline.TryRemove(userId, out _))
        {
            await AnnounceAsync(userId, Offline);
        }
    }

    private async Task AnnounceAsync(long userId, string status)
    {
        try
        {
            var contacts = await database.ReadAsync(db => ChatStore.ContactsOfAsync(db, userId));
            if (contacts.Count > 0)
            {
                await events.PublishEphemeralAsync(contacts, StreamEventTypes.Presence, new Presence(PublicId.Format(PublicId.User, userId), status));
            }
        }
        catch (Exception ex)
        {
            LogFailed(ex, userId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing the presence of user {UserId} failed")]
    private partial void LogFailed(Exception exception, long userId);
}
