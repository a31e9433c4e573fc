using System.Net;
using Mirage.Tests.Files;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Rooms;

namespace Mirage.Tests.Data;

/// <summary>The database, its WAL and the uploads are created for the server's user only: 0600 files, 0700 directories.</summary>
public sealed class FilePermissionTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task Database_wal_and_uploads_are_private_to_the_server_user()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix permissions");
            return;
        }
        var api = server.Client;
        var user = await api.NewUserAsync();
        var (roomId, _) = await api.NewRoomAsync(user);
        var upload = await api.UploadAsync(user, "/api/upload_file", UploadTestApi.RoomField(roomId), UploadTestApi.FilePart("hello"u8.ToArray(), "hello.txt"));
        await upload.ShouldBe(HttpStatusCode.OK);

        var data = server.DataDirectory;
        var uploads = Path.Combine(data, "uploads");
        var paths = new List<string> { data, Path.Combine(data, "mirage.db"), Path.Combine(data, "mirage.db-wal"), uploads };
        paths.AddRange(Directory.EnumerateFileSystemEntries(uploads, "*", SearchOption.AllDirectories));
        Assert.True(paths.Count > 5, string.Join(", ", paths));
        foreach (var path in paths)
        {
            var mode = File.GetUnixFileMode(path);
            Assert.True((mode & GroupOrOther) == 0, $"{path} is {Convert.ToString((int)mode, 8)}");
        }
    }
}
