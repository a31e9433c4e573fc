using Microsoft.AspNetCore.Http.HttpResults;
using Mirage.Common;
using Mirage.Hosting;

namespace Mirage.Accounts;

/// <summary>The Mirage-compatible account endpoints under <c>/api</c>.</summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/register", Register).RequireRateLimiting(RateLimits.Register);
        api.MapPost("/login", Login).RequireRateLimiting(RateLimits.Login);
        api.MapPost("/logout", Logout);
        api.MapGet("/ping", () => TypedResults.Ok(new Message("pong")));
        api.MapGet("/usercount", UserCount);
        api.MapGet("/user/{username}", (string username, AccountService accounts) => accounts.GetProfileAsync(username));
        api.MapPost("/user/settings", Settings).RequireAuthorization();
        return api;
    }

    private static async Task<JsonHttpResult<Message>> Register(RegisterRequest request, AccountService accounts)
    {
        await accounts.RegisterAsync(request);
        return TypedResults.Json(new Message("Welcome to MIRAGE"), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The original clients compare the typed name with authors' names: only the stored spelling logs in.</summary>
    private static Task<LoginResponse> Login(LoginRequest request, HttpContext http, AccountService accounts) =>
        accounts.LoginAsync(request, http.Connection.RemoteIpAddress?.ToString(), exactSpelling: true);

    /// <summary>The original client sends the token in the body; a header works too.</summary>
    private static async Task<Ok<Message>> Logout(HttpRequest http, SessionService sessions)
    {
        var token = TokenAuthenticationHandler.ReadToken(http);
        if (token is null && http.HasJsonContentType())
        {
            var body = await http.ReadFromJsonAsync<LogoutRequest>(http.HttpContext.RequestAborted);
            token = body?.Token;
        }
        if (string.IsNullOrWhiteSpace(token))
        {
            throw MirageException.BadRequest("no token provided");
        }
        if (!await sessions.RevokeAsync(token))
        {
            throw MirageException.Unauthorized("invalid token");
        }
        return TypedResults.Ok(new Message("logged out successfully"));
    }

    /// <summary>Plain text, as the original server answers.</summary>
    private static async Task<ContentHttpResult> UserCount(AccountService accounts) =>
        TypedResults.Text((await accounts.CountUsersAsync()).ToString(), "text/plain");

    private static async Task<Ok<Message>> Settings(SettingsRequest request, CurrentUser user, AccountService accounts)
    {
        await accounts.UpdateSettingsAsync(user, request);
        return TypedResults.Ok(new Message("settings updated"));
    }
}
