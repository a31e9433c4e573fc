using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Mirage.Apps.Api;
using Mirage.Apps.Lua;
using Mirage.Files;
using Mirage.Hosting;
using static Mirage.Apps.Lua.LuaNative;

namespace Mirage.Apps;

/// <summary>
/// Serves every path the platform does not own from the apps' routes: finds the route, signs the visitor in from
/// the browser cookie, checks CSRF, runs the handler in a pooled Lua state and writes what it answered. A visitor
/// sees a plain error page; the log gets the app, file, line and traceback.
/// </summary>
public sealed partial class AppEndpoint(
    AppCatalog catalog, AppApi api, BrowserSessions sessions, Accounts.AccountService accounts, FileStorage storage, IOptions<MirageOptions> options, ILogger<AppEndpoint> logger)
{
    private static readonly string[] PlatformPrefixes = ["/api", "/v1", "/files", "/healthz", "/readyz", "/metrics", "/openapi", "/docs", "/assets", "/static"];

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data:; media-src 'self'; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (catalog.Current is not { } generation || PlatformPrefixes.Any(p => http.Request.Path.StartsWithSegments(p)))
        {
            await ErrorResponses.WriteAsync(http, 404, "not found");
            return;
        }
        var match = generation.Router.Match(http.Request.Method, path, out var pathMatched);
        var visitor = await sessions.AuthenticateAsync(http);
        var visit = new AppVisit(http, visitor, sessions) { Profile = visitor is null ? null : await accounts.FindProfileAsync(visitor.Id) };
        if (match is not { } found)
        {
            await WriteErrorAsync(http, generation, generation.Router.Routes.FirstOrDefault(), visit, pathMatched ? 405 : 404,
                pathMatched ? "This address does not accept that method." : "There is nothing at this address.");
            return;
        }
        var (route, parameters) = found;
        try
        {
            Dictionary<string, object?> form;
            try
            {
                form = await ReadBodyAsync(http, visit);
            }
            catch (Exception ex) when (ex is Common.MirageException or BadHttpRequestException)
            {
                var status = ex is Common.MirageException refusal ? refusal.Status : ((BadHttpRequestException)ex).StatusCode;
                await WriteErrorAsync(http, generation, route, visit, status, status == 413 ? "That is larger than this site accepts." : ex.Message);
                return;
            }
            if (route.Csrf && !BrowserSessions.CsrfValid(http, CsrfSubmitted(http, form)))
            {
                await WriteErrorAsync(http, generation, route, visit, 403, "The form has expired. Go back, reload the page and try again.");
                return;
            }
            await RunAsync(http, generation, route, parameters, visit, form);
        }
        finally
        {
            foreach (var file in visit.Files.Values)
            {
                file.Staged.Dispose();
            }
        }
    }

    private async Task RunAsync(HttpContext http, AppGeneration generation, AppRoute route, Dictionary<string, object?> parameters,
        AppVisit visit, Dictionary<string, object?> form)
    {
        var flashes = BrowserSessions.ReadFlashes(http.Request);
        var visitorTable = VisitorTable(visit);
        var request = new AppRequest(generation, route, visit, api, visitorTable) { IncomingFlashes = flashes };
        var apps = options.Value.Apps;
        var sandbox = await generation.RentAsync();
        AppResponse response;
        try
        {
            response = await sandbox.RunAsync("dispatch", thread =>
            {
                lua_pushinteger(thread, route.Id);
                LuaValues.Push(thread, parameters);
                LuaValues.Push(thread, RequestTable(http, form, visit));
                LuaValues.Push(thread, visitorTable);
                return 4;
            }, (thread, results) => Answer(thread, results, request), request, apps.TimeLimit, apps.MaxApiCalls);
        }
        catch (LuaScriptException ex)
        {
            LogScriptFailed(logger, route.App, http.Request.Method, route.Path, ex.Kill.ToString(), ex.Traceback);
            var status = ex.Kill == LuaKill.None && ex.Status is >= 400 and < 500 ? ex.Status : 500;
            response = await request.ErrorPageAsync(status, status == 500 ? "Something went wrong on our side." : ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !http.RequestAborted.IsCancellationRequested)
        {
            // A platform failure under a page (the database is down, ...): an HTML page, not the API's JSON.
            LogPageFailed(logger, route.App, http.Request.Method, route.Path, ex);
            var status = ex is Common.MirageException refusal ? refusal.Status : 500;
            response = await request.ErrorPageAsync(status, status == 500 ? "Something went wrong on our side." : ex.Message);
        }
        finally
        {
            generation.Return(sandbox);
        }
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = value;
            }
            else
            {
                http.Response.Headers[name] = value;
            }
        }
        // Flashes wait for the next page that is rendered (a redirect passes them on).
        BrowserSessions.WriteFlashes(http, request.FlashesShown ? [] : [.. flashes, .. request.OutgoingFlashes], flashes.Count > 0);
        await WriteAsync(http, response, visit.Visitor is not null);
    }

    /// <summary>What the handler returned: a response it made with ctx:*, an HTML string, or a table (as JSON).</summary>
    private static AppResponse Answer(nint thread, int results, AppRequest request)
    {
        var index = lua_gettop(thread) - results + 1;
        if (results > 0 && lua_type(thread, index) == TypeString)
        {
            return new AppResponse { Body = ToText(thread, index)! };
        }
        if (results > 0 && lua_type(thread, index) == TypeTable && !LuaSandbox.IsResponseMarker(thread, index))
        {
            return new AppResponse { ContentType = "application/json; charset=utf-8", Body = LuaValues.ToJson(LuaValues.Read(thread, index)) };
        }
        return request.Response ?? new AppResponse { Status = 204 };
    }

    private static async Task WriteAsync(HttpContext http, AppResponse response, bool signedIn)
    {
        var headers = http.Response.Headers;
        http.Response.StatusCode = response.Status;
        headers.CacheControl = signedIn ? "no-store" : "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (response.Location is not null)
        {
            headers.Location = response.Location;
            return;
        }
        if (response.Status == 204)
        {
            return;
        }
        if (response.IsPage)
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "same-origin";
        }
        http.Response.ContentType = response.ContentType;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.WriteAsync(response.Body);
        }
    }

    private async Task WriteErrorAsync(HttpContext http, AppGeneration generation, AppRoute? anyRoute, AppVisit visit, int status, string message)
    {
        var app = anyRoute?.App ?? AppCatalog.BuiltInName;
        var request = new AppRequest(generation, anyRoute ?? new AppRoute("GET", "/", 0, app, false), visit, api, VisitorTable(visit));
        await WriteAsync(http, await request.ErrorPageAsync(status, message), visit.Visitor is not null);
    }

    private static Dictionary<string, object?> VisitorTable(AppVisit visit) => new()
    {
        ["is_user"] = visit.Visitor is not null,
        ["user"] = visit.Visitor is { } user ? new Dictionary<string, object?>
        {
            ["id"] = user.Id, ["username"] = user.Username, ["first_name"] = visit.Profile?.FirstName, ["last_name"] = visit.Profile?.LastName,
            ["avatar_url"] = visit.Profile?.AvatarUrl,
        } : null,
    };

    private static string? CsrfSubmitted(HttpContext http, Dictionary<string, object?> form) =>
        http.Request.Headers[BrowserSessions.CsrfHeader].ToString() is { Length: > 0 } header ? header
            : form.GetValueOrDefault(BrowserSessions.CsrfField) as string;

    private static Dictionary<string, object?> RequestTable(HttpContext http, Dictionary<string, object?> form, AppVisit visit)
    {
        var request = http.Request;
        return new Dictionary<string, object?>
        {
            ["method"] = request.Method,
            ["path"] = request.Path.Value ?? "/",
            ["query"] = request.Query.ToDictionary(q => q.Key, q => (object?)q.Value.ToString()),
            ["post"] = form,
            ["headers"] = request.Headers.Where(h => !h.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => (object?)h.Value.ToString()),
            ["files"] = visit.Files.Values.ToDictionary(f => f.Field, f => (object?)new Dictionary<string, object?>
            {
                ["field"] = f.Field, ["name"] = f.Name, ["size"] = f.Size, ["content_type"] = f.ContentType,
            }),
            ["ip"] = http.Connection.RemoteIpAddress?.ToString() ?? "",
        };
    }

    /// <summary>A form (urlencoded or multipart, files staged on disk for signed-in visitors) or a JSON body.</summary>
    private async Task<Dictionary<string, object?>> ReadBodyAsync(HttpContext http, AppVisit visit)
    {
        var request = http.Request;
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return fields;
        }
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new FormOptions { ValueCountLimit = 500, ValueLengthLimit = 1024 * 1024, MultipartBodyLengthLimit = storage.MaxBytes + 64 * 1024 }, http.RequestAborted);
            }
            catch (InvalidDataException)
            {
                throw Common.MirageException.BadRequest("malformed form body");
            }
            foreach (var (key, value) in form)
            {
                // Browsers send newlines as CRLF; counted as two characters they would break every length limit.
                fields[key] = value.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
            }
            if (visit.Visitor is not null)
            {
                foreach (var file in form.Files.Where(f => f.Length > 0).Take(4))
                {
                    await using var stream = file.OpenReadStream();
                    var staged = await storage.StageAsync(stream, http.RequestAborted);
                    visit.Files[file.Name] = new UploadedFile(file.Name, FileNames.Sanitize(file.FileName), file.ContentType ?? "application/octet-stream", file.Length, staged);
                }
            }
            return fields;
        }
        if (request.HasJsonContentType())
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 32 }, http.RequestAborted);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        fields[property.Name] = FromJson(property.Value);
                    }
                }
            }
            catch (JsonException)
            {
                throw Common.MirageException.BadRequest("malformed JSON body");
            }
        }
        return fields;
    }

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        _ => null,
    };

    [LoggerMessage(11, LogLevel.Error, "Lua app {App} failed on {Method} {Route}")]
    private static partial void LogPageFailed(ILogger logger, string app, string method, string route, Exception exception);

    [LoggerMessage(10, LogLevel.Error, "Lua app {App} failed on {Method} {Route} (limit: {Kill}): {Traceback}")]
    private static partial void LogScriptFailed(ILogger logger, string app, string method, string route, string kill, string traceback);
}
