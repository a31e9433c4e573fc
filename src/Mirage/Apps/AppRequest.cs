using System.Text;
using System.Text.Json;
using Mirage.Apps.Api;
using Mirage.Apps.Lua;
using Mirage.Common;
using static Mirage.Apps.Lua.LuaNative;

namespace Mirage.Apps;

/// <summary>What a route answered: status, content type, body, headers.</summary>
public sealed class AppResponse
{
    public int Status { get; set; } = 200;
    public string ContentType { get; set; } = "text/html; charset=utf-8";
    public string Body { get; set; } = "";
    public string? Location { get; set; }
    public bool IsPage => ContentType.StartsWith("text/html", StringComparison.Ordinal);
}

/// <summary>
/// One request of one app: serves the yielded <c>ctx:*</c> calls (render, redirect, error, json, flash, header) and
/// hands <c>api.*</c> calls to their bindings, turning a service's refusal into a Lua error with its status.
/// </summary>
public sealed class AppRequest(AppGeneration generation, AppRoute route, AppVisit visit, AppApi api, Dictionary<string, object?> visitor) : IHostCalls
{
    public AppResponse? Response { get; private set; }
    public List<BrowserSessions.Flash> IncomingFlashes { get; init; } = [];
    public List<BrowserSessions.Flash> OutgoingFlashes { get; } = [];
    public bool FlashesShown { get; private set; }

    async ValueTask<HostReply> IHostCalls.CallAsync(LuaSandbox sandbox, nint thread, string op, int first, int count)
    {
        HostArguments arguments;
        try
        {
            arguments = HostArguments.Read(thread, op, first, count);
        }
        catch (LuaValues.TooLargeException ex)
        {
            return HostReply.Refused(400, ex.Message);
        }
        try
        {
            if (op.StartsWith("api.", StringComparison.Ordinal))
            {
                var value = await api.CallAsync(op, visit, arguments);
                var json = JsonSerializer.SerializeToUtf8Bytes(value, api.JsonOptions);
                return HostReply.Value(t => LuaValues.PushJson(t, json));
            }
            await ServeContextAsync(op, arguments);
            return HostReply.Value(LuaSandbox.PushResponseMarker);
        }
        catch (MirageException ex)
        {
            return HostReply.Refused(ex.Status, ex.Message);
        }
        catch (TemplateException ex)
        {
            return HostReply.Refused(500, ex.Message);
        }
        catch (Fluid.ParseException ex)
        {
            return HostReply.Refused(500, ex.Message);
        }
        catch (Fluid.FluidException ex)
        {
            return HostReply.Refused(500, "template: " + ex.Message);
        }
        catch (InvalidOperationException ex) when (ex.Source == "Fluid")
        {
            return HostReply.Refused(500, "template: " + ex.Message);
        }
    }

    private async Task ServeContextAsync(string op, HostArguments a)
    {
        switch (op)
        {
            case "render":
                var data = a.Table(1);
                var ctx = a.Table(2);
                Response = new AppResponse
                {
                    Status = Status(a.SmallInteger(3), 200),
                    Body = await RenderAsync(a.RequiredText(0), ctx, data),
                };
                break;
            case "redirect":
                var url = a.RequiredText(0);
                if (!IsSafeRedirect(url))
                {
                    throw MirageException.BadRequest("redirect target must be a path on this site or an http(s) URL");
                }
                var method = visit.Http.Request.Method;
                Response = new AppResponse { Status = Status(a.SmallInteger(1), method is "GET" or "HEAD" ? 302 : 303), Location = url };
                break;
            case "error":
                Response = await ErrorPageAsync(Status(a.SmallInteger(1), 500), a.Text(0) ?? "error");
                break;
            case "json":
                Response = new AppResponse
                {
                    Status = Status(a.SmallInteger(1), 200),
                    ContentType = "application/json; charset=utf-8",
                    Body = LuaValues.ToJson(a[0]),
                };
                break;
            case "flash":
                var kind = a.Text(0) ?? "info";
                var message = a.Text(1);
                if (!string.IsNullOrEmpty(message))
                {
                    OutgoingFlashes.Add(new BrowserSessions.Flash(kind, message));
                }
                break;
            case "header":
                var name = a.RequiredText(0);
                if (!IsSettableHeader(name))
                {
                    throw MirageException.BadRequest($"header '{name}' cannot be set by an app");
                }
                Headers[name] = a.Text(1) ?? "";
                break;
            default:
                throw MirageException.NotFound($"unknown call {op}");
        }
    }

    /// <summary>Headers the script set with <c>ctx:header</c>, for whatever it answers.</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    private static int Status(int? requested, int fallback) => requested is >= 200 and <= 599 ? requested.Value : fallback;

    private static bool IsSafeRedirect(string url) =>
        (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal))
        || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    private static bool IsSettableHeader(string name) =>
        name.Length is > 0 and < 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
        && !name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
        && !name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase);

    /// <summary>The template's variables: the platform's, then ctx's fields (the before hook's), then the data.</summary>
    private async Task<string> RenderAsync(string name, IReadOnlyDictionary<string, object?> ctx, IReadOnlyDictionary<string, object?> data)
    {
        var model = Builtins();
        foreach (var (key, value) in ctx)
        {
            model[key] = value;
        }
        foreach (var (key, value) in data)
        {
            model[key] = value;
        }
        FlashesShown = true;
        return await generation.Templates.RenderAsync(route.App, name, model);
    }

    private Dictionary<string, object?> Builtins()
    {
        var http = visit.Http;
        var csrf = BrowserSessions.CsrfToken(http);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["csrf_token"] = csrf,
            ["csrf_field"] = Fluid.Values.StringValue.Create($"<input type=\"hidden\" name=\"{BrowserSessions.CsrfField}\" value=\"{csrf}\">", false),
            ["flashes"] = IncomingFlashes.Concat(OutgoingFlashes)
                .Select(f => (object?)new Dictionary<string, object?> { ["kind"] = f.Kind, ["message"] = f.Message }).ToList(),
            ["env"] = visitor,
            ["request"] = new Dictionary<string, object?>
            {
                ["method"] = http.Request.Method,
                ["path"] = http.Request.Path.Value ?? "/",
                ["query"] = http.Request.Query.ToDictionary(q => q.Key, q => (object?)q.Value.ToString()),
            },
            ["app"] = new Dictionary<string, object?> { ["name"] = route.App, ["assets"] = $"/assets/{route.App}" },
        };
    }

    /// <summary>The app's <c>error</c> template with status and message, or a plain page when there is none.</summary>
    public async Task<AppResponse> ErrorPageAsync(int status, string message)
    {
        var response = new AppResponse { Status = status };
        if (generation.Templates.Exists(route.App, "error"))
        {
            var model = Builtins();
            model["status"] = (long)status;
            model["message"] = message;
            FlashesShown = true;
            try
            {
                response.Body = await generation.Templates.RenderAsync(route.App, "error", model);
                return response;
            }
            catch (Exception ex) when (ex is TemplateException or Fluid.ParseException or Fluid.FluidException or InvalidOperationException)
            {
                // A broken error template must not hide the error: fall through to the plain page.
            }
        }
        response.Body = PlainErrorPage(status, message);
        return response;
    }

    public static string PlainErrorPage(int status, string message)
    {
        var encoded = System.Net.WebUtility.HtmlEncode(message);
        return $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{status}</title></head>"
            + $"<body><main><h1>{status}</h1><p>{encoded}</p><p><a href=\"/\">Home</a></p></main></body></html>";
    }
}
