using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Posts;

/// <summary>
/// The rules for votes: one vote per user and post, switching allowed, withdrawing with "none" (an addition to
/// the original), never on one's own post. The post's counters and its author's profile counters move in the
/// same write as the vote row, so they stay exact under any concurrency.
/// </summary>
public sealed class VoteService(IDatabase database, TimeProvider clock)
{
    /// <summary>Applies an "up", "down" or "none" vote and returns the /api message.</summary>
    public async Task<string> VoteAsync(CurrentUser voter, long? postId, string? voteType)
    {
        if (postId is null || string.IsNullOrWhiteSpace(voteType))
        {
            throw MirageException.BadRequest("missing post_id or vote_type");
        }
        var value = voteType.Trim().ToLowerInvariant() switch
        {
            "up" => 1,
            "down" => -1,
            "none" => 0,
            _ => throw MirageException.BadRequest("you can only upvote or downvote"),
        };
        var now = clock.NowMs();
        return await database.WriteAsync(async db =>
        {
            var authorId = await PostStore.FindAuthorAsync(db, postId.Value) ?? throw MirageException.NotFound("post not found");
            if (authorId == voter.Id)
            {
                throw MirageException.Forbidden("cannot vote on your own post");
            }
            var (up, down) = value == 0
                ? await WithdrawAsync(db, postId.Value, voter.Id)
                : await CastAsync(db, postId.Value, voter.Id, value, now);
            await VoteStore.AdjustCountsAsync(db, postId.Value, authorId, up, down);
            return value == 0 ? "vote removed" : "vote counted";
        });
    }

    /// <summary>
    /// Switches an opposite vote or records a first one. On PostgreSQL a racing first vote of the same user makes
    /// the insert find a conflict; the second round then sees that vote committed and switches it if needed.
    /// </summary>
    private static async Task<(int Up, int Down)> CastAsync(DbSession db, long postId, long userId, int value, long now)
    {
        for (var round = 0; round < 2; round++)
        {
            if (await VoteStore.SwitchAsync(db, postId, userId, value, now))
            {
                return value == 1 ? (1, -1) : (-1, 1);
            }
            if (await VoteStore.InsertAsync(db, postId, userId, value, now))
            {
                return value == 1 ? (1, 0) : (0, 1);
            }
        }
        throw MirageException.BadRequest("already voted this way");
    }

    private static async Task<(int Up, int Down)> WithdrawAsync(DbSession db, long postId, long userId) =>
        await VoteStore.DeleteAsync(db, postId, userId) switch
        {
            1 => (-1, 0),
            -1 => (0, -1),
            _ => throw MirageException.BadRequest("you have not voted on this post"),
        };

    /// <summary>The viewer's vote on each of the posts that has one: "up" or "down" (so pages can show it pressed).</summary>
    public async Task<Dictionary<string, string>> VotesOfAsync(CurrentUser viewer, IReadOnlyCollection<long> postIds)
    {
        var votes = await database.ReadAsync(db => VoteStore.OfUserAsync(db, viewer.Id, postIds.Distinct().Take(500).ToList()));
        return votes.ToDictionary(v => v.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), v => v.Value > 0 ? "up" : "down");
    }
}
