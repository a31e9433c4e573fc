using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Mirage.Apps;

/// <summary>A template that failed to parse: <c>file:line: message</c>.</summary>
public sealed class TemplateException(string message) : Exception(message);

/// <summary>
/// Liquid templates of one generation of apps (Fluid): parsed once, HTML-escaped output, strict filters, limits on
/// steps, recursion and output. A name resolves in the rendering app first when it is an operator's, then in the
/// operators' apps by name, then in the built-in app, so an operator overrides one template of the default app by
/// shipping a file of the same name. <c>{% layout 'name' %}</c> renders the page inside that template's
/// <c>{{ content }}</c>; <c>{% include 'name' %}</c> and <c>{% render 'name' %}</c> resolve the same way.
/// </summary>
public sealed class AppTemplates
{
    private static readonly FluidParser Parser = CreateParser();

    private readonly Dictionary<string, Dictionary<string, IFluidTemplate>> byApp;
    private readonly IReadOnlyList<string> operatorOrder;
    private readonly string? builtIn;
    private readonly TemplateOptions options;

    public AppTemplates(IEnumerable<(string App, bool BuiltIn, IReadOnlyDictionary<string, IFluidTemplate> Templates)> apps)
    {
        byApp = new Dictionary<string, Dictionary<string, IFluidTemplate>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (app, isBuiltIn, templates) in apps)
        {
            byApp[app] = new Dictionary<string, IFluidTemplate>(templates, StringComparer.Ordinal);
            if (isBuiltIn)
            {
                builtIn = app;
            }
            else
            {
                order.Add(app);
            }
        }
        operatorOrder = order;
        options = new TemplateOptionsBuilder()
            .WithStrictFilters(true)
            .WithMaxSteps(1_000_000)
            .WithMaxRecursion(32)
            .WithMaxOutputSize(8 * 1024 * 1024)
            .WithFileProvider(new Resolver(this))
            .WithTemplateCache(new Cache(this))
            .WithDefaultFileExtension("")
            .WithCultureInfo(CultureInfo.InvariantCulture)
            .WithTimeZone(TimeZoneInfo.Utc)
            .AddFilter("time_ago", TimeAgoFilter)
            .AddFilter("markdown", MarkdownFilter)
            .Build();
    }

    public static AppTemplates Empty { get; } = new([]);

    private static FluidParser CreateParser()
    {
        var parser = new FluidParser();
        parser.RegisterExpressionTag("layout", async (expression, _, _, context) =>
        {
            var name = (await expression.EvaluateAsync(context)).ToStringValue(context);
            context.AmbientValues[LayoutKey] = name;
            return Completion.Normal;
        });
        return parser;
    }

    private const string LayoutKey = "mirage.layout", AppKey = "mirage.app";

    /// <summary>Parses a template; errors carry <paramref name="path"/> and the line.</summary>
    public static IFluidTemplate Parse(string path, string source)
    {
        if (Parser.TryParse(source, out var template, out var error))
        {
            return template;
        }
        var first = error.Split('\n')[0].Trim();
        var at = System.Text.RegularExpressions.Regex.Match(first, @"\s*at \((\d+):(\d+)\)\s*$");
        throw new TemplateException(at.Success ? $"{path}:{at.Groups[1].Value}: {first[..at.Index]}" : $"{path}: {first}");
    }

    public bool Exists(string app, string name) => Resolve(app, name) is not null;

    private (string App, IFluidTemplate Template)? Resolve(string app, string name)
    {
        name = name.EndsWith(".liquid", StringComparison.Ordinal) ? name[..^7] : name;
        IEnumerable<string> order = app != builtIn && byApp.ContainsKey(app) ? [app, .. operatorOrder] : operatorOrder;
        if (builtIn is not null)
        {
            order = order.Append(builtIn);
        }
        foreach (var candidate in order)
        {
            if (byApp.TryGetValue(candidate, out var templates) && templates.TryGetValue(name, out var template))
            {
                return (candidate, template);
            }
        }
        return null;
    }

    /// <summary>Renders <paramref name="name"/> for <paramref name="app"/> with the given variables.</summary>
    public async ValueTask<string> RenderAsync(string app, string name, IReadOnlyDictionary<string, object?> model)
    {
        var resolved = Resolve(app, name) ?? throw new TemplateException($"template '{name}' not found");
        var context = new TemplateContext(options);
        context.AmbientValues[AppKey] = app;
        foreach (var (key, value) in model)
        {
            context.SetValue(key, ToFluid(value));
        }
        var body = await resolved.Template.RenderAsync(context, HtmlEncoder.Default);
        for (var depth = 0; depth < 8 && context.AmbientValues.Remove(LayoutKey, out var layoutName); depth++)
        {
            var layout = Resolve(app, (string)layoutName!) ?? throw new TemplateException($"layout '{layoutName}' not found");
            context.SetValue("content", StringValue.Create(body, false));
            body = await layout.Template.RenderAsync(context, HtmlEncoder.Default);
        }
        return body;
    }

    public static FluidValue ToFluid(object? value) => value switch
    {
        null => NilValue.Instance,
        bool b => BooleanValue.Create(b),
        long l => NumberValue.Create(l),
        int i => NumberValue.Create(i),
        double d => NumberValue.Create(double.IsFinite(d) ? (decimal)d : 0m),
        string s => StringValue.Create(s),
        FluidValue f => f,
        Dictionary<string, object?> map => DictionaryValue.Create(new LazyFields(map)),
        List<object?> list => ArrayValue.Create(new LazyList(list)),
        _ => StringValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    /// <summary>A script's table as template values, each converted when the template reads it (a page reads few
    /// of the fields an api.* result carries).</summary>
    private sealed class LazyFields(Dictionary<string, object?> map) : IFluidIndexable
    {
        private Dictionary<string, FluidValue>? converted;

        public int Count => map.Count;

        public IEnumerable<string> Keys => map.Keys;

        public bool TryGetValue(string name, out FluidValue value)
        {
            if (converted?.TryGetValue(name, out value!) == true)
            {
                return true;
            }
            if (!map.TryGetValue(name, out var raw))
            {
                value = NilValue.Instance;
                return false;
            }
            value = ToFluid(raw);
            (converted ??= new Dictionary<string, FluidValue>(StringComparer.Ordinal))[name] = value;
            return true;
        }
    }

    private sealed class LazyList(List<object?> items) : IReadOnlyList<FluidValue>
    {
        private readonly FluidValue?[] converted = new FluidValue?[items.Count];

        public int Count => items.Count;

        public FluidValue this[int index] => converted[index] ??= ToFluid(items[index]);

        public IEnumerator<FluidValue> GetEnumerator()
        {
            for (var i = 0; i < items.Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static ValueTask<FluidValue> TimeAgoFilter(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        DateTimeOffset? time = input.Type == FluidValues.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(input.ToNumberValue(context) * 1000))
            : AppText.ParseTime(input.ToStringValue(context));
        return new(time is null ? NilValue.Instance : StringValue.Create(AppText.TimeAgo(time.Value, DateTimeOffset.UtcNow)!));
    }

    private static ValueTask<FluidValue> MarkdownFilter(FluidValue input, FilterArguments arguments, TemplateContext context) =>
        new(StringValue.Create(AppText.Markdown(input.ToStringValue(context)), false));

    /// <summary>Include/render look templates up like pages do, relative to the rendering app.</summary>
    private sealed class Resolver(AppTemplates templates) : ITemplateFileProvider
    {
        public ValueTask<TemplateSourceInfo?> GetFileInfoAsync(string path, TemplateContext context, CancellationToken cancellationToken)
        {
            var app = context.AmbientValues.TryGetValue(AppKey, out var value) ? (string)value! : "";
            var resolved = templates.Resolve(app, path);
            return new(resolved is null ? null : new TemplateSourceInfo(DateTimeOffset.MinValue,
                _ => new ValueTask<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(""))), $"{resolved.Value.App}\n{path}"));
        }
    }

    private sealed class Cache(AppTemplates templates) : ITemplateCache
    {
        private readonly ConcurrentDictionary<string, IFluidTemplate> parsed = new();

        public bool TryGetTemplate(string key, DateTimeOffset lastModified, out IFluidTemplate template)
        {
            var split = key.IndexOf('\n');
            if (split > 0 && templates.byApp.TryGetValue(key[..split], out var own))
            {
                var name = key[(split + 1)..];
                name = name.EndsWith(".liquid", StringComparison.Ordinal) ? name[..^7] : name;
                if (own.TryGetValue(name, out template!))
                {
                    return true;
                }
            }
            return parsed.TryGetValue(key, out template!);
        }

        public void SetTemplate(string key, DateTimeOffset lastModified, IFluidTemplate template) => parsed[key] = template;
    }
}
