using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Files;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Files;

/// <summary>Multipart uploads as browsers and curl send them, and a look at what is on disk.</summary>
internal static class UploadTestApi
{
    /// <summary>Posts a multipart body with the given parts, in order, to <paramref name="path"/>.</summary>
    public static Task<HttpResponseMessage> UploadAsync(this MirageClient api, TestUser user, string path, params (string Name, HttpContent Content, string? FileName)[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content, fileName) in parts)
        {
            if (fileName is null)
            {
                form.Add(content, name);
            }
            else if (fileName.Length == 0)
            {
                // What a browser sends for a file input left empty (HttpClient refuses to write it itself).
                content.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{name}\"", FileName = "\"\"" };
                form.Add(content);
            }
            else
            {
                form.Add(content, name, fileName);
            }
        }
        return api.SendAsync(HttpMethod.Post, path, form, user.Token, bearer: false);
    }

    public static (string, HttpContent, string?) RoomField(long roomId) => ("room_id", new StringContent(roomId.ToString()), null);

    public static (string, HttpContent, string?) FilePart(byte[] bytes, string fileName = "data.bin") =>
        ("file", new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, fileName);

    public static (string, HttpContent, string?) FilePart(Stream stream, string fileName = "data.bin") =>
        ("file", new StreamContent(stream, 64 * 1024), fileName);

    /// <summary>
    /// A client straight on the test server. The factory's default client buffers request bodies (to replay them on
    /// redirects), which would hide whether the server streams or reads a body at all.
    /// </summary>
    public static MirageClient StreamingClient(this MirageServer server) => new(server.Factory.Server.CreateClient());

    public static FileStorage Storage(this MirageServer server) => server.Factory.Services.GetRequiredService<FileStorage>();

    /// <summary>Every file under the uploads directory (blobs and temp files), relative paths.</summary>
    public static HashSet<string> FilesOnDisk(this MirageServer server)
    {
        var root = server.Storage().UploadsDirectory;
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).ToHashSet()
            : [];
    }

    /// <summary>The path part of an absolute file URL, to fetch it through the test server.</summary>
    public static string PathOf(string fileUrl) => new Uri(fileUrl).PathAndQuery;
}

/// <summary>
/// A request body of <paramref name="length"/> bytes that gives out only its first <paramref name="openBytes"/> until
/// <see cref="Release"/> is called: a server that answers while it waits has not read the body.
/// </summary>
internal sealed class GatedStream(long length, long openBytes) : Stream
{
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long position;

    public long BytesRead => Interlocked.Read(ref position);

    public void Release() => gate.TrySetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position >= openBytes)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        var limit = position < openBytes ? openBytes : length;
        var count = (int)Math.Min(buffer.Length, limit - position);
        buffer.Span[..count].Fill((byte)'x');
        Interlocked.Add(ref position, count);
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
