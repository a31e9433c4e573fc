namespace Mirage.Accounts;

/// <summary><c>/v1/users</c>: the profile model every /v1 object embeds as <c>author</c> or <c>profiles</c>.</summary>
public static class UserEndpointsV1
{
    public static RouteGroupBuilder MapUsersV1(this RouteGroupBuilder v1)
    {
        var users = v1.MapGroup("/users").RequireAuthorization();
        users.MapGet("/me", (CurrentUser user, AccountService accounts) => accounts.GetUserProfileAsync(user.Id.ToString()));
        users.MapGet("/{id}", (string id, AccountService accounts) => accounts.GetUserProfileAsync(id));
        return v1;
    }
}
