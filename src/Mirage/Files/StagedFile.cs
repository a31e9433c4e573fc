namespace Mirage.Files;

/// <summary>
/// An upload streamed to a temp file and hashed, not yet stored. Disposing deletes the temp file unless it was
/// moved into place, so no failure path (a refusal, a 413, a client that hangs up) leaves a partial file.
/// </summary>
public sealed class StagedFile(string tempPath) : IDisposable
{
    private bool stored;

    public string TempPath => tempPath;
    public string Sha256 { get; private set; } = "";
    public long Size { get; private set; }
    public FileKind Kind { get; private set; } = FileSniffer.Binary;

    internal void Complete(string sha256, long size, FileKind kind)
    {
        Sha256 = sha256;
        Size = size;
        Kind = kind;
    }

    internal void MarkStored() => stored = true;

    public void Dispose()
    {
        if (stored)
        {
            return;
        }
        try
        {
            File.Delete(tempPath);
        }
        catch (IOException)
        {
            // Left for the janitor, which removes stale temp files; never mask the error that got us here.
        }
    }
}
