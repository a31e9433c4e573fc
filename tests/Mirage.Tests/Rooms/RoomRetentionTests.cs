using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Rooms;
using Mirage.Tests.Files;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Rooms;

/// <summary>Mirage with a 10-minute retention and 5 messages per room, so expiry and the cap show quickly.</summary>
internal static class ShortRetention
{
    public const int Cap = 5;
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    public static IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Mirage:Rooms:MessageRetention", Retention.ToString()),
        new("Mirage:Rooms:MaxMessagesPerRoom", Cap.ToString()),
    ];
}

public sealed class ShortRetentionSqliteServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => ShortRetention.Settings;
}

public sealed class ShortRetentionPostgresServer : PostgresServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => ShortRetention.Settings;
}

public sealed class RoomRetentionTestsOnSqlite(ShortRetentionSqliteServer server) : RoomRetentionTests(server), IClassFixture<ShortRetentionSqliteServer>;

public sealed class RoomRetentionTestsOnPostgres(ShortRetentionPostgresServer server) : RoomRetentionTests(server), IClassFixture<ShortRetentionPostgresServer>;

/// <summary>
/// Nothing expired or over the cap is ever returned, before or after the sweeper ran; the sweeper deletes exactly
/// that. Time moves with the test clock, never by sleeping.
/// </summary>
public abstract class RoomRetentionTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Expired_messages_are_never_returned()
    {
        var owner = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        await Api.SendAsync(owner, roomId, "old one");
        await Api.SendAsync(owner, roomId, "old two");
        server.Clock.Advance(TimeSpan.FromMinutes(6));
        await Api.SendAsync(owner, roomId, "recent");
        Assert.Equal(["old one", "old two", "recent"], await Api.MessageTextsAsync(owner, roomId));

        server.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(["recent"], await Api.MessageTextsAsync(owner, roomId));
        Assert.Equal(["recent"], await V1TextsAsync(owner, roomId));
        server.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Empty(await Api.MessageTextsAsync(owner, roomId));
        Assert.Empty(await V1TextsAsync(owner, roomId));
    }

    [Fact]
    public async Task Each_room_keeps_only_its_newest_messages()
    {
        var owner = await Api.NewUserAsync();
        var (busy, _) = await Api.NewRoomAsync(owner);
        var (quiet, _) = await Api.NewRoomAsync(owner);
        await Api.SendAsync(owner, quiet, "quiet one");
        for (var i = 1; i <= 8; i++)
        {
            await Api.SendAsync(owner, busy, $"busy {i}");
        }

        Assert.Equal(["busy 4", "busy 5", "busy 6", "busy 7", "busy 8"], await Api.MessageTextsAsync(owner, busy));
        Assert.Equal(["busy 4", "busy 5", "busy 6", "busy 7", "busy 8"], await Api.MessageTextsAsync(owner, busy, "&limit=100"));
        Assert.Equal(["busy 4", "busy 5", "busy 6", "busy 7", "busy 8"], await V1TextsAsync(owner, busy));
        // The cap is per room: a busy room does not push out a quiet room's messages.
        Assert.Equal(["quiet one"], await Api.MessageTextsAsync(owner, quiet));
    }

    [Fact]
    public async Task The_sweeper_deletes_exactly_what_reads_hide()
    {
        var owner = await Api.NewUserAsync();
        var (expiring, _) = await Api.NewRoomAsync(owner);
        var (capped, _) = await Api.NewRoomAsync(owner);
        await Api.SendAsync(owner, expiring, "will expire");
        server.Clock.Advance(ShortRetention.Retention + TimeSpan.FromSeconds(1));
        for (var i = 1; i <= 7; i++)
        {
            await Api.SendAsync(owner, capped, $"capped {i}");
        }

        await server.Factory.Services.GetRequiredService<RoomMessageService>().PurgeAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, await StoredCountAsync(expiring));
        Assert.Equal(ShortRetention.Cap, await StoredCountAsync(capped));
        Assert.Equal(["capped 3", "capped 4", "capped 5", "capped 6", "capped 7"], await Api.MessageTextsAsync(owner, capped));
    }

    [Fact]
    public async Task A_file_outlives_the_message_that_posted_it()
    {
        var owner = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var api = server.StreamingClient();
        var bytes = Encoding.UTF8.GetBytes($"keep me {Guid.NewGuid()}");
        var upload = await (await api.UploadAsync(owner, "/api/upload_file", UploadTestApi.RoomField(roomId), UploadTestApi.FilePart(bytes, "keep.txt"))).ShouldBe(HttpStatusCode.OK);

        server.Clock.Advance(ShortRetention.Retention + TimeSpan.FromMinutes(1));
        await server.Factory.Services.GetRequiredService<RoomMessageService>().PurgeAsync(TestContext.Current.CancellationToken);

        Assert.Empty(await Api.MessageTextsAsync(owner, roomId));
        var served = await api.GetAsync(UploadTestApi.PathOf(upload.Str("file_url")));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(bytes, await served.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    private async Task<List<string>> V1TextsAsync(TestUser user, long roomId)
    {
        var body = await (await Api.GetAsync($"/v1/rooms/room_{roomId}/messages", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        return body.GetProperty("messages").EnumerateArray().Select(m => m.Str("content")).ToList();
    }

    private Task<long> StoredCountAsync(long roomId) =>
        server.Database.ReadAsync(db => db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM room_messages WHERE room_id = @roomId", new { roomId }));
}
