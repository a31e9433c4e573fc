namespace Mirage.Files;

public static class FilesFeature
{
    public static IServiceCollection AddFiles(this IServiceCollection services)
    {
        services.AddSingleton<FileStorage>();
        services.AddSingleton<FileService>();
        services.AddHostedService<UploadJanitor>();
        return services;
    }
}
