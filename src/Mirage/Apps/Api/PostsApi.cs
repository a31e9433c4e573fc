using Mirage.Common;
using Mirage.Feed;
using Mirage.Posts;

namespace Mirage.Apps.Api;

/// <summary><c>api.posts</c>: posts in the /v1 shape, feeds, trending topics, votes and replies.</summary>
public sealed class PostsApi(PostService posts, ReplyService replies, VoteService votes, FeedService feed, FypService fyp, TrendingService trending)
{
    public async Task<object?> CallAsync(string name, AppVisit visit, HostArguments a)
    {
        switch (name)
        {
            case "get":
                return await MessagesApi.NotFoundAsNull(async () => PostViews.ToV1(await posts.GetAsync(a.Id(0, "post"))));
            case "list":
                var byUser = a.Table(1);
                return await posts.ListByUserV1Async(a.RequiredText(0), HostArguments.IntField(byUser, "limit"), HostArguments.Field(byUser, "cursor"));
            case "by_tag":
                var byTag = a.Table(1);
                return await posts.ListByHashtagAsync(a.RequiredText(0), HostArguments.IntField(byTag, "limit"), HostArguments.Field(byTag, "cursor"));
            case "feed":
                var page = a.Table(0);
                return await feed.HomeAsync(visit.User, HostArguments.IntField(page, "limit"), HostArguments.Field(page, "cursor"));
            case "fyp":
                var forYou = await fyp.GetAsync(visit.User);
                return new ForYouV1(forYou.Posts.Select(PostViews.ToV1).ToList(), forYou.Trending.Select(TrendingService.ToV1).ToList());
            case "trending":
                return (await trending.GetAsync()).Select(TrendingService.ToV1).ToList();
            case "create":
                return PostViews.ToV1(await posts.CreateAsync(visit.User, a.Text(0)));
            case "vote":
                var postId = a.Id(0, "post");
                var message = await votes.VoteAsync(visit.User, postId, a.Text(1));
                return new VoteResponseV1(message, PostViews.ToV1(await posts.GetAsync(postId)));
            case "reply":
                return PostViews.ToV1(await replies.ReplyAsync(visit.User, a.Id(0, "post"), a.Text(1)));
            case "replies":
                var options = a.Table(1);
                var size = PageSize.Clamp(HostArguments.IntField(options, "limit"), PostService.DefaultPageV1, PostService.MaxPageV1);
                var after = Cursor.Decode(HostArguments.Field(options, "cursor"), 1)?[0] ?? 0;
                var rows = await replies.ListAsync(a.Id(0, "post"), after, size + 1);
                return new ReplyPageV1(rows.Take(size).Select(PostViews.ToV1).ToList(), rows.Count > size ? Cursor.Encode(rows[size - 1].Id) : null);
            case "my_votes":
                return await votes.VotesOfAsync(visit.User, a.List(0).Select(id => id switch
                {
                    long l => l,
                    string s when PublicId.TryParse(s, "post", out var parsed) => parsed,
                    _ => throw MirageException.BadRequest("post ids must be numbers"),
                }).ToList());
            default:
                return MessagesApi.Unknown("posts", name);
        }
    }
}

/// <summary><c>api.posts.fyp()</c>: the For-You page's posts and the trending topics beside them.</summary>
public sealed record ForYouV1(IReadOnlyList<PostV1> Posts, IReadOnlyList<TrendingTopicV1> Trending);
