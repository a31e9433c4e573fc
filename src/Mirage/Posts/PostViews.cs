using Mirage.Accounts;
using Mirage.Common;

namespace Mirage.Posts;

/// <summary>Renders rows in each surface's shape; the one place that decides how a post looks.</summary>
public sealed class PostViews(PublicUrls urls)
{
    public ApiPost ToApi(PostRow row) => new(
        row.Id, row.Username, row.Content, Time.ToIso(row.CreatedAt), row.Upvotes, row.Downvotes, row.ReplyCount,
        urls.Avatar(row.AvatarUrl));

    public ApiReply ToApi(ReplyRow row) =>
        new(row.Id, row.Username, row.Content, Time.ToIso(row.CreatedAt), urls.Avatar(row.AvatarUrl));

    // Hashtags are derived from the content by the same rule that fills the index, so rendering needs no query.
    public static PostV1 ToV1(PostRow row) => new(
        PublicId.Format(PostIds.Post, row.Id),
        Author(row.UserId, row.Username, row.FirstName, row.LastName, row.AvatarUrl),
        row.Content, PostText.Hashtags(row.Content), Time.ToIso(row.CreatedAt), row.Upvotes, row.Downvotes, row.ReplyCount);

    public static ReplyV1 ToV1(ReplyRow row) => new(
        PublicId.Format(PostIds.Reply, row.Id), PublicId.Format(PostIds.Post, row.PostId),
        Author(row.UserId, row.Username, row.FirstName, row.LastName, row.AvatarUrl), row.Content, Time.ToIso(row.CreatedAt));

    public static PostPageV1 ToV1Page(IReadOnlyList<PostRow> rows, int limit) =>
        new(rows.Take(limit).Select(ToV1).ToList(), rows.Count > limit ? Cursor.Encode(rows[limit - 1].Id) : null);

    private static UserProfile Author(long id, string username, string? firstName, string? lastName, string? avatarUrl) =>
        new(PublicId.Format(PublicId.User, id), username, firstName, lastName, avatarUrl);
}
