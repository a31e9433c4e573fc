using Mirage.Data;

namespace Mirage.Accounts;

/// <summary>The validated subset of a settings request: null means "leave as is".</summary>
public sealed class SettingsChanges
{
    public SettingsChanges(SettingsRequest request)
    {
        Email = request.Email is null ? null : AccountRules.Email(request.Email);
        Password = request.Password is null ? null : AccountRules.Password(request.Password);
        Description = request.Description is null ? null : AccountRules.Description(request.Description);
        CustomCss = request.CustomCss is null ? null : AccountRules.CustomCss(request.CustomCss);
        // For optional fields an empty string clears the value (the default avatar shows again).
        AvatarUrl = request.AvatarUrl is null ? null : new Optional(AccountRules.HttpUrl(request.AvatarUrl, "avatar_url"));
        BackgroundImage = request.BackgroundImage is null ? null : new Optional(AccountRules.HttpUrl(request.BackgroundImage, "background_image"));
        FirstName = request.FirstName is null ? null : new Optional(AccountRules.Name(request.FirstName, "first_name"));
        LastName = request.LastName is null ? null : new Optional(AccountRules.Name(request.LastName, "last_name"));
    }

    public sealed record Optional(string? Value);

    public string? Email { get; }
    public string? Password { get; }
    public string? Description { get; }
    public string? CustomCss { get; }
    public Optional? AvatarUrl { get; }
    public Optional? BackgroundImage { get; }
    public Optional? FirstName { get; }
    public Optional? LastName { get; }

    public bool IsSensitive => Email is not null || Password is not null;

    public bool IsEmpty => !IsSensitive && Description is null && CustomCss is null && AvatarUrl is null
        && BackgroundImage is null && FirstName is null && LastName is null;
}

public static class SettingsStore
{
    /// <summary>One UPDATE with only the columns that change; column names come from this fixed list.</summary>
    public static Task UpdateAsync(DbSession db, long userId, SettingsChanges changes, string? passwordHash)
    {
        var sets = new List<string>();
        void Set(bool present, string column) { if (present) { sets.Add($"{column} = @{column}"); } }
        Set(changes.Email is not null, "email");
        Set(changes.Email is not null, "email_key");
        Set(passwordHash is not null, "password_hash");
        Set(changes.Description is not null, "description");
        Set(changes.CustomCss is not null, "custom_css");
        Set(changes.AvatarUrl is not null, "avatar_url");
        Set(changes.BackgroundImage is not null, "background_image");
        Set(changes.FirstName is not null, "first_name");
        Set(changes.LastName is not null, "last_name");
        return db.ExecuteAsync(
            $"UPDATE users SET {string.Join(", ", sets)} WHERE id = @userId",
            new
            {
                userId,
                email = changes.Email,
                email_key = changes.Email is null ? null : AccountRules.Key(changes.Email),
                password_hash = passwordHash,
                description = changes.Description,
                custom_css = changes.CustomCss,
                avatar_url = changes.AvatarUrl?.Value,
                background_image = changes.BackgroundImage?.Value,
                first_name = changes.FirstName?.Value,
                last_name = changes.LastName?.Value,
            });
    }
}
