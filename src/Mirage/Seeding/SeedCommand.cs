using Microsoft.AspNetCore.Identity;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;
using Mirage.Hosting;

namespace Mirage.Seeding;

/// <summary>
/// <c>Mirage seed --users 100000 --posts 1000000 --messages 1000000 [--seed 42]</c>: fills the configured database
/// (SQLite or PostgreSQL, migrated first) with a reproducible data set, without HTTP. Every profile counter, vote
/// count, reply count, read marker and the hashtag index are consistent, exactly as the server would have left
/// them. <c>--sessions N --tokens-file PATH</c> also signs the first N users in, for load tests.
/// </summary>
public static class SeedCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            Console.WriteLine(SeedOptions.Usage);
            return 0;
        }
        SeedOptions options;
        string[] configuration;
        try
        {
            (options, configuration) = SeedOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}\n\n{SeedOptions.Usage}");
            return 2;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configuration, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMirage();
        await using var app = builder.Build();
        await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
        var database = app.Services.GetRequiredService<IDatabase>();
        await using ISeedWriter writer = database switch
        {
            SqliteDatabase sqlite => await SqliteSeedWriter.OpenAsync(sqlite, options.BatchSize),
            PostgresDatabase postgres => await PostgresSeedWriter.OpenAsync(postgres.DataSource),
            _ => throw new InvalidOperationException("unknown database provider"),
        };
        if (await writer.AnyUsernameStartsWithAsync(options.Prefix))
        {
            await Console.Error.WriteLineAsync($"Users named {options.Prefix}… already exist in this database; choose another --prefix.");
            return 1;
        }

        if (options.TokensFile is { } tokensFile)
        {
            await SeedSessions.WriteFileAsync(tokensFile, []); // fail now, not after minutes of seeding
        }

        Console.WriteLine($"Seeding {database.Dialect.Name}: {options.Users:N0} users, {options.Posts:N0} posts, ~{options.Votes:N0} votes, " +
            $"~{options.Replies:N0} replies, ~{options.FollowsPerUser} follows per user, {options.Messages:N0} messages in " +
            $"{options.Chats:N0} chats, seed {options.Seed}");
        // One hash for everyone: hashing a million passwords would take hours, and they are all the same.
        var hash = app.Services.GetRequiredService<IPasswordHasher<UserRow>>().HashPassword(new UserRow(), SeedOptions.Password);
        var plan = new SeedPlan(options, await writer.MaxIdsAsync(), app.Services.GetRequiredService<TimeProvider>().NowMs());
        var progress = new SeedProgress(Console.Out, !Console.IsOutputRedirected);
        await new Seeder(plan, writer, progress, hash).RunAsync();
        if (options.Sessions > 0)
        {
            var tokens = await SeedSessions.IssueAsync(database, app.Services.GetRequiredService<SessionService>(), plan, options.Sessions, progress);
            await SeedSessions.WriteFileAsync(options.TokensFile!, tokens);
            Console.WriteLine($"{tokens.Count:N0} session tokens written to {options.TokensFile}.");
        }
        Console.WriteLine($"Done in {progress.Elapsed.TotalSeconds:0.0} s. Log in as {plan.Username(0)} … {plan.Username(options.Users - 1)} " +
            $"with the password \"{SeedOptions.Password}\".");
        return 0;
    }
}
