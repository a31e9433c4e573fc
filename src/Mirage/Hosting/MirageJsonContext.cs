using System.Text.Json.Serialization;
using Mirage.Feed;
using Mirage.Messaging;
using Mirage.Posts;
using Mirage.Rooms;

namespace Mirage.Hosting;

/// <summary>
/// Serialisation code generated at build time for the responses served most: the pages of posts, messages and
/// chats, and the answers to the frequent writes. It writes straight to the output, with no per-property metadata
/// lookups at run time. Its options must stay those of <see cref="MirageHostingExtensions.ConfigureJson"/> (and the
/// options no global converters): otherwise System.Text.Json quietly falls back to its general path. Types not
/// listed here are served by reflection, as before.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(PostsResponse))]
[JsonSerializable(typeof(PostPageV1))]
[JsonSerializable(typeof(FypResponse))]
[JsonSerializable(typeof(FypResponseV1))]
[JsonSerializable(typeof(InboxResponse))]
[JsonSerializable(typeof(InboxSentResponse))]
[JsonSerializable(typeof(RoomMessagesResponse))]
[JsonSerializable(typeof(MessagePage))]
[JsonSerializable(typeof(ChatPage))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(CreatePostResponse))]
[JsonSerializable(typeof(Message))]
internal sealed partial class MirageJsonContext : JsonSerializerContext;
