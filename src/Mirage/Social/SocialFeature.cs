namespace Mirage.Social;

public static class SocialFeature
{
    public static IServiceCollection AddSocial(this IServiceCollection services) => services.AddSingleton<FollowService>();
}
