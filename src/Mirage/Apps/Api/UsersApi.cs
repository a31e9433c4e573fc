using Mirage.Accounts;
using Mirage.Common;
using Mirage.Social;

namespace Mirage.Apps.Api;

/// <summary><c>api.users</c>: profiles, sign-up and browser sign-in, settings, follows.</summary>
public sealed class UsersApi(AccountService accounts, FollowService follows, AuthAttemptLimiter attempts)
{
    public async Task<object?> CallAsync(string name, AppVisit visit, HostArguments a)
    {
        switch (name)
        {
            case "get":
                return a.Text(0) is { Length: > 0 } who ? await accounts.FindFullProfileAsync(who, visit.Visitor?.Id) : null;
            case "me":
                return visit.Visitor is { } me ? await accounts.FindFullProfileAsync(me.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), me.Id) : null;
            case "register":
                var fields = a.Table(0);
                attempts.Register(visit.Http);
                await accounts.RegisterAsync(new RegisterRequest(HostArguments.Field(fields, "username"), HostArguments.Field(fields, "email"),
                    HostArguments.Field(fields, "password"), HostArguments.Field(fields, "avatar_url"), HostArguments.Field(fields, "description")));
                return true;
            case "login":
                attempts.Login(visit.Http);
                var login = await accounts.LoginAsync(new LoginRequest(a.Text(0), a.Text(1)), Hosting.RateLimits.ClientAddress(visit.Http));
                await visit.SignInAsync(login.Token);
                return await accounts.FindFullProfileAsync(login.Username, visit.Visitor?.Id);
            case "logout":
                await visit.SignOutAsync();
                return true;
            case "update":
                var settings = a.Table(0);
                await accounts.UpdateSettingsAsync(visit.User, new SettingsRequest(
                    HostArguments.Field(settings, "email"), HostArguments.Field(settings, "password"), HostArguments.Field(settings, "current_password"),
                    HostArguments.Field(settings, "avatar_url"), HostArguments.Field(settings, "description"), HostArguments.Field(settings, "custom_css"),
                    HostArguments.Field(settings, "background_image"), HostArguments.Field(settings, "first_name"), HostArguments.Field(settings, "last_name")));
                return true;
            case "follow":
                return await follows.FollowAsync(visit.User, a.RequiredText(0));
            case "unfollow":
                return await follows.UnfollowAsync(visit.User, a.RequiredText(0));
            case "is_following":
                return await follows.IsFollowingAsync(visit.User, a.RequiredText(0));
            case "followers":
                return await follows.FollowersAsync(a.RequiredText(0), a.SmallInteger(1));
            case "following":
                return await follows.FollowingAsync(a.RequiredText(0), a.SmallInteger(1));
            default:
                return MessagesApi.Unknown("users", name);
        }
    }
}
