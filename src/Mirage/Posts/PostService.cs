using Mirage.Notifications;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Posts;

/// <summary>The rules for posts: creating them (with their hashtags and mentions) and reading them.</summary>
public sealed class PostService(IDatabase database, NotificationService notifications, TimeProvider clock)
{
    public const int DefaultUserPosts = 100;
    public const int MaxUserPosts = 500;
    public const int DefaultPageV1 = 20;
    public const int MaxPageV1 = 100;

    /// <summary>Creates a post; the author's post count, the hashtag index and mention notifications move with it.</summary>
    public async Task<PostRow> CreateAsync(CurrentUser author, string? content)
    {
        var text = PostText.Validate(content, "nothing to post", $"post content cannot exceed {PostText.MaxCharacters} characters");
        var tags = PostText.Hashtags(text);
        var mentions = PostText.Mentions(text);
        var now = clock.NowMs();
        return await database.WriteAsync(async db =>
        {
            var id = await PostStore.InsertAsync(db, author.Id, text, now);
            await PostStore.InsertHashtagsAsync(db, id, tags, now);
            await PostStore.AdjustPostsCountAsync(db, author.Id, +1);
            var data = new Dictionary<string, object?> { ["post_id"] = PublicId.Format(PostIds.Post, id) };
            await MentionNotifier.NotifyAsync(notifications, db, author, mentions, "post", text, data, now);
            return (await PostStore.GetAsync(db, id))!;
        });
    }

    public Task<PostRow> GetAsync(string? id) => GetAsync(ParseId(id));

    public async Task<PostRow> GetAsync(long postId) =>
        await database.ReadAsync(db => PostStore.GetAsync(db, postId)) ?? throw MirageException.NotFound("post not found");

    /// <summary>
    /// The /api list of a user's posts, newest first: up to <paramref name="limit"/> (default 100, max 500) posts
    /// older than post <paramref name="before"/>. An unknown user has no posts, as in the original server.
    /// </summary>
    public Task<IReadOnlyList<PostRow>> ListByUsernameAsync(string username, int? limit, long? before)
    {
        var size = PageSize.Clamp(limit, DefaultUserPosts, MaxUserPosts);
        return database.ReadAsync(async db =>
        {
            var userId = await AccountStore.FindIdByUsernameAsync(db, username);
            return userId is null ? [] : await PostStore.ListByUserAsync(db, userId.Value, before ?? long.MaxValue, size);
        });
    }

    /// <summary>A /v1 page of a user's posts (<c>user_N</c>, a bare id or a username), newest first.</summary>
    public async Task<PostPageV1> ListByUserV1Async(string user, int? limit, string? cursor)
    {
        var size = PageSize.Clamp(limit, DefaultPageV1, MaxPageV1);
        var before = Cursor.Decode(cursor, 1)?[0] ?? long.MaxValue;
        var rows = await database.ReadAsync(async db =>
        {
            var owner = await AccountService.FindAsync(db, user) ?? throw MirageException.NotFound("user not found");
            return await PostStore.ListByUserAsync(db, owner.Id, before, size + 1);
        });
        return PostViews.ToV1Page(rows, size);
    }

    /// <summary>A /v1 page of the posts carrying a hashtag (with or without the '#'), newest first.</summary>
    public async Task<PostPageV1> ListByHashtagAsync(string tag, int? limit, string? cursor)
    {
        var size = PageSize.Clamp(limit, DefaultPageV1, MaxPageV1);
        var key = PostText.NormalizeTag(tag.Trim());
        var before = Cursor.Decode(cursor, 1)?[0] ?? long.MaxValue;
        var rows = key.Length == 0 ? [] : await database.ReadAsync(db => PostStore.ListByHashtagAsync(db, key, before, size + 1));
        return PostViews.ToV1Page(rows, size);
    }

    /// <summary>A post id as either surface sends it: 42, "42" or "post_42". Anything else names no post.</summary>
    public static long ParseId(string? id) =>
        PublicId.TryParse(id, PostIds.Post, out var postId) ? postId : throw MirageException.NotFound("post not found");
}
