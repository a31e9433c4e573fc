using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Encodings.Web;

namespace Mirage.Hosting;

/// <summary>
/// Writes an endpoint's returned object as JSON in one synchronous pass into the response's buffer, then flushes,
/// so that the code <see cref="MirageJsonContext"/> generates runs (its "fast path"). The framework's writer never
/// got there: System.Text.Json streams large values (a page of 100 posts) through its general metadata-driven
/// path, and refuses the fast path altogether for options with an encoder, which ASP.NET Core sets (relaxed
/// escaping: non-ASCII text as UTF-8, not \u escapes). Here the options carry no encoder and the writer carries
/// the relaxed one, so the text is the same as before.
/// </summary>
public sealed class JsonBodyResult(object value, JsonTypeInfo typeInfo) : IResult
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}

public static class JsonBodyResults
{
    /// <summary>The application's JSON settings (<see cref="MirageHostingExtensions.ConfigureJson"/>) without an encoder.</summary>
    private static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        MirageHostingExtensions.ConfigureJson(options);
        options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>How the returned value's type is written: for tests to check that it takes the generated fast path.</summary>
    public static JsonTypeInfo TypeInfo(Type type) => Options.GetTypeInfo(type);

    /// <summary>Endpoints of this group that return an object (not an <see cref="IResult"/>) have it written by <see cref="JsonBodyResult"/>.</summary>
    public static RouteGroupBuilder WithJsonBodies(this RouteGroupBuilder group)
    {
        group.AddEndpointFilterFactory((_, next) => async invocation =>
        {
            var returned = await next(invocation);
            return returned is null or IResult or string ? returned : new JsonBodyResult(returned, Options.GetTypeInfo(returned.GetType()));
        });
        return group;
    }
}
