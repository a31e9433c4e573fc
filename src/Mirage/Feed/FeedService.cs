using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;
using Mirage.Posts;

namespace Mirage.Feed;

/// <summary>The /v1 home feed: posts of the users the viewer follows and the viewer's own, newest first.</summary>
public sealed class FeedService(IDatabase database)
{
    public async Task<PostPageV1> HomeAsync(CurrentUser viewer, int? limit, string? cursor)
    {
        var size = PageSize.Clamp(limit, PostService.DefaultPageV1, PostService.MaxPageV1);
        var before = Cursor.Decode(cursor, 1)?[0] ?? long.MaxValue;
        var rows = await database.ReadAsync(db => PostStore.ListFeedAsync(db, viewer.Id, before, size + 1));
        return PostViews.ToV1Page(rows, size);
    }
}
