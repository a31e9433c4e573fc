using Mirage.Hosting;

namespace Mirage.Files;

/// <summary>
/// Hourly clean-up of what a crash can leave behind: released blobs nobody refers to (normally deleted right
/// after their room) and temp files of uploads that never finished.
/// </summary>
public sealed class UploadJanitor(FileService files, FileStorage storage, TimeProvider clock, ILogger<UploadJanitor> logger)
    : PeriodicBackgroundService(clock, logger)
{
    // An upload in progress keeps writing its temp file; one untouched this long is abandoned.
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(6);

    private readonly TimeProvider clock = clock;

    protected override TimeSpan Period => TimeSpan.FromHours(1);

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await files.PurgeReleasedAsync(cancellationToken);
        storage.DeleteStaleTempFiles(clock.GetUtcNow() - StaleTempAge);
    }
}
