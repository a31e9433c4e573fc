using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Rooms;
using static Mirage.Tests.Files.UploadTestApi;

namespace Mirage.Tests.Files;

public sealed class FileServingTestsOnSqlite(SqliteServer server) : FileServingTests(server), IClassFixture<SqliteServer>;

public sealed class FileServingTestsOnPostgres(PostgresServer server) : FileServingTests(server), IClassFixture<PostgresServer>;

/// <summary>/files/{id}/{name}: sniffed types, safe headers, ranges; and every refusal of upload_file.</summary>
public abstract class FileServingTests(MirageServer server)
{
    private MirageClient Api => server.StreamingClient();

    public static TheoryData<string, string, string, string> Kinds => new()
    {
        // hex of the first bytes, file name, served Content-Type, disposition
        { "89504E470D0A1A0A0000000D49484452", "pic.png", "image/png", "inline" },
        { "FFD8FFE000104A464946", "photo.jpg", "image/jpeg", "inline" },
        { "474946383961", "anim.gif", "image/gif", "inline" },
        { "255044462D312E370A", "paper.pdf", "application/pdf", "inline" },
        { "504B030414000000", "archive.zip", "application/zip", "attachment" },
        { "494433040000", "song.mp3", "audio/mpeg", "inline" },
        { "000000186674797069736F6D", "clip.mp4", "video/mp4", "inline" },
        { "1A45DFA39F4286810142F7810142F2", "clip.webm", "video/webm", "inline" },
        // HTML and SVG are text to Mirage: shown as text, never rendered on its origin.
        { Hex("<html><script>alert(1)</script></html>"), "page.html", "text/plain; charset=utf-8", "inline" },
        { Hex("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"), "image.svg", "text/plain; charset=utf-8", "inline" },
        { "7F454C46020101000000", "program", "application/octet-stream", "attachment" },
        // A PNG name does not make bytes a PNG.
        { "00FF00FF00FF", "fake.png", "application/octet-stream", "attachment" },
    };

    private static string Hex(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Files_are_served_with_the_sniffed_type_and_safe_headers(string hex, string name, string contentType, string disposition)
    {
        var (user, roomId) = await UserInRoomAsync();
        var bytes = Convert.FromHexString(hex);

        var url = await UploadAsync(user, roomId, bytes, name);
        var response = await Api.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var contentDisposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal(disposition, contentDisposition.DispositionType);
        Assert.Equal(name, contentDisposition.FileNameStar);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        var csp = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? values.Single() : null;
        Assert.Equal(contentType == "application/pdf" ? null : "sandbox", csp);
    }

    [Fact]
    public async Task Range_requests_get_the_asked_bytes()
    {
        var (user, roomId) = await UserInRoomAsync();
        var url = await UploadAsync(user, roomId, "0123456789abcdef"u8.ToArray(), "digits.txt");

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(4, 9);
        var response = await Api.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("456789", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("bytes 4-9/16", response.Content.Headers.ContentRange!.ToString());

        using var head = new HttpRequestMessage(HttpMethod.Head, url);
        var headResponse = await Api.Http.SendAsync(head, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
        Assert.Equal(16, headResponse.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Unknown_ids_and_wrong_names_are_404()
    {
        var (user, roomId) = await UserInRoomAsync();
        var url = await UploadAsync(user, roomId, "secret"u8.ToArray(), "notes.txt");

        await (await Api.GetAsync(url.Replace("notes.txt", "other.txt", StringComparison.Ordinal))).ShouldFail(HttpStatusCode.NotFound, "file not found");
        await (await Api.GetAsync("/files/AAAAAAAAAAAAAAAAAAAAAA/notes.txt")).ShouldFail(HttpStatusCode.NotFound, "file not found");
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\me\\report.txt", "report.txt")]
    [InlineData("résumé 2024.txt", "résumé 2024.txt")]
    [InlineData("..", "file")]
    public async Task File_names_are_reduced_to_a_safe_last_segment(string sent, string kept)
    {
        var (user, roomId) = await UserInRoomAsync();

        var url = await UploadAsync(user, roomId, "text"u8.ToArray(), sent);

        Assert.EndsWith("/" + Uri.EscapeDataString(kept), url, StringComparison.Ordinal);
        var response = await Api.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(kept, response.Content.Headers.ContentDisposition!.FileNameStar);
    }

    [Fact]
    public async Task The_same_bytes_in_two_rooms_are_stored_once_and_outlive_one_room()
    {
        var owner = await Api.NewUserAsync();
        var (first, _) = await Api.NewRoomAsync(owner);
        var (second, _) = await Api.NewRoomAsync(owner);
        var bytes = Encoding.UTF8.GetBytes($"shared {Guid.NewGuid()}");
        var before = server.FilesOnDisk();

        var firstUrl = await UploadAsync(owner, first, bytes, "a.txt");
        var secondUrl = await UploadAsync(owner, second, bytes, "b.txt");

        Assert.Single(server.FilesOnDisk().Except(before));
        await (await Api.PostAsync("/api/delete_room", new { room_id = first }, owner.Token)).ShouldBe(HttpStatusCode.OK);
        await (await Api.GetAsync(firstUrl)).ShouldFail(HttpStatusCode.NotFound, "file not found");
        Assert.Equal(bytes, await (await Api.Http.GetAsync(secondUrl, TestContext.Current.CancellationToken)).Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        await (await Api.PostAsync("/api/delete_room", new { room_id = second }, owner.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(before, server.FilesOnDisk());
    }

    [Fact]
    public async Task Upload_refusals()
    {
        var (user, roomId) = await UserInRoomAsync();
        var before = server.FilesOnDisk();
        var file = FilePart("data"u8.ToArray(), "data.txt");

        await (await Api.UploadAsync(user, "/api/upload_file", RoomField(roomId))).ShouldFail(HttpStatusCode.BadRequest, "No file provided");
        await (await Api.UploadAsync(user, "/api/upload_file", FilePart("data"u8.ToArray(), "data.txt"))).ShouldFail(HttpStatusCode.BadRequest, "No room ID provided");
        // A browser's empty file input: a file part without a name.
        await (await Api.UploadAsync(user, "/api/upload_file", RoomField(roomId), FilePart([], ""))).ShouldFail(HttpStatusCode.BadRequest, "No file provided");
        await (await Api.PostAsync("/api/upload_file", new { room_id = roomId }, user.Token)).ShouldFail(HttpStatusCode.BadRequest, "No file provided");
        await (await Api.UploadAsync(user, "/api/upload_file", ("room_id", new StringContent("abc"), null), file)).ShouldFail(HttpStatusCode.BadRequest, "invalid room id");
        await (await Api.UploadAsync(user, "/api/upload_file", RoomField(long.MaxValue), FilePart("x"u8.ToArray()))).ShouldFail(HttpStatusCode.NotFound, "room not found");
        await (await Api.UploadAsync(user, $"/api/upload_file?room_id={roomId + 1000000}", RoomField(roomId), FilePart("x"u8.ToArray()))).ShouldFail(HttpStatusCode.NotFound, "room not found");
        await (await Api.UploadAsync(user, $"/api/upload_file?room_id={roomId}", RoomField(roomId + 1), FilePart("x"u8.ToArray()))).ShouldFail(HttpStatusCode.BadRequest, "room_id does not match the room in the address");
        await (await Api.SendAsync(HttpMethod.Post, "/api/upload_file", new MultipartFormDataContent { { new StringContent(roomId.ToString()), "room_id" } }, null, false)).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        var truncated = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nunfinished");
        truncated.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        await (await Api.SendAsync(HttpMethod.Post, $"/api/upload_file?room_id={roomId}", truncated, user.Token, false)).ShouldFail(HttpStatusCode.BadRequest, "malformed multipart body");

        Assert.Equal(before, server.FilesOnDisk());
        Assert.Empty(await Api.MessageTextsAsync(user, roomId));
    }

    private async Task<(TestUser User, long RoomId)> UserInRoomAsync()
    {
        var user = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(user);
        return (user, roomId);
    }

    private async Task<string> UploadAsync(TestUser user, long roomId, byte[] bytes, string name)
    {
        var body = await (await Api.UploadAsync(user, "/api/upload_file", RoomField(roomId), FilePart(bytes, name))).ShouldBe(HttpStatusCode.OK);
        return PathOf(body.Str("file_url"));
    }
}
