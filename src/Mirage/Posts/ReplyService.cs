using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;
using Mirage.Notifications;

namespace Mirage.Posts;

/// <summary>The rules for replies: who is notified, what counts, and the order they are read in.</summary>
public sealed class ReplyService(IDatabase database, NotificationService notifications, TimeProvider clock)
{
    public const int DefaultApiReplies = 500;
    public const int MaxApiReplies = 1000;

    /// <summary>
    /// Creates a reply. The post's reply count and the replier's <c>stats.posts</c> (which counts replies, as the
    /// original did) move with it; the post's author is notified (not for replying to oneself), and mentioned
    /// users are notified once each.
    /// </summary>
    public async Task<ReplyRow> ReplyAsync(CurrentUser user, long? postId, string? content)
    {
        if (postId is null || string.IsNullOrWhiteSpace(content))
        {
            throw MirageException.BadRequest("missing post_id or content");
        }
        var text = PostText.Validate(content, "missing post_id or content", $"reply content cannot exceed {PostText.MaxCharacters} characters");
        var mentions = PostText.Mentions(text);
        var now = clock.NowMs();
        return await database.WriteAsync(async db =>
        {
            var authorId = await PostStore.FindAuthorAsync(db, postId.Value) ?? throw MirageException.NotFound("post not found");
            var replyId = await ReplyStore.InsertAsync(db, postId.Value, user.Id, text, now);
            await ReplyStore.IncrementReplyCountAsync(db, postId.Value);
            await PostStore.AdjustPostsCountAsync(db, user.Id, +1);
            var data = new Dictionary<string, object?>
            {
                ["post_id"] = PublicId.Format(PostIds.Post, postId.Value),
                ["reply_id"] = PublicId.Format(PostIds.Reply, replyId),
                ["replier_id"] = PublicId.Format(PublicId.User, user.Id),
            };
            if (authorId != user.Id)
            {
                var message = $"{user.Username} replied to your post: {PostText.Snippet(text)}";
                await notifications.NotifyAsync(db, new NewNotification(authorId, NotificationTypes.Reply, "New reply", message, data), now);
            }
            await MentionNotifier.NotifyAsync(notifications, db, user, mentions, "reply", text, data, now, alreadyNotified: authorId);
            return (await ReplyStore.GetAsync(db, replyId))!;
        });
    }

    /// <summary>Replies to a post, oldest first, after reply <paramref name="afterId"/>; 404 for an unknown post.</summary>
    public async Task<IReadOnlyList<ReplyRow>> ListAsync(long postId, long afterId, int limit) =>
        await database.ReadAsync(async db =>
        {
            if (await PostStore.FindAuthorAsync(db, postId) is null)
            {
                throw MirageException.NotFound("post not found");
            }
            return await ReplyStore.ListAsync(db, postId, afterId, limit);
        });
}
