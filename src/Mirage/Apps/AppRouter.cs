namespace Mirage.Apps;

/// <summary>One route an app registered: <c>app:get("/messages/:userid", fn, opts)</c>.</summary>
public sealed record AppRoute(string Method, string Path, int Id, string App, bool Csrf)
{
    internal string[] Segments { get; } = Split(Path);

    internal static string[] Split(string path) => path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Finds the route for a request: the first registered that matches, and operators' apps register before the
/// built-in one, so an operator's route of the same path wins. <c>:name</c> takes one segment (URL-decoded),
/// a final <c>*</c> takes the rest (as <c>splat</c>). HEAD is served by GET routes.
/// </summary>
public sealed class AppRouter(IReadOnlyList<AppRoute> routes)
{
    public IReadOnlyList<AppRoute> Routes => routes;

    public (AppRoute Route, Dictionary<string, object?> Params)? Match(string method, string path, out bool pathMatched)
    {
        pathMatched = false;
        if (method == "HEAD")
        {
            method = "GET";
        }
        var segments = AppRoute.Split(path);
        foreach (var route in routes)
        {
            var parameters = TryMatch(route.Segments, segments);
            if (parameters is null)
            {
                continue;
            }
            pathMatched = true;
            if (route.Method == method)
            {
                return (route, parameters);
            }
        }
        return null;
    }

    private static Dictionary<string, object?>? TryMatch(string[] pattern, string[] segments)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < pattern.Length; i++)
        {
            var part = pattern[i];
            if (part == "*" && i == pattern.Length - 1)
            {
                parameters["splat"] = string.Join('/', segments.Skip(i).Select(Uri.UnescapeDataString));
                return parameters;
            }
            if (i >= segments.Length)
            {
                return null;
            }
            if (part.StartsWith(':'))
            {
                parameters[part[1..]] = Uri.UnescapeDataString(segments[i]);
            }
            else if (!string.Equals(part, segments[i], StringComparison.Ordinal))
            {
                return null;
            }
        }
        return segments.Length == pattern.Length ? parameters : null;
    }
}
