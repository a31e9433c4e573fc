using Microsoft.AspNetCore.Http.HttpResults;
using Mirage.Accounts;
using Mirage.Common;

namespace Mirage.Posts;

/// <summary>The Mirage-compatible post, vote and reply endpoints under <c>/api</c>.</summary>
public static class PostEndpoints
{
    public static RouteGroupBuilder MapPostsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/create_post", CreatePost).RequireAuthorization();
        api.MapGet("/get_posts/{username}", async (string username, int? limit, long? before, PostService posts, PostViews views) =>
            new PostsResponse((await posts.ListByUsernameAsync(username, limit, before)).Select(views.ToApi).ToList()));
        api.MapGet("/get_post_by_id/{id}", async (string id, PostService posts, PostViews views) => views.ToApi(await posts.GetAsync(id)));
        api.MapPost("/vote_post", async (VoteRequest request, CurrentUser user, VoteService votes) =>
            new Hosting.Message(await votes.VoteAsync(user, request.PostId, request.VoteType))).RequireAuthorization();
        api.MapPost("/reply_to_post", ReplyToPost).RequireAuthorization();
        api.MapGet("/get_replies/{id}", GetReplies);
        return api;
    }

    private static async Task<JsonHttpResult<CreatePostResponse>> CreatePost(CreatePostRequest request, CurrentUser user, PostService posts)
    {
        var post = await posts.CreateAsync(user, request.Content);
        return TypedResults.Json(new CreatePostResponse("post created", post.Id), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<JsonHttpResult<CreateReplyResponse>> ReplyToPost(ReplyRequest request, CurrentUser user, ReplyService replies)
    {
        var reply = await replies.ReplyAsync(user, request.PostId, request.Content);
        return TypedResults.Json(new CreateReplyResponse("reply created", reply.Id), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Oldest first; up to <c>limit</c> (default 500, max 1000) replies after reply id <c>after</c>.</summary>
    private static async Task<RepliesResponse> GetReplies(string id, int? limit, long? after, ReplyService replies, PostViews views)
    {
        var size = PageSize.Clamp(limit, ReplyService.DefaultApiReplies, ReplyService.MaxApiReplies);
        var rows = await replies.ListAsync(PostService.ParseId(id), after ?? 0, size);
        return new RepliesResponse(rows.Select(views.ToApi).ToList());
    }
}
