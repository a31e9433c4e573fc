using System.Text.Json.Serialization;

namespace Mirage.Hosting;

/// <summary>The <c>{"message": "..."}</c> body the /api surface answers most writes with.</summary>
public sealed record Message([property: JsonPropertyName("message")] string Text);
