using Dapper;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Messaging;

/// <summary>
/// Resolves user references the way seed 002 does (<c>user_42</c>, <c>42</c> or a username; usernames are never
/// all digits) for a whole list in one query.
/// </summary>
public static class UserLookup
{
    public sealed record FoundUser(long Id, string Username);

    /// <summary>The users named by <paramref name="references"/>, in order and without repeats; 404 for the first unknown one.</summary>
    public static async Task<List<FoundUser>> ResolveAsync(DbSession db, IReadOnlyList<string> references)
    {
        var matches = await LookupAsync(db, references);
        var found = new List<FoundUser>();
        for (var i = 0; i < references.Count; i++)
        {
            var user = matches[i] ?? throw MirageException.NotFound($"user not found: {references[i]}");
            if (!found.Exists(f => f.Id == user.Id))
            {
                found.Add(user);
            }
        }
        return found;
    }

    public static async Task<FoundUser?> FindAsync(DbSession db, string reference) => (await LookupAsync(db, [reference]))[0];

    /// <summary>One entry per reference: the user, or null when nobody has that id or name.</summary>
    private static async Task<List<FoundUser?>> LookupAsync(DbSession db, IReadOnlyList<string> references)
    {
        var ids = new List<long>();
        var keys = new List<string>();
        foreach (var reference in references)
        {
            if (PublicId.TryParse(reference, PublicId.User, out var id))
            {
                ids.Add(id);
            }
            else if (!string.IsNullOrWhiteSpace(reference) && !StorableText.HasNul(reference))
            {
                keys.Add(AccountRules.Key(reference));
            }
        }
        var (idList, keyList) = (db.Dialect.Ids("@ids", ids), db.Dialect.Texts("@keys", keys));
        var conditions = new List<string>();
        if (ids.Count > 0)
        {
            conditions.Add($"id {idList.In}");
        }
        if (keys.Count > 0)
        {
            conditions.Add($"username_key {keyList.In}");
        }
        var rows = conditions.Count == 0
            ? []
            : await db.QueryRowsAsync(
                $"SELECT id, username, username_key FROM users WHERE {string.Join(" OR ", conditions)}",
                new { ids = idList.Value, keys = keyList.Value },
                static r => (Id: r.GetInt64(0), Username: r.GetString(1), UsernameKey: r.GetString(2)));
        return references.Select(reference =>
        {
            var isId = PublicId.TryParse(reference, PublicId.User, out var id);
            var key = isId ? null : AccountRules.Key(reference ?? "");
            var row = rows.Find(r => isId ? r.Id == id : r.UsernameKey == key);
            return row.Id == 0 ? null : new FoundUser(row.Id, row.Username);
        }).ToList();
    }
}
