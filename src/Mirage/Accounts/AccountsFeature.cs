using Microsoft.AspNetCore.Identity;

namespace Mirage.Accounts;

public static class AccountsFeature
{
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<UserRow>, PasswordHasher<UserRow>>();
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<RegistrationThrottle>();
        services.AddHostedService<SessionSweeper>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(
                TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        return services;
    }
}
