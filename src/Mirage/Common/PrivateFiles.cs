namespace Mirage.Common;

/// <summary>
/// The database, its WAL and the uploads are the community's private data: created readable by the server's own
/// user only (0600 files, 0700 directories), not world-readable through the default umask. SQLite gives its WAL
/// and shared-memory files the database file's mode, so creating that file first covers them too.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory and any missing parents as 0700 (existing ones are left as the operator set them).</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        // The mode given to Directory.CreateDirectory applies to the last directory only: create each missing one.
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent))
        {
            CreateDirectory(parent);
        }
        Directory.CreateDirectory(full, DirectoryMode);
    }

    /// <summary>Creates an empty 0600 file if there is none yet.</summary>
    public static void CreateFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }
        try
        {
            using var _ = new FileStream(path, NewFile(System.IO.FileMode.CreateNew, FileAccess.Write));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by another process (a second node or a tool): theirs stands.
        }
    }

    /// <summary>Options for a new file that only the server's user can read.</summary>
    public static FileStreamOptions NewFile(System.IO.FileMode mode, FileAccess access, FileOptions options = FileOptions.None, int bufferSize = 4096)
    {
        var result = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None, Options = options, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            result.UnixCreateMode = FileMode;
        }
        return result;
    }
}
