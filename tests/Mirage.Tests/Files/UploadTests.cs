using System.Net;
using System.Security.Cryptography;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Rooms;
using static Mirage.Tests.Files.UploadTestApi;

namespace Mirage.Tests.Files;

public sealed class UploadTestsOnSqlite(SqliteServer server) : UploadTests(server), IClassFixture<SqliteServer>;

public sealed class UploadTestsOnPostgres(PostgresServer server) : UploadTests(server), IClassFixture<PostgresServer>;

/// <summary>upload_file: limits, membership before the body, nothing partial on disk, and the URL posted in the room.</summary>
public abstract class UploadTests(MirageServer server)
{
    private const int MaxBytes = 24 * 1024 * 1024;
    private MirageClient Api => server.StreamingClient();

    [Fact]
    public async Task An_upload_is_stored_served_and_its_url_posted_in_the_room()
    {
        var owner = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var bytes = "hello, room\n"u8.ToArray();

        var response = await Api.UploadAsync(owner, "/api/upload_file", RoomField(roomId), FilePart(bytes, "hello.txt"));

        var body = await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("File uploaded successfully", body.Str("message"));
        var url = body.Str("file_url");
        Assert.Matches("^http://127\\.0\\.0\\.1:8080/files/[A-Za-z0-9_-]{22}/hello\\.txt$", url); // the default listen address (PublicUrlTests: configured)
        var messages = await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}", owner.Token)).ShouldBe(HttpStatusCode.OK);
        var posted = Assert.Single(messages.GetProperty("messages").EnumerateArray());
        Assert.Equal(url, posted.Str("message"));
        Assert.Equal(owner.Username, posted.Str("username"));

        var served = await Api.GetAsync(PathOf(url));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(bytes, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/plain; charset=utf-8", served.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Exactly_24_MiB_round_trips_and_a_deleted_rooms_file_goes()
    {
        var owner = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var bytes = RandomNumberGenerator.GetBytes(MaxBytes);

        var body = await (await Api.UploadAsync(owner, "/api/upload_file", RoomField(roomId), FilePart(bytes, "big.bin"))).ShouldBe(HttpStatusCode.OK);

        var url = PathOf(body.Str("file_url"));
        var served = await Api.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await served.Content.ReadAsByteArrayAsync()));
        // Its own blob: other tests' files may share the two-letter directory.
        var blob = server.Storage().BlobPath(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.True(File.Exists(blob));

        await (await Api.PostAsync("/api/delete_room", new { room_id = roomId }, owner.Token)).ShouldBe(HttpStatusCode.OK);
        await (await Api.GetAsync(url)).ShouldFail(HttpStatusCode.NotFound, "file not found");
        Assert.False(File.Exists(blob));
    }

    [Fact]
    public async Task One_byte_over_24_MiB_gets_413_and_leaves_nothing_behind()
    {
        var owner = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var before = server.FilesOnDisk();

        var response = await Api.UploadAsync(owner, "/api/upload_file", RoomField(roomId), FilePart(new byte[MaxBytes + 1], "big.bin"));

        await response.ShouldFail(HttpStatusCode.RequestEntityTooLarge, $"file too large: the limit is {MaxBytes} bytes");
        Assert.Equal(before, server.FilesOnDisk());
        Assert.Empty(await Api.MessageTextsAsync(owner, roomId));
    }

    [Fact]
    public async Task A_body_far_over_the_limit_is_refused_before_it_is_read()
    {
        var owner = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var before = server.FilesOnDisk();

        var response = await Api.UploadAsync(owner, "/api/upload_file", RoomField(roomId), FilePart(new byte[MaxBytes + 1024 * 1024], "huge.bin"));

        await response.ShouldFail(HttpStatusCode.RequestEntityTooLarge, "request body too large");
        Assert.Equal(before, server.FilesOnDisk());
    }

    [Fact]
    public async Task A_non_member_with_room_id_in_the_query_is_refused_before_the_body_is_read()
    {
        var owner = await Api.NewUserAsync();
        var stranger = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var before = server.FilesOnDisk();
        var body = new GatedStream(MaxBytes, openBytes: 0);

        var response = await AnswerWhileGatedAsync(body, Api.UploadAsync(stranger, $"/api/upload_file?room_id={roomId}", FilePart(body, "sneaky.bin")));

        await response.ShouldFail(HttpStatusCode.Forbidden, "You are not a member of this room");
        Assert.Equal(before, server.FilesOnDisk());
        Assert.Empty(await Api.MessageTextsAsync(owner, roomId));
    }

    [Fact]
    public async Task A_non_member_whose_room_id_field_comes_first_is_refused_before_the_file_is_read()
    {
        var owner = await Api.NewUserAsync();
        var stranger = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var before = server.FilesOnDisk();
        var body = new GatedStream(MaxBytes, openBytes: 0);

        var response = await AnswerWhileGatedAsync(body, Api.UploadAsync(stranger, "/api/upload_file", RoomField(roomId), FilePart(body, "sneaky.bin")));

        await response.ShouldFail(HttpStatusCode.Forbidden, "You are not a member of this room");
        Assert.Equal(before, server.FilesOnDisk());
    }

    [Fact]
    public async Task A_non_member_whose_file_comes_first_is_refused_and_the_file_discarded()
    {
        var owner = await Api.NewUserAsync();
        var stranger = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var before = server.FilesOnDisk();

        var response = await Api.UploadAsync(stranger, "/api/upload_file", FilePart(new byte[1024 * 1024], "first.bin"), RoomField(roomId));

        await response.ShouldFail(HttpStatusCode.Forbidden, "You are not a member of this room");
        Assert.Equal(before, server.FilesOnDisk());
        Assert.Empty(await Api.MessageTextsAsync(owner, roomId));
    }

    /// <summary>
    /// Sends a request whose file bytes are held back and returns the response, which must arrive while they are: a
    /// server that read the file would never answer (the guard turns that hang into a failure).
    /// </summary>
    private static async Task<HttpResponseMessage> AnswerWhileGatedAsync(GatedStream file, Task<HttpResponseMessage> send)
    {
        var first = await Task.WhenAny(send, Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        var bytesGiven = file.BytesRead;
        file.Release();
        Assert.True(first == send, "the server waited for the file instead of answering");
        Assert.Equal(0, bytesGiven);
        return await send;
    }
}
