using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;
using Mirage.Files;

namespace Mirage.Rooms;

/// <summary>A file uploaded into a room, its URL, and the message that posted the URL.</summary>
public sealed record RoomUpload(UploadRow File, string Url, RoomMessageRow Message);

/// <summary>
/// <c>upload_file</c>: a multipart body with a <c>file</c> part and a <c>room_id</c> field, read part by part and
/// never buffered whole. The room is checked as early as it is known: a room id in the query string (or the /v1
/// path) before a byte of the body is read; a <c>room_id</c> field as soon as its part arrives, so a non-member's
/// file that follows it is never read, and one that came before it is discarded.
/// </summary>
public sealed class RoomUploadService(
    IDatabase database, RoomMessageService messages, FileStorage storage, FileService files, TimeProvider clock)
{
    public const string NotAMember = "You are not a member of this room";

    /// <summary>What a body may carry besides the file: multipart framing, part headers and the room_id field.</summary>
    public const long MultipartOverhead = 64 * 1024;

    private const int MaxFieldBytes = 64;

    public async Task<RoomUpload> UploadAsync(CurrentUser user, HttpRequest request, long? knownRoomId)
    {
        if (knownRoomId is not null)
        {
            await RequireMemberAsync(user, knownRoomId.Value);
        }
        var boundary = Boundary(request.ContentType) ?? throw NoFile();
        var form = new UploadForm { RoomId = knownRoomId };
        try
        {
            try
            {
                await ReadFormAsync(user, new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 8 * 1024 }, form, request.HttpContext.RequestAborted);
            }
            catch (Exception ex) when (ex is InvalidDataException || (ex is IOException && ex is not BadHttpRequestException))
            {
                // The body broke off or is not multipart as declared (disk errors are not IOExceptions here).
                throw MirageException.BadRequest("malformed multipart body");
            }
            var file = form.File ?? throw NoFile();
            return await StoreStagedAsync(user, form.RoomId ?? throw NoRoomId(), file, form.Name);
        }
        finally
        {
            form.File?.Dispose();
        }
    }

    private sealed class UploadForm
    {
        public long? RoomId { get; set; }
        public StagedFile? File { get; set; }
        public string Name { get; set; } = "";
    }

    /// <summary>Reads the parts in order: the room as soon as its field arrives, the file streamed to a temp file.</summary>
    private async Task ReadFormAsync(CurrentUser user, MultipartReader reader, UploadForm form, CancellationToken aborted)
    {
        while (await reader.ReadNextSectionAsync(aborted) is { } section)
        {
            var (field, fileName) = Describe(section);
            if (field == "file" && form.File is null && !string.IsNullOrEmpty(fileName))
            {
                form.Name = FileNames.Sanitize(fileName);
                form.File = await storage.StageAsync(section.Body, aborted);
            }
            else if (field == "room_id")
            {
                var id = RoomRules.RoomId(await ReadFieldAsync(section.Body, aborted), NoRoomIdMessage);
                if (form.RoomId is null)
                {
                    await RequireMemberAsync(user, id);
                    form.RoomId = id;
                }
                else if (form.RoomId != id)
                {
                    throw MirageException.BadRequest("room_id does not match the room in the address");
                }
            }
            else
            {
                // An empty file input (filename="") or a field we do not use.
                await section.Body.CopyToAsync(Stream.Null, aborted);
            }
        }
    }

    public async Task<RoomUpload> StoreStagedAsync(CurrentUser user, long roomId, StagedFile file, string name)
    {
        var publicId = FileService.NewPublicId();
        var url = files.Url(publicId, name);
        // The message first: it re-checks membership, and the file is renamed into place only as the very last step.
        var (upload, message) = await database.WriteAsync(async db =>
        {
            var now = clock.NowMs();
            var message = await messages.AppendAsync(db, roomId, user.Id, url, now, NotAMember);
            var upload = await files.AttachAsync(db, file, publicId, name, roomId, user.Id, now);
            return (upload, message);
        });
        return new RoomUpload(upload, url, message);
    }

    /// <summary>A part's form field name and file name (RFC 5987 <c>filename*</c> preferred), unquoted.</summary>
    private static (string? Field, string? FileName) Describe(MultipartSection section)
    {
        var disposition = section.GetContentDispositionHeader();
        if (disposition is null)
        {
            return (null, null);
        }
        var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName;
        return (HeaderUtilities.RemoveQuotes(disposition.Name).Value, HeaderUtilities.RemoveQuotes(fileName).Value);
    }

    private Task<RoomRow> RequireMemberAsync(CurrentUser user, long roomId) =>
        database.ReadAsync(db => RoomService.RequireMemberAsync(db, roomId, user.Id, NotAMember));

    private static string? Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type)
            || !string.Equals(type.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        return string.IsNullOrEmpty(boundary) || boundary.Length > 70 ? null : boundary;
    }

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }
        if (length > MaxFieldBytes)
        {
            throw MirageException.BadRequest("invalid room id");
        }
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static MirageException NoFile() => MirageException.BadRequest("No file provided");

    private const string NoRoomIdMessage = "No room ID provided";

    private static MirageException NoRoomId() => MirageException.BadRequest(NoRoomIdMessage);
}
