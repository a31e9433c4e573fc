using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Data;
using Mirage.Realtime;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Realtime;

/// <summary>Helpers for stream tests: who a user is, and a producer that writes events the way services do.</summary>
public static class StreamTestKit
{
    public static async Task<long> UserIdAsync(this MirageClient api, TestUser user)
    {
        var me = await (await api.GetAsync("/v1/users/me", user.Token)).ShouldBe(HttpStatusCode.OK);
        return long.Parse(me.Str("id")["user_".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Appends an event inside a write through the node's own EventStream, as a feature service would.</summary>
    public static Task EmitAsync(this WebApplicationFactory<Program> node, long userId, string type, object data) =>
        node.Services.GetRequiredService<IDatabase>().WriteAsync(db =>
        {
            node.Services.GetRequiredService<EventStream>().Append(db, [userId], type, data);
            return Task.FromResult(true);
        });

    /// <summary>Appends many events in one write: they all commit, and arrive, at once.</summary>
    public static Task EmitBurstAsync(this WebApplicationFactory<Program> node, long userId, string type, IEnumerable<object> data) =>
        node.Services.GetRequiredService<IDatabase>().WriteAsync(db =>
        {
            var events = node.Services.GetRequiredService<EventStream>();
            foreach (var item in data)
            {
                events.Append(db, [userId], type, item);
            }
            return Task.FromResult(true);
        });

    /// <summary>Event ids are positions in the server's one stream: each user sees them strictly increasing.</summary>
    public static void AssertIncreasing(IEnumerable<long> ids)
    {
        var list = ids.ToList();
        Assert.True(list.Zip(list.Skip(1)).All(p => p.First < p.Second), $"ids not increasing: {string.Join(", ", list)}");
    }
}
