using Mirage.Common;
using Mirage.Data;

namespace Mirage.Accounts;

/// <summary>SQL for <c>users</c>. Other features use <see cref="GetProfilesAsync"/> to render authors in batch.</summary>
public static class AccountStore
{
    private const string UserColumns = """
        id, username, email, password_hash, avatar_url, description, first_name, last_name, custom_css,
        background_image, created_at, followers_count, following_count, posts_count, upvotes, downvotes
        """;

    /// <summary>Null for a name no user can have (<see cref="StorableText.HasNul"/>).</summary>
    public static Task<UserRow?> FindByUsernameAsync(DbSession db, string username) =>
        StorableText.HasNul(username)
            ? Task.FromResult<UserRow?>(null)
            : db.QuerySingleOrDefaultAsync<UserRow>(
                $"SELECT {UserColumns} FROM users WHERE username_key = @key", new { key = AccountRules.Key(username) });

    /// <summary>Just the id (answered from the unique index), for hot paths that need nothing else.</summary>
    public static Task<long?> FindIdByUsernameAsync(DbSession db, string username) =>
        StorableText.HasNul(username)
            ? Task.FromResult<long?>(null)
            : db.QuerySingleOrDefaultAsync<long?>("SELECT id FROM users WHERE username_key = @key", new { key = AccountRules.Key(username) });

    public static Task<UserRow?> FindByIdAsync(DbSession db, long id) =>
        db.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE id = @id", new { id });

    public static Task<long> CountAsync(DbSession db) => db.QuerySingleAsync<long>("SELECT COUNT(*) FROM users");

    public sealed record Taken(bool Username, bool Email);

    public static async Task<Taken> FindTakenAsync(DbSession db, string? username, string? email, long exceptUserId = 0)
    {
        var rows = await db.QueryAsync<(string UsernameKey, string EmailKey)>(
            "SELECT username_key, email_key FROM users WHERE (username_key = @uk OR email_key = @ek) AND id <> @exceptUserId",
            new { uk = username is null ? null : AccountRules.Key(username), ek = email is null ? null : AccountRules.Key(email), exceptUserId });
        var list = rows.ToList();
        return new Taken(
            username is not null && list.Exists(r => r.UsernameKey == AccountRules.Key(username)),
            email is not null && list.Exists(r => r.EmailKey == AccountRules.Key(email)));
    }

    public static Task<long> InsertAsync(DbSession db, string username, string email, string passwordHash,
        string? avatarUrl, string description, long now) =>
        db.QuerySingleAsync<long>(
            """
            INSERT INTO users (username, username_key, email, email_key, password_hash, avatar_url, description, created_at)
            VALUES (@username, @usernameKey, @email, @emailKey, @passwordHash, @avatarUrl, @description, @now)
            RETURNING id
            """,
            new
            {
                username, usernameKey = AccountRules.Key(username), email, emailKey = AccountRules.Key(email),
                passwordHash, avatarUrl, description, now,
            });

    public static Task SetPasswordHashAsync(DbSession db, long userId, string passwordHash) =>
        db.ExecuteAsync("UPDATE users SET password_hash = @passwordHash WHERE id = @userId", new { userId, passwordHash });

    /// <summary>Profiles of many users in one query, for rendering a page of posts, messages or members.</summary>
    public static async Task<IReadOnlyDictionary<long, UserProfile>> GetProfilesAsync(DbSession db, IEnumerable<long> userIds)
    {
        var ids = userIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new Dictionary<long, UserProfile>();
        }
        var list = db.Dialect.Ids("@ids", ids);
        var rows = await db.QueryRowsAsync(
            $"SELECT id, username, first_name, last_name, avatar_url FROM users WHERE id {list.In}",
            new { ids = list.Value },
            static r => (Id: r.GetInt64(0),
                Profile: UserProfile.Of(r.GetInt64(0), r.GetString(1), r.GetNullableString(2), r.GetNullableString(3), r.GetNullableString(4))));
        return rows.ToDictionary(r => r.Id, r => r.Profile);
    }
}
