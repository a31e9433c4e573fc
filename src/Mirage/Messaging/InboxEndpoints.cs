using Mirage.Accounts;
using Mirage.Hosting;

namespace Mirage.Messaging;

/// <summary>The Mirage-compatible inbox under <c>/api</c> (seed 000): a view of the DM chats.</summary>
public static class InboxEndpoints
{
    public static RouteGroupBuilder MapInboxApi(this RouteGroupBuilder api)
    {
        var inbox = api.MapGroup("").RequireAuthorization();
        inbox.MapPost("/send_inbox_message", async (InboxSendRequest request, CurrentUser user, MessagingService messaging) =>
        {
            var message = await messaging.SendDirectAsync(user.Id, request.Recipient, request.Message);
            return new InboxSentResponse("message sent", MessageRules.ParseMessageId(message.Id), message.ChatId);
        });
        inbox.MapGet("/inbox", (CurrentUser user, MessagingService messaging, int? limit, long? before) =>
            messaging.GetInboxAsync(user.Id, limit, before));
        inbox.MapPost("/delete_inbox_message", async (InboxDeleteRequest request, CurrentUser user, MessagingService messaging) =>
        {
            await messaging.DeleteDirectMessageAsync(user.Id, request.MessageId);
            return new Message("message deleted successfully");
        });
        inbox.MapGet("/inbox_count", (CurrentUser user, MessagingService messaging) => messaging.CountInboxAsync(user.Id));
        return api;
    }
}
