using System.Buffers.Text;
using System.Security.Cryptography;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Files;

/// <summary>
/// Stored uploads: attaching a staged file inside a feature's write, the absolute URL it is served at, and
/// deleting bytes nobody refers to any more.
/// </summary>
public sealed class FileService(IDatabase database, FileStorage storage, PublicUrls urls)
{
    private const int PurgeBatch = 200;

    /// <summary>
    /// Inside the caller's write: records the upload, and renames the bytes into place at the very end of the
    /// write, after everything else in it (real-time events included) has been written. A write that fails or is
    /// retried before then leaves the staged file where it is, and nothing under a content hash.
    /// </summary>
    public async Task<UploadRow> AttachAsync(DbSession db, StagedFile file, string publicId, string name, long roomId, long userId, long now)
    {
        var upload = await FileStore.InsertAsync(db, file, publicId, name, roomId, userId, now);
        db.BeforeCommit(() =>
        {
            storage.Store(file);
            return Task.CompletedTask;
        });
        return upload;
    }

    /// <summary>128 random bits: the URL of a private room's file is a secret nobody can guess.</summary>
    public static string NewPublicId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The absolute URL an upload is served at (known before the upload is stored, so it can be posted with it).</summary>
    public string Url(string publicId, string name) => urls.Absolute($"/files/{publicId}/{Uri.EscapeDataString(name)}");

    public Task<UploadRow?> FindAsync(string publicId) => database.ReadAsync(db => FileStore.FindAsync(db, publicId));

    /// <summary>
    /// Deletes the released blobs among <paramref name="hashes"/> that nothing refers to, bytes included, in bounded
    /// batches. Each file is removed inside its write, after its row: an upload of the same bytes waits for that
    /// commit and then puts its own copy in place.
    /// </summary>
    public async Task<int> PurgeAsync(IReadOnlyList<string> hashes, CancellationToken cancellationToken = default)
    {
        var total = 0;
        foreach (var batch in hashes.Chunk(PurgeBatch))
        {
            total += await database.WriteAsync(async db =>
            {
                var deleted = await FileStore.DeleteUnreferencedAsync(db, batch);
                foreach (var sha256 in deleted)
                {
                    storage.Delete(sha256);
                }
                return deleted.Count;
            }, cancellationToken);
        }
        return total;
    }

    /// <summary>One pass over every released blob, in bounded batches (the janitor's safety net after a crash).</summary>
    public async Task<int> PurgeReleasedAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        var after = "";
        while (true)
        {
            var batch = await database.ReadAsync(db => FileStore.ReleasedAsync(db, after, PurgeBatch), cancellationToken);
            if (batch.Count == 0)
            {
                return total;
            }
            total += await PurgeAsync(batch, cancellationToken);
            after = batch[^1];
        }
    }
}
