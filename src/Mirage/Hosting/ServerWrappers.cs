using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;

namespace Mirage.Hosting;

/// <summary>
/// Wraps the server and its socket listeners as the container is built: a host (or a test host) may register them
/// after Program's code has run, so replacing the registrations there could miss the ones used.
/// <see cref="QueryTokenRedactingServer"/> keeps tokens out of request logs; <see cref="RetryingListenerFactory"/>
/// keeps accepting after a failed accept.
/// </summary>
public static class ServerWrappers
{
    public static void Register(IHostBuilder host, IHostEnvironment environment)
    {
        var development = environment.IsDevelopment();
        host.UseServiceProviderFactory(new WrappingFactory(new ServiceProviderOptions { ValidateScopes = development, ValidateOnBuild = development }));
    }

    private sealed class WrappingFactory(ServiceProviderOptions options) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services) => services;

        public IServiceProvider CreateServiceProvider(IServiceCollection services)
        {
            Decorate<IServer>(services, QueryTokenRedactingServer.Wrap);
            Decorate<IConnectionListenerFactory>(services, (inner, sp) =>
                new RetryingListenerFactory(inner, sp.GetRequiredService<ILogger<RetryingListenerFactory>>()));
            return services.BuildServiceProvider(options);
        }
    }

    private static void Decorate<T>(IServiceCollection services, Func<T, T> wrap) where T : class =>
        Decorate<T>(services, (inner, _) => wrap(inner));

    /// <summary>Replaces every registration of <typeparamref name="T"/> with the wrapped instance (singletons, as Kestrel's are).</summary>
    private static void Decorate<T>(IServiceCollection services, Func<T, IServiceProvider, T> wrap) where T : class
    {
        for (var i = 0; i < services.Count; i++)
        {
            var registered = services[i];
            if (registered.ServiceType != typeof(T) || registered.IsKeyedService)
            {
                continue;
            }
            services[i] = ServiceDescriptor.Singleton<T>(sp => wrap(registered switch
            {
                { ImplementationInstance: T instance } => instance,
                { ImplementationFactory: { } factory } => (T)factory(sp),
                _ => (T)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
            }, sp));
        }
    }
}
