using Mirage.Hosting.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Mirage.Accounts;
using Mirage.Common;

namespace Mirage.Posts;

/// <summary><c>/v1</c> posts: string ids, <c>author</c> profiles, cursor paging.</summary>
public static class PostEndpointsV1
{
    public static RouteGroupBuilder MapPostsV1(this RouteGroupBuilder v1)
    {
        var posts = v1.MapGroup("/posts").RequireAuthorization();
        posts.MapPost("", CreatePost).Idempotent();
        posts.MapGet("/{id}", async (string id, PostService service) => new PostEnvelopeV1(PostViews.ToV1(await service.GetAsync(id))));
        posts.MapPost("/{id}/vote", Vote);
        posts.MapGet("/{id}/replies", GetReplies);
        posts.MapPost("/{id}/replies", Reply).Idempotent();

        v1.MapGet("/users/{id}/posts", (string id, int? limit, string? cursor, PostService service) =>
            service.ListByUserV1Async(id, limit, cursor)).RequireAuthorization();
        v1.MapGet("/hashtags/{tag}/posts", (string tag, int? limit, string? cursor, PostService service) =>
            service.ListByHashtagAsync(tag, limit, cursor)).RequireAuthorization();
        return v1;
    }

    private static async Task<Created<PostEnvelopeV1>> CreatePost(CreatePostRequest request, CurrentUser user, PostService service)
    {
        var post = PostViews.ToV1(await service.CreateAsync(user, request.Content));
        return TypedResults.Created($"/v1/posts/{post.Id}", new PostEnvelopeV1(post));
    }

    private static async Task<VoteResponseV1> Vote(string id, VoteRequestV1 request, CurrentUser user, VoteService votes, PostService posts)
    {
        var postId = PostService.ParseId(id);
        var message = await votes.VoteAsync(user, postId, request.Vote);
        return new VoteResponseV1(message, PostViews.ToV1(await posts.GetAsync(postId)));
    }

    private static async Task<ReplyPageV1> GetReplies(string id, int? limit, string? cursor, ReplyService replies)
    {
        var size = PageSize.Clamp(limit, PostService.DefaultPageV1, PostService.MaxPageV1);
        var after = Cursor.Decode(cursor, 1)?[0] ?? 0;
        var rows = await replies.ListAsync(PostService.ParseId(id), after, size + 1);
        return new ReplyPageV1(
            rows.Take(size).Select(PostViews.ToV1).ToList(), rows.Count > size ? Cursor.Encode(rows[size - 1].Id) : null);
    }

    private static async Task<Created<ReplyEnvelopeV1>> Reply(string id, ReplyRequestV1 request, CurrentUser user, ReplyService replies)
    {
        var reply = PostViews.ToV1(await replies.ReplyAsync(user, PostService.ParseId(id), request.Content));
        return TypedResults.Created($"/v1/posts/{id}/replies", new ReplyEnvelopeV1(reply));
    }
}
