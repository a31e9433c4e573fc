namespace Mirage.Posts;

public static class PostsFeature
{
    public static IServiceCollection AddPosts(this IServiceCollection services) => services
        .AddSingleton<PostViews>()
        .AddSingleton<PostService>()
        .AddSingleton<VoteService>()
        .AddSingleton<ReplyService>();
}
