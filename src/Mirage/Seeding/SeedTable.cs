using NpgsqlTypes;

namespace Mirage.Seeding;

/// <summary>A table the seeder fills: its name, its columns (with the PostgreSQL COPY type of each) and rows.</summary>
public sealed record SeedTable(string Name, IReadOnlyList<(string Column, NpgsqlDbType Type)> Columns)
{
    public static readonly SeedTable Users = new("users",
    [
        ("id", NpgsqlDbType.Bigint), ("username", NpgsqlDbType.Text), ("username_key", NpgsqlDbType.Text), ("email", NpgsqlDbType.Text),
        ("email_key", NpgsqlDbType.Text), ("password_hash", NpgsqlDbType.Text), ("description", NpgsqlDbType.Text),
        ("first_name", NpgsqlDbType.Text), ("last_name", NpgsqlDbType.Text), ("created_at", NpgsqlDbType.Bigint),
        ("followers_count", NpgsqlDbType.Bigint), ("following_count", NpgsqlDbType.Bigint), ("posts_count", NpgsqlDbType.Bigint),
        ("upvotes", NpgsqlDbType.Bigint), ("downvotes", NpgsqlDbType.Bigint),
    ]);

    public static readonly SeedTable Follows = new("follows",
        [("follower_id", NpgsqlDbType.Bigint), ("followee_id", NpgsqlDbType.Bigint), ("created_at", NpgsqlDbType.Bigint)]);

    public static readonly SeedTable Posts = new("posts",
    [
        ("id", NpgsqlDbType.Bigint), ("user_id", NpgsqlDbType.Bigint), ("content", NpgsqlDbType.Text), ("created_at", NpgsqlDbType.Bigint),
        ("upvotes", NpgsqlDbType.Bigint), ("downvotes", NpgsqlDbType.Bigint), ("reply_count", NpgsqlDbType.Bigint),
    ]);

    public static readonly SeedTable Hashtags = new("post_hashtags",
        [("post_id", NpgsqlDbType.Bigint), ("tag", NpgsqlDbType.Text), ("created_at", NpgsqlDbType.Bigint)]);

    public static readonly SeedTable Votes = new("post_votes",
        [("post_id", NpgsqlDbType.Bigint), ("user_id", NpgsqlDbType.Bigint), ("value", NpgsqlDbType.Smallint), ("created_at", NpgsqlDbType.Bigint)]);

    public static readonly SeedTable Replies = new("replies",
        [("post_id", NpgsqlDbType.Bigint), ("user_id", NpgsqlDbType.Bigint), ("content", NpgsqlDbType.Text), ("created_at", NpgsqlDbType.Bigint)]);

    // name and avatar_url are left NULL, as for every DM.
    public static readonly SeedTable Chats = new("chats",
    [
        ("id", NpgsqlDbType.Bigint), ("type", NpgsqlDbType.Text), ("dm_key", NpgsqlDbType.Text), ("created_by", NpgsqlDbType.Bigint),
        ("created_at", NpgsqlDbType.Bigint), ("updated_at", NpgsqlDbType.Bigint),
    ]);

    public static readonly SeedTable ChatParticipants = new("chat_participants",
    [
        ("chat_id", NpgsqlDbType.Bigint), ("user_id", NpgsqlDbType.Bigint), ("joined_at", NpgsqlDbType.Bigint),
        ("last_read_message_id", NpgsqlDbType.Bigint),
    ]);

    public static readonly SeedTable Messages = new("messages",
    [
        ("id", NpgsqlDbType.Bigint), ("chat_id", NpgsqlDbType.Bigint), ("user_id", NpgsqlDbType.Bigint), ("content", NpgsqlDbType.Text),
        ("created_at", NpgsqlDbType.Bigint), ("updated_at", NpgsqlDbType.Bigint),
    ]);
}

/// <summary>Where generated rows go: SQLite through prepared INSERTs in big transactions, PostgreSQL through COPY.</summary>
public interface ISeedWriter : IAsyncDisposable
{
    /// <summary>The highest ids already used (generated ids follow them; for messages, also ids of deleted rows).</summary>
    Task<SeedIds> MaxIdsAsync();

    Task<bool> AnyUsernameStartsWithAsync(string prefix);

    /// <summary>Writes the rows of one table; <paramref name="progress"/> is told how many rows are done.</summary>
    Task WriteAsync(SeedTable table, IEnumerable<object?[]> rows, Action<long> progress);

    /// <summary>After all rows: identity sequences past the explicit ids, fresh planner statistics.</summary>
    Task FinishAsync();
}
