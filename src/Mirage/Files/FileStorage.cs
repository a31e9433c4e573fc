using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Mirage.Common;
using Mirage.Hosting;

namespace Mirage.Files;

/// <summary>
/// Upload bytes on disk under <c>Mirage:DataDirectory/uploads</c>: one file per content hash
/// (<c>uploads/ab/abcdef…</c>), staged first in <c>uploads/tmp</c> and renamed into place only when complete.
/// </summary>
public sealed class FileStorage(IOptions<MirageOptions> options)
{
    private const int BufferSize = 81920;

    public string UploadsDirectory => Path.Combine(options.Value.FullDataDirectory, "uploads");

    public string TempDirectory => Path.Combine(UploadsDirectory, "tmp");

    public long MaxBytes => options.Value.Uploads.MaxBytes;

    public string BlobPath(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("not a lower-case SHA-256 hex digest", nameof(sha256));
        }
        return Path.Combine(UploadsDirectory, sha256[..2], sha256);
    }

    /// <summary>
    /// Streams <paramref name="source"/> to a temp file, hashing and sniffing as it goes, never holding more than a
    /// buffer in memory. More than <see cref="MaxBytes"/> is a 413, and the temp file is gone.
    /// </summary>
    public async Task<StagedFile> StageAsync(Stream source, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateDirectory(TempDirectory);
        var staged = new StagedFile(Path.Combine(TempDirectory, $"{Guid.NewGuid():N}.part"));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new byte[FileSniffer.HeadLength];
            var headLength = 0;
            long size = 0;
            await using (var output = new FileStream(staged.TempPath, PrivateFiles.NewFile(FileMode.CreateNew, FileAccess.Write, FileOptions.Asynchronous, bufferSize: 0)))
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > MaxBytes)
                    {
                        throw new MirageException(StatusCodes.Status413PayloadTooLarge, $"file too large: the limit is {MaxBytes} bytes");
                    }
                    hash.AppendData(buffer, 0, read);
                    var copy = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, copy).CopyTo(head.AsSpan(headLength));
                    headLength += copy;
                    await WriteToDiskAsync(output, buffer.AsMemory(0, read), cancellationToken);
                }
                // On disk before it gets a name, so a crash never leaves a truncated file under a content hash.
                await WriteToDiskAsync(output, ReadOnlyMemory<byte>.Empty, cancellationToken, flush: true);
            }
            staged.Complete(Convert.ToHexStringLower(hash.GetHashAndReset()), size, FileSniffer.Detect(head.AsSpan(0, headLength), size <= headLength));
            return staged;
        }
        catch
        {
            staged.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Disk trouble (a full disk) is the server's problem, not a malformed request: it must not look like the
    /// IOException a broken-off request body raises.
    /// </summary>
    private static async Task WriteToDiskAsync(FileStream output, ReadOnlyMemory<byte> data, CancellationToken cancellationToken, bool flush = false)
    {
        try
        {
            await output.WriteAsync(data, cancellationToken);
            if (flush)
            {
                output.Flush(flushToDisk: true);
            }
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException("writing an upload to disk failed", ex);
        }
    }

    /// <summary>Renames a staged file to its content-addressed place, replacing an identical copy if there is one.</summary>
    public void Store(StagedFile staged)
    {
        var path = BlobPath(staged.Sha256);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(staged.TempPath, path, overwrite: true);
        staged.MarkStored();
    }

    /// <summary>Opens a stored blob for reading, or null when it is not there.</summary>
    public FileStream? OpenRead(string sha256)
    {
        try
        {
            return new FileStream(BlobPath(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Delete(string sha256)
    {
        try
        {
            File.Delete(BlobPath(sha256));
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>Removes temp files that no upload is still writing (left by a crash); returns how many.</summary>
    public int DeleteStaleTempFiles(DateTimeOffset olderThan)
    {
        if (!Directory.Exists(TempDirectory))
        {
            return 0;
        }
        var deleted = 0;
        foreach (var file in new DirectoryInfo(TempDirectory).EnumerateFiles("*.part"))
        {
            if (file.LastWriteTimeUtc < olderThan.UtcDateTime)
            {
                try
                {
                    file.Delete();
                    deleted++;
                }
                catch (IOException)
                {
                }
            }
        }
        return deleted;
    }
}
