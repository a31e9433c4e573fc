using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;

namespace Mirage.Apps;

/// <summary>The text helpers behind <c>str.markdown</c>, <c>str.time_ago</c> and <c>str.scoped_css</c>.</summary>
public static partial class AppText
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml().UseAutoLinks().UseEmphasisExtras().UseSoftlineBreakAsHardlineBreak().Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(["p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr", "h1", "h2", "h3", "h4", "h5", "h6"], StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "rel", "class"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        });
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "nofollow noopener ugc");
            }
        };
        return sanitizer;
    }

    /// <summary>Markdown to safe HTML; <c>#tag</c> and <c>@name</c> outside code and links become links when a
    /// URL pattern (with <c>%s</c>) is given for them.</summary>
    public static string Markdown(string source, string? hashtagUrl = "/tags/%s", string? mentionUrl = "/u/%s")
    {
        if (hashtagUrl != "/tags/%s" || mentionUrl != "/u/%s" || source.Length > 4096)
        {
            return Render(source, hashtagUrl, mentionUrl);
        }
        // Feeds show the same posts to everyone: render and sanitise each text once.
        if (RenderedMarkdown.TryGetValue(source, out var cached))
        {
            return cached;
        }
        if (RenderedMarkdown.Count >= MaxCachedMarkdown)
        {
            RenderedMarkdown.Clear();
        }
        return RenderedMarkdown[source] = Render(source, hashtagUrl, mentionUrl);
    }

    private const int MaxCachedMarkdown = 20_000;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> RenderedMarkdown = new(StringComparer.Ordinal);

    private static string Render(string source, string? hashtagUrl, string? mentionUrl)
    {
        var html = Sanitizer.Sanitize(Markdig.Markdown.ToHtml(source, Pipeline));
        if (hashtagUrl is null && mentionUrl is null)
        {
            return html.TrimEnd();
        }
        return LinkTags(html, hashtagUrl, mentionUrl).TrimEnd();
    }

    [GeneratedRegex(@"(?<![\w&/#@])([#@])([A-Za-z0-9_]{1,64})")]
    private static partial Regex TagOrMention();

    private static string LinkTags(string html, string? hashtagUrl, string? mentionUrl)
    {
        // Text between tags only, and never inside <a>, <code> or <pre>.
        var output = new StringBuilder(html.Length + 64);
        var depth = 0;
        var position = 0;
        while (position < html.Length)
        {
            var open = html.IndexOf('<', position);
            var text = open < 0 ? html[position..] : html[position..open];
            output.Append(depth > 0 ? text : TagOrMention().Replace(text, m =>
            {
                var pattern = m.Groups[1].Value == "#" ? hashtagUrl : mentionUrl;
                if (pattern is null)
                {
                    return m.Value;
                }
                var target = m.Groups[1].Value == "#" ? m.Groups[2].Value.ToLowerInvariant() : m.Groups[2].Value;
                var cls = m.Groups[1].Value == "#" ? "hashtag" : "mention";
                return $"<a class=\"{cls}\" href=\"{pattern.Replace("%s", Uri.EscapeDataString(target), StringComparison.Ordinal)}\">{m.Value}</a>";
            }));
            if (open < 0)
            {
                break;
            }
            var close = html.IndexOf('>', open);
            if (close < 0)
            {
                output.Append(html, open, html.Length - open);
                break;
            }
            var tag = html.AsSpan(open + 1, close - open - 1);
            var closing = tag.StartsWith("/");
            var name = closing ? tag[1..] : tag;
            var end = name.IndexOfAny(' ', '/');
            name = end < 0 ? name : name[..end];
            if (name is "a" or "code" or "pre")
            {
                depth = Math.Max(0, depth + (closing ? -1 : 1));
            }
            output.Append(html, open, close - open + 1);
            position = close + 1;
        }
        return output.ToString();
    }

    /// <summary>"just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", "Mar 3", "Mar 3, 2025".</summary>
    public static string? TimeAgo(DateTimeOffset time, DateTimeOffset now)
    {
        var elapsed = now - time;
        if (elapsed < TimeSpan.FromSeconds(45))
        {
            return "just now";
        }
        if (elapsed < TimeSpan.FromMinutes(60))
        {
            return $"{Math.Max(1, (int)Math.Round(elapsed.TotalMinutes))} min ago";
        }
        if (elapsed < TimeSpan.FromHours(24))
        {
            return $"{(int)elapsed.TotalHours} h ago";
        }
        if (elapsed < TimeSpan.FromHours(48))
        {
            return "yesterday";
        }
        if (elapsed < TimeSpan.FromDays(7))
        {
            return $"{(int)elapsed.TotalDays} days ago";
        }
        var format = time.Year == now.Year ? "MMM d" : "MMM d, yyyy";
        return time.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>An ISO time; the API's own form (<c>2026-03-30T12:00:00.000Z</c>) is read exactly, which is many times
    /// cheaper than the general parser a page would otherwise run for every time it shows.</summary>
    public static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exact) ? exact
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static readonly CssParser CssParser = new();

    private static readonly string[] ForbiddenValues = ["url(", "expression(", "image-set(", "@import", "javascript:", "\\"];

    /// <summary>
    /// A user's CSS made safe for one element: every selector is put under <paramref name="scope"/>, only style
    /// and media rules are kept, and nothing that loads a resource (<c>url()</c>, imports, fonts) or escapes the
    /// element (<c>position: fixed</c>) survives.
    /// </summary>
    public static string ScopedCss(string css, string scope)
    {
        if (css.Length > 20_000)
        {
            css = css[..20_000];
        }
        var sheet = CssParser.ParseStyleSheet(css);
        var output = new StringBuilder();
        WriteRules(sheet.Rules, scope, output);
        return output.ToString();
    }

    private static void WriteRules(ICssRuleList rules, string scope, StringBuilder output)
    {
        foreach (var rule in rules)
        {
            switch (rule)
            {
                case ICssStyleRule style:
                    var declarations = SafeDeclarations(style.Style);
                    if (declarations.Length > 0)
                    {
                        output.Append(ScopeSelectors(style.SelectorText, scope)).Append(" { ").Append(declarations).Append(" }\n");
                    }
                    break;
                case ICssMediaRule media:
                    output.Append("@media ").Append(media.ConditionText).Append(" {\n");
                    WriteRules(media.Rules, scope, output);
                    output.Append("}\n");
                    break;
            }
        }
    }

    private static string SafeDeclarations(ICssStyleDeclaration style)
    {
        var output = new StringBuilder();
        foreach (var property in style)
        {
            var value = property.Value ?? "";
            if (ForbiddenValues.Any(f => value.Contains(f, StringComparison.OrdinalIgnoreCase))
                || (property.Name.Equals("position", StringComparison.OrdinalIgnoreCase) && !value.Contains("relative", StringComparison.OrdinalIgnoreCase) && !value.Contains("static", StringComparison.OrdinalIgnoreCase))
                || property.Name.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }
            output.Append(property.Name).Append(": ").Append(value);
            if (property.IsImportant)
            {
                output.Append(" !important");
            }
            output.Append("; ");
        }
        return output.ToString().TrimEnd();
    }

    private static string ScopeSelectors(string selectors, string scope)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= selectors.Length; i++)
        {
            if (i == selectors.Length || (selectors[i] == ',' && depth == 0))
            {
                var part = selectors[start..i].Trim();
                if (part.Length > 0)
                {
                    parts.Add(ScopeOne(part, scope));
                }
                start = i + 1;
            }
            else if (selectors[i] == '(')
            {
                depth++;
            }
            else if (selectors[i] == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
        }
        return string.Join(", ", parts);
    }

    private static string ScopeOne(string selector, string scope)
    {
        foreach (var root in new[] { "html", "body", ":root" })
        {
            if (selector.Equals(root, StringComparison.OrdinalIgnoreCase))
            {
                return scope;
            }
            if (selector.StartsWith(root + " ", StringComparison.OrdinalIgnoreCase))
            {
                return scope + selector[root.Length..];
            }
        }
        return scope + " " + selector;
    }
}
