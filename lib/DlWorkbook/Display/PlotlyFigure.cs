using System.Globalization;
using System.Text.Json.Nodes;

namespace DlWorkbook.Display;

/// <summary>
/// The parts of a Plotly figure (<c>{"data": [...], "layout": {...}}</c>) that the static SVG and the text
/// summary of a chart need: line and scatter traces, contour and heatmap grids, axis titles and types, the title
/// and the size.
/// </summary>
/// <remarks>
/// Read from the figure JSON rather than from Plotly.NET's F# objects, so that every chart is covered the same
/// way, whether it came from <see cref="Plots"/>, from <see cref="LiveChart"/> or from Plotly.NET's own
/// <c>Chart.Line</c> in a notebook. A layout value missing from the figure is taken from its template.
/// </remarks>
internal sealed class PlotlyFigure
{
    /// <summary>plotly.js's own default colours, used when neither the layout nor its template sets a colorway.</summary>
    static readonly string[] DefaultColorway =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    readonly JsonNode? layout, template;

    PlotlyFigure(JsonNode figure)
    {
        layout = figure["layout"];
        template = layout?["template"]?["layout"];
        var colorway = (Find("colorway") as JsonArray)?.Select(c => c?.GetValue<string>()).OfType<string>().ToArray();
        if (colorway is not { Length: > 0 }) colorway = DefaultColorway;
        Width = Number(layout?["width"]) is var w && double.IsFinite(w) && w > 100 ? w : 700;
        Height = Number(layout?["height"]) is var h && double.IsFinite(h) && h > 100 ? h : 450;
        Title = TitleText(layout?["title"]);
        X = ReadAxis("xaxis");
        Y = ReadAxis("yaxis");
        PaperColor = Text(Find("paper_bgcolor")) ?? "#ffffff";
        PlotColor = Text(Find("plot_bgcolor")) ?? "#ffffff";
        FontColor = Text(Find("font", "color")) ?? "#444444";
        var data = figure["data"] as JsonArray ?? [];
        var traces = new List<Trace>();
        foreach (var (node, index) in data.Select((n, i) => (n, i)))
        {
            if (node is null || node["visible"]?.ToString() is "false" or "legendonly") continue;
            var type = Text(node["type"]) ?? "scatter";
            if (type is "contour" or "heatmap")
            {
                var grid = ReadGrid(node, type);
                traces.Add(new Trace(Text(node["name"]) ?? type, type, grid.X, grid.Y, false, false, "#444444",
                    node["showlegend"]?.ToString() == "true") { Grid = grid });
                continue;
            }
            var y = Values(node["y"]);
            var x = node["x"] is JsonArray ? Values(node["x"]) : Enumerable.Range(0, y.Length).Select(i => (double)i).ToArray();
            var count = Math.Min(x.Length, y.Length);
            var mode = Text(node["mode"]) ?? (count < 20 ? "lines+markers" : "lines");
            var color = Text(node["line"]?["color"]) ?? Text(node["marker"]?["color"]) ?? colorway[index % colorway.Length];
            traces.Add(new Trace(
                Text(node["name"]) ?? $"trace {index}", type, x[..count], y[..count],
                mode.Contains("lines"), mode.Contains("markers"), color, node["showlegend"]?.ToString() != "false")
            {
                MarkerSize = Number(node["marker"]?["size"]) is var size && double.IsFinite(size) && size > 0 ? size : null,
            });
        }
        Traces = traces;
        ShowLegend = Find("showlegend")?.ToString() is { } show ? show == "true" : traces.Count(t => t.InLegend) > 1;
    }

    /// <summary>One x/y curve of the figure.</summary>
    public sealed record Trace(string Name, string Type, double[] X, double[] Y, bool Lines, bool Markers, string Color, bool InLegend)
    {
        /// <summary>True for the trace types drawn here as curves (line and scatter plots).</summary>
        public bool IsScatter => Type is "scatter" or "scattergl";

        /// <summary>The marker diameter in pixels when the trace sets one.</summary>
        public double? MarkerSize { get; init; }

        /// <summary>The values over a grid of a contour or heatmap trace (then X and Y are the grid's axes); else null.</summary>
        public Grid? Grid { get; init; }
    }

    /// <summary>
    /// A contour or heatmap trace: <see cref="Z"/>[i][j] is the value at (<see cref="X"/>[j], <see cref="Y"/>[i]),
    /// coloured by <see cref="Colorscale"/> from <see cref="ZMin"/> to <see cref="ZMax"/>. A contour draws lines at
    /// <see cref="Levels"/>, and fills the bands between them unless <see cref="LinesOnly"/>.
    /// </summary>
    public sealed record Grid(double[] X, double[] Y, double[][] Z, IReadOnlyList<(double At, string Color)> Colorscale,
        double ZMin, double ZMax, IReadOnlyList<double> Levels, bool IsContour, bool LinesOnly);

    /// <summary>plotly.js's Viridis, the colorscale used when a trace names one this reader does not know.</summary>
    static readonly (double, string)[] Viridis =
        [(0, "#440154"), (0.25, "#3b528b"), (0.5, "#21918c"), (0.75, "#5ec962"), (1, "#fde725")];

    static Grid ReadGrid(JsonNode node, string type)
    {
        var z = node["z"] is JsonArray rows ? rows.Select(Values).ToArray() : [];
        var columns = z.Length == 0 ? 0 : z.Min(r => r.Length);
        z = z.Select(r => r[..columns]).ToArray();
        var x = node["x"] is JsonArray ? Values(node["x"]) : Enumerable.Range(0, columns).Select(i => (double)i).ToArray();
        var y = node["y"] is JsonArray ? Values(node["y"]) : Enumerable.Range(0, z.Length).Select(i => (double)i).ToArray();
        var finite = z.SelectMany(r => r).Where(double.IsFinite).ToList();
        var (low, high) = finite.Count == 0 ? (0.0, 1.0) : (finite.Min(), finite.Max());
        var zMin = Number(node["zmin"]) is var a && double.IsFinite(a) ? a : low;
        var zMax = Number(node["zmax"]) is var b && double.IsFinite(b) ? b : high;
        var scale = node["colorscale"] is JsonArray stops
            ? stops.OfType<JsonArray>().Where(s => s.Count == 2).Select(s => (Number(s[0]), Text(s[1]) ?? "#444444")).ToList()
            : [];
        if (scale.Count < 2) scale = [.. Viridis];
        if (node["reversescale"]?.ToString() == "true") scale = scale.Select(s => (1 - s.Item1, s.Item2)).Reverse().ToList();
        var isContour = type == "contour";
        var contours = node["contours"];
        var levels = isContour ? ContourLevels(Number(contours?["start"]), Number(contours?["end"]), Number(contours?["size"]),
            Number(node["ncontours"]), low, high) : [];
        var linesOnly = isContour && Text(contours?["coloring"]) == "lines";
        return new Grid(x[..Math.Min(x.Length, columns)], y[..Math.Min(y.Length, z.Length)], z, scale, zMin, zMax, levels, isContour, linesOnly);
    }

    /// <summary>
    /// The contour levels: start, start + size, … up to end when the trace sets them, else about <c>ncontours</c>
    /// (plotly.js's default 15) round values between the lowest and the highest value.
    /// </summary>
    static List<double> ContourLevels(double start, double end, double size, double count, double low, double high)
    {
        if (!(double.IsFinite(start) && double.IsFinite(end) && size > 0 && end >= start))
        {
            if (!(high > low)) return [];
            var target = double.IsFinite(count) && count >= 1 ? count : 15;
            var raw = (high - low) / target;
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            size = (raw / magnitude is var m && m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * magnitude;
            start = Math.Ceiling(low / size) * size;
            end = Math.Floor(high / size) * size;
        }
        var levels = new List<double>();
        for (var k = 0; start + k * size <= end + size * 1e-9 && k < 1000; k++) levels.Add(start + k * size);
        return levels;
    }

    /// <summary>An axis: its title (may be empty) and whether it is logarithmic.</summary>
    public sealed record Axis(string Title, bool Log, string GridColor, double[]? Range);

    public double Width { get; }
    public double Height { get; }
    public string Title { get; }
    public Axis X { get; }
    public Axis Y { get; }
    public string PaperColor { get; }
    public string PlotColor { get; }
    public string FontColor { get; }
    public bool ShowLegend { get; }
    public IReadOnlyList<Trace> Traces { get; }

    /// <summary>Reads a figure from its JSON text.</summary>
    /// <exception cref="ArgumentException">The text is not a JSON object with a <c>data</c> array.</exception>
    public static PlotlyFigure Parse(string figureJson)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(figureJson); }
        catch (System.Text.Json.JsonException e) { throw new ArgumentException($"Not a Plotly figure (invalid JSON: {e.Message}).", nameof(figureJson), e); }
        return From(node);
    }

    /// <summary>Reads a parsed figure.</summary>
    public static PlotlyFigure From(JsonNode? figure) =>
        figure is JsonObject && figure["data"] is JsonArray
            ? new PlotlyFigure(figure)
            : throw new ArgumentException("Not a Plotly figure: expected a JSON object with a \"data\" array.", nameof(figure));

    Axis ReadAxis(string name) => new(
        TitleText(layout?[name]?["title"]),
        Text(Find(name, "type")) == "log",
        Text(Find(name, "gridcolor")) ?? "#e6e6e6",
        layout?[name]?["range"] is JsonArray { Count: 2 } range ? Values(range) : null);

    /// <summary>A layout value by path, from the layout or else from its template.</summary>
    JsonNode? Find(params string[] path) => Walk(layout, path) ?? Walk(template, path);

    static JsonNode? Walk(JsonNode? node, string[] path)
    {
        foreach (var key in path) node = node is JsonObject o ? o[key] : null;
        return node;
    }

    static string TitleText(JsonNode? title) => title switch
    {
        JsonValue v => v.ToString(),
        JsonObject o => Text(o["text"]) ?? "",
        _ => "",
    };

    static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Numbers of a JSON array; null, "NaN" and anything unreadable become NaN (a gap in the curve).</summary>
    static double[] Values(JsonNode? node) =>
        node is JsonArray array ? array.Select(Number).ToArray() : [];

    static double Number(JsonNode? node)
    {
        if (node is not JsonValue value) return double.NaN;
        if (value.TryGetValue<double>(out var d)) return d;
        if (value.TryGetValue<string>(out var s))
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN;
        return double.NaN;
    }
}
