using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace DlWorkbook.Display;

/// <summary>
/// What a chart shows in a notebook: one output that carries three MIME types, none of which needs the network.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>application/vnd.plotly.v1+json</c>: the figure itself (<c>{"data", "layout"}</c>), drawn as an
/// interactive chart by VS Code's Jupyter renderers extension and by JupyterLab, offline.</item>
/// <item><c>image/svg+xml</c>: a static picture (<see cref="SvgChart"/>) for viewers that run no scripts:
/// GitHub's notebook view, HTML exports, VS Code without the renderers extension.</item>
/// <item><c>text/plain</c>: the numbers (<see cref="ChartText"/>) for text exports and consoles.</item>
/// </list>
/// There is deliberately no <c>text/html</c>: Plotly.NET.Interactive's HTML loads require.js and plotly.js from
/// CDNs and stays blank offline. The workbook's kernel extension registers these formatters for
/// <see cref="GenericChart"/> and makes them the preferred MIME types.
/// </remarks>
public static class ChartOutput
{
    /// <summary>The MIME type of a Plotly figure, drawn by notebook front ends without any script from the network.</summary>
    internal const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>The MIME type of the static picture.</summary>
    internal const string SvgMimeType = "image/svg+xml";

    /// <summary>The MIME type of the text summary.</summary>
    internal const string TextMimeType = "text/plain";

    /// <summary>The MIME types of one chart output, richest first.</summary>
    public static IReadOnlyList<string> MimeTypes { get; } = [PlotlyMimeType, SvgMimeType, TextMimeType];

    // A chart is formatted once per MIME type; the three share one rendering. GenericChart is immutable.
    static readonly ConditionalWeakTable<GenericChart, Rendered> Cache = new();

    // Plain JSON text ("lines+markers", "α"), not "\u002B" and "\u03B1": smaller and readable in a saved notebook.
    static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The figure as JSON: <c>{"data": [...], "layout": {...}}</c>, the content of the Plotly MIME type.</summary>
    internal static string FigureJson(GenericChart chart) => Render(chart).FigureJson;

    /// <summary>The static SVG picture of the chart.</summary>
    internal static string Svg(GenericChart chart) => Render(chart).Svg;

    /// <summary>The numbers the chart shows, as plain text (see <see cref="ChartText"/>).</summary>
    public static string Text(GenericChart chart) => Render(chart).Text;

    /// <summary>The chart's output for one of <see cref="MimeTypes"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="mimeType"/> is not one of them.</exception>
    public static string Format(GenericChart chart, string mimeType) => mimeType switch
    {
        PlotlyMimeType => FigureJson(chart),
        SvgMimeType => Svg(chart),
        TextMimeType => Text(chart),
        _ => throw new ArgumentException($"A chart is shown as {string.Join(", ", MimeTypes)}, not {mimeType}.", nameof(mimeType)),
    };

    /// <summary>
    /// Prints the numbers the chart shows (as <see cref="Text"/> gives them) and returns the chart, so that a cell
    /// ending in <c>Plots.Curves(...).PrintNumbers()</c> shows the numbers above the chart.
    /// </summary>
    public static GenericChart PrintNumbers(this GenericChart chart)
    {
        Console.WriteLine(Text(chart));
        return chart;
    }

    static Rendered Render(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return Cache.GetValue(chart, static c =>
        {
            // Plotly.NET's JSON also carries "frames" (animations, unused here); the MIME type wants data and layout.
            var full = JsonNode.Parse(GenericChart.toFigureJson(c))!;
            var figure = new JsonObject { ["data"] = full["data"]?.DeepClone() ?? new JsonArray(), ["layout"] = full["layout"]?.DeepClone() ?? new JsonObject() };
            var parsed = PlotlyFigure.From(figure);
            return new Rendered(figure.ToJsonString(Relaxed), SvgChart.Render(parsed), ChartText.Summarize(parsed));
        });
    }

    sealed record Rendered(string FigureJson, string Svg, string Text);
}
