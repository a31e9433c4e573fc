using System.Net;
using Mirage.Tests.Files;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Rooms;

namespace Mirage.Tests.Hosting;

public sealed class PublicUrlServer : KestrelSqliteServer
{
    public const string PublicUrl = "https://mirage.example/community";

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Mirage:PublicUrl", PublicUrl + "/")];
}

/// <summary>Stored and absolute URLs come from Mirage:PublicUrl, or the listen address; a request's Host header never reaches them.</summary>
public sealed class PublicUrlTests(PublicUrlServer server) : IClassFixture<PublicUrlServer>
{
    [Fact]
    public async Task Uploads_and_default_avatars_use_the_public_url_whatever_the_host_header_says()
    {
        var (body, avatar) = await UploadWithForeignHostAsync(server);
        Assert.StartsWith(PublicUrlServer.PublicUrl + "/files/", body, StringComparison.Ordinal);
        Assert.Equal(PublicUrlServer.PublicUrl + "/static/default-avatar.svg", avatar);
    }

    /// <summary>Uploads a file and reads a profile with <c>Host: evil.example</c>; returns the file URL and the default avatar URL.</summary>
    internal static async Task<(string FileUrl, string Avatar)> UploadWithForeignHostAsync(MirageServer server)
    {
        var api = server.Client;
        var user = await api.NewUserAsync();
        var (roomId, _) = await api.NewRoomAsync(user);
        var form = new MultipartFormDataContent
        {
            { new StringContent(roomId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "room_id" },
            { new ByteArrayContent("hello"u8.ToArray()), "file", "hello.txt" },
        };
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/upload_file") { Content = form };
        upload.Headers.Host = "evil.example";
        upload.Headers.TryAddWithoutValidation("Authorization", user.Token);
        upload.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        upload.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "gopher");
        var uploaded = await (await api.Http.SendAsync(upload)).ShouldBe(HttpStatusCode.OK);
        var stored = Assert.Single(await api.MessageTextsAsync(user, roomId));
        Assert.Equal(uploaded.Str("file_url"), stored);

        using var profile = new HttpRequestMessage(HttpMethod.Get, $"/api/user/{user.Username}");
        profile.Headers.Host = "evil.example";
        var body = await (await api.Http.SendAsync(profile)).ShouldBe(HttpStatusCode.OK);
        return (stored, body.Str("avatar_url"));
    }
}

/// <summary>Without Mirage:PublicUrl, the address the server really listens on.</summary>
public sealed class ListenAddressUrlTests(KestrelSqliteServer server) : IClassFixture<KestrelSqliteServer>
{
    [Fact]
    public async Task Without_a_public_url_the_listen_address_is_the_base()
    {
        var (file, avatar) = await PublicUrlTests.UploadWithForeignHostAsync(server);
        var listen = server.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.StartsWith(listen + "/files/", file, StringComparison.Ordinal);
        Assert.Equal(listen + "/static/default-avatar.svg", avatar);
    }
}
