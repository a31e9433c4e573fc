using Microsoft.AspNetCore.Identity;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Accounts;

/// <summary>The rules for accounts: registration, login, profiles and settings.</summary>
public sealed class AccountService(
    IDatabase database,
    SessionService sessions,
    PasswordHashing passwords,
    PublicUrls urls,
    LoginThrottle logins,
    RegistrationThrottle registrations,
    TimeProvider clock)
{
    public async Task RegisterAsync(RegisterRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            throw MirageException.BadRequest("username, email and password are required");
        }
        var username = AccountRules.Username(request.Username);
        var email = AccountRules.Email(request.Email);
        var password = AccountRules.Password(request.Password);
        var description = AccountRules.Description(request.Description);
        var avatarUrl = AccountRules.HttpUrl(request.AvatarUrl, "avatar_url");
        registrations.Acquire();
        // Hashing is deliberately slow: do it before entering the (single) writer.
        var passwordHash = await passwords.HashAsync(password);
        try
        {
            await database.WriteAsync(async db =>
            {
                await EnsureFreeAsync(db, username, email, exceptUserId: 0);
                return await AccountStore.InsertAsync(db, username, email, passwordHash, avatarUrl, description, clock.NowMs());
            });
        }
        catch (Exception ex) when (database.Dialect.IsUniqueViolation(ex))
        {
            // Two registrations raced on PostgreSQL; the constraint decided.
            throw MirageException.Conflict("the user already exists");
        }
    }

    private static async Task EnsureFreeAsync(DbSession db, string? username, string? email, long exceptUserId)
    {
        var taken = await AccountStore.FindTakenAsync(db, username, email, exceptUserId);
        if (taken.Username)
        {
            throw MirageException.Conflict("username is already taken");
        }
        if (taken.Email)
        {
            throw MirageException.Conflict("email is already registered");
        }
    }

    /// <summary>
    /// Usernames are unique case-insensitively and found in any case, except where <paramref name="exactSpelling"/>
    /// asks for the stored spelling as typed: the original server matched exactly, and its web client keeps the
    /// name it was typed as to tell its own messages and posts apart, so another spelling there is "user not found".
    /// </summary>
    /// <remarks>
    /// <paramref name="clientAddress"/> is where the attempt comes from, for the per-account limit
    /// (<see cref="LoginThrottle"/>): past it, only addresses the account has logged in from get a password check.
    /// </remarks>
    public async Task<LoginResponse> LoginAsync(LoginRequest request, string? clientAddress, bool exactSpelling = false)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            throw MirageException.BadRequest("username and password are required");
        }
        var user = await database.ReadAsync(db => AccountStore.FindByUsernameAsync(db, request.Username));
        if (user is null || (exactSpelling && !string.Equals(user.Username, request.Username, StringComparison.Ordinal)))
        {
            throw MirageException.NotFound("user not found");
        }
        logins.EnsureAllowed(user.Id, clientAddress);
        var verdict = await passwords.VerifyAsync(user.PasswordHash, request.Password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            logins.Failed(user.Id);
            throw MirageException.Unauthorized("wrong password");
        }
        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? await passwords.HashAsync(request.Password) : null;
        var token = await database.WriteAsync(async db =>
        {
            if (rehash is not null)
            {
                await AccountStore.SetPasswordHashAsync(db, user.Id, rehash);
            }
            return await sessions.IssueAsync(db, user.Id);
        });
        logins.Succeeded(user.Id, clientAddress);
        return new LoginResponse(token, user.Username);
    }

    public Task<long> CountUsersAsync() => database.ReadAsync(AccountStore.CountAsync);

    public async Task<ProfileResponse> GetProfileAsync(string username)
    {
        var user = await database.ReadAsync(db => AccountStore.FindByUsernameAsync(db, username))
            ?? throw MirageException.NotFound("user not found");
        return new ProfileResponse(
            user.Username, urls.Avatar(user.AvatarUrl), user.Description, Time.ToIso(user.CreatedAt), user.CustomCss,
            user.BackgroundImage, user.FirstName, user.LastName,
            new ProfileStats(user.FollowersCount, user.FollowingCount, user.PostsCount, user.Upvotes, user.Downvotes));
    }

    /// <summary>The /v1 profile of a signed-in user (avatar resolved to the default one when unset), or null.</summary>
    public async Task<UserProfile?> FindProfileAsync(long userId)
    {
        var user = await database.ReadAsync(db => AccountStore.FindByIdAsync(db, userId));
        return user is null ? null : UserProfile.From(user) with { AvatarUrl = urls.Avatar(user.AvatarUrl) };
    }

    /// <summary>Everything a profile page shows, by id or username; the email only to its owner.</summary>
    public async Task<FullProfile?> FindFullProfileAsync(string idOrUsername, long? viewerId)
    {
        var user = await database.ReadAsync(db => FindAsync(db, idOrUsername));
        return user is null ? null : new FullProfile(
            PublicId.Format(PublicId.User, user.Id), user.Username, user.FirstName, user.LastName, urls.Avatar(user.AvatarUrl),
            user.Description, Time.ToIso(user.CreatedAt), user.CustomCss, user.BackgroundImage, viewerId == user.Id ? user.Email : null,
            new ProfileStats(user.FollowersCount, user.FollowingCount, user.PostsCount, user.Upvotes, user.Downvotes));
    }

    /// <summary>A /v1 profile by <c>user_N</c>, a bare id, or a username.</summary>
    public async Task<UserProfile> GetUserProfileAsync(string idOrUsername)
    {
        var user = await database.ReadAsync(db => FindAsync(db, idOrUsername)) ?? throw MirageException.NotFound("user not found");
        return UserProfile.From(user);
    }

    /// <summary>Resolves a user reference the way seed 002 does: a numeric id or a username (never all digits).</summary>
    public static Task<UserRow?> FindAsync(DbSession db, string idOrUsername) =>
        PublicId.TryParse(idOrUsername, PublicId.User, out var id)
            ? AccountStore.FindByIdAsync(db, id)
            : AccountStore.FindByUsernameAsync(db, idOrUsername.Trim());

    public async Task UpdateSettingsAsync(CurrentUser current, SettingsRequest request)
    {
        var changes = new SettingsChanges(request);
        if (changes.IsEmpty)
        {
            throw MirageException.BadRequest("nothing to update");
        }
        var user = await database.ReadAsync(db => AccountStore.FindByIdAsync(db, current.Id)) ?? throw MirageException.Unauthorized();
        if (changes.IsSensitive)
        {
            await EnsureReauthenticatedAsync(current, user, request.CurrentPassword);
        }
        var passwordHash = changes.Password is null ? null : await passwords.HashAsync(changes.Password);
        try
        {
            await WriteSettingsAsync(current, changes, passwordHash);
        }
        catch (Exception ex) when (database.Dialect.IsUniqueViolation(ex))
        {
            throw MirageException.Conflict("email is already registered");
        }
    }

    private Task WriteSettingsAsync(CurrentUser current, SettingsChanges changes, string? passwordHash) =>
        database.WriteAsync(async db =>
        {
            if (changes.Email is not null)
            {
                await EnsureFreeAsync(db, null, changes.Email, current.Id);
            }
            await SettingsStore.UpdateAsync(db, current.Id, changes, passwordHash);
            if (passwordHash is not null)
            {
                await SessionStore.DeleteOthersAsync(db, current.Id, current.SessionId);
                db.AfterCommit(() => sessions.ForgetOtherSessions(current.Id, current.SessionId));
            }
            return true;
        });

    private async Task EnsureReauthenticatedAsync(CurrentUser current, UserRow user, string? currentPassword)
    {
        if (!string.IsNullOrEmpty(currentPassword))
        {
            if (!await passwords.MatchesAsync(user.PasswordHash, currentPassword))
            {
                throw MirageException.Forbidden("current_password is wrong");
            }
            return;
        }
        if (!sessions.IsRecent(current))
        {
            throw MirageException.Forbidden(
                $"changing email or password needs current_password (or a login in the last {Time.Describe(sessions.RecentLoginWindow)})");
        }
    }
}
