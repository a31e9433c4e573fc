using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Accounts;

/// <summary>Requests that come from a chosen client address (the in-memory server lets a test set it).</summary>
internal static class AddressedRequests
{
    public static async Task<(HttpStatusCode Status, string? RetryAfter)> PostFromAsync(this MirageServer server, string address, string path, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        var context = await server.Factory.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = path;
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = bytes.Length;
            c.Request.Body = new MemoryStream(bytes);
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
            // The test host decides "no body" before this callback sets one.
            c.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
        });
        var retryAfter = context.Response.Headers.RetryAfter.ToString();
        return ((HttpStatusCode)context.Response.StatusCode, retryAfter.Length == 0 ? null : retryAfter);
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    public static Task<(HttpStatusCode Status, string? RetryAfter)> LoginFromAsync(this MirageServer server, string address, string username, string password) =>
        server.PostFromAsync(address, "/api/login", new { username, password });

    public static Task<(HttpStatusCode Status, string? RetryAfter)> RegisterFromAsync(this MirageServer server, string address, string username) =>
        server.PostFromAsync(address, "/api/register", new { username, email = $"{username}@example.com", password = MirageClient.Password });
}
