using System.Globalization;
using System.Net;
using System.Text;

namespace DlWorkbook.Display;

/// <summary>
/// Draws a Plotly figure as a static SVG picture: the fallback a chart output carries for viewers that run no
/// scripts (GitHub's notebook view, HTML exports, VS Code without the Jupyter renderers extension).
/// </summary>
/// <remarks>
/// Our own code because no .NET library on NuGet turns a Plotly figure into a static image without a browser
/// (Plotly's image export needs Kaleido, a headless Chromium). It covers what the workbook draws: line and
/// scatter traces with markers, a legend, axis titles, linear and logarithmic axes, NaN values as gaps, and a
/// title; heatmaps as coloured cells and contour plots as contour lines (marching squares) over their filled
/// bands, each cell around a grid point coloured by its own value. Other trace types are named in the picture
/// instead of being drawn.
/// </remarks>
public static class SvgChart
{
    const double FontSize = 12, TitleSize = 16, TickLength = 5, MarkerSize = 6;
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The SVG picture of a Plotly figure given as JSON (<c>{"data": [...], "layout": {...}}</c>).</summary>
    /// <exception cref="ArgumentException">The text is not a Plotly figure.</exception>
    public static string Render(string figureJson) => Render(PlotlyFigure.Parse(figureJson));

    internal static string Render(PlotlyFigure figure)
    {
        var drawn = figure.Traces.Where(t => t.IsScatter).ToList();
        var grids = figure.Traces.Select(t => t.Grid).OfType<PlotlyFigure.Grid>().ToList();
        var xScale = Scale.Fit(figure.X, drawn.SelectMany(t => t.X).Concat(grids.SelectMany(g => CellEdges(g.X))),
            pad: drawn.Any(t => t.Markers) ? 0.02 : 0);
        var yScale = Scale.Fit(figure.Y, drawn.SelectMany(t => t.Y).Concat(grids.SelectMany(g => CellEdges(g.Y))),
            pad: grids.Count > 0 && drawn.Count == 0 ? 0 : 0.05);
        var xTicks = xScale.Ticks(Math.Max(2, (int)(figure.Width / 90)));
        var yTicks = yScale.Ticks(Math.Max(2, (int)(figure.Height / 60)));

        var legend = figure.ShowLegend ? figure.Traces.Where(t => t.InLegend).ToList() : [];
        var legendWidth = legend.Count == 0 ? 0 : Math.Min(figure.Width * 0.4, 40 + legend.Max(t => TextWidth(t.Name)));
        var yLabelWidth = yTicks.Count == 0 ? 0 : yTicks.Max(t => TextWidth(t.Label));
        var left = 14 + yLabelWidth + TickLength + (figure.Y.Title.Length > 0 ? FontSize + 10 : 0);
        var right = 16 + legendWidth;
        var top = figure.Title.Length > 0 ? 48 : 18;
        var bottom = 28 + (figure.X.Title.Length > 0 ? FontSize + 14 : 0);
        var plot = new Box(left, top, Math.Max(40, figure.Width - left - right), Math.Max(40, figure.Height - top - bottom));
        double Px(double x) => plot.Left + xScale.Fraction(x) * plot.Width;
        double Py(double y) => plot.Bottom - yScale.Fraction(y) * plot.Height;

        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(figure.Width)}\" height=\"{N(figure.Height)}\" ")
           .Append(Inv, $"viewBox=\"0 0 {N(figure.Width)} {N(figure.Height)}\" font-family=\"'Open Sans', Verdana, Arial, sans-serif\" ")
           .Append(Inv, $"font-size=\"{N(FontSize)}\" fill=\"{Attr(figure.FontColor)}\" role=\"img\"")
           .Append(figure.Title.Length > 0 ? $" aria-label=\"{Attr(figure.Title)}\">" : ">");
        svg.Append(Inv, $"<rect width=\"100%\" height=\"100%\" fill=\"{Attr(figure.PaperColor)}\"/>");
        svg.Append(Inv, $"<rect x=\"{N(plot.Left)}\" y=\"{N(plot.Top)}\" width=\"{N(plot.Width)}\" height=\"{N(plot.Height)}\" fill=\"{Attr(figure.PlotColor)}\"/>");

        // Grid lines, tick labels and axis titles.
        var grid = new StringBuilder();
        foreach (var tick in xTicks) grid.Append(Inv, $"M{N(Px(tick.Value))} {N(plot.Top)}V{N(plot.Bottom)}");
        foreach (var tick in yTicks) grid.Append(Inv, $"M{N(plot.Left)} {N(Py(tick.Value))}H{N(plot.Right)}");
        if (grid.Length > 0) svg.Append(Inv, $"<path d=\"{grid}\" stroke=\"{Attr(figure.Y.GridColor)}\" stroke-width=\"1\" fill=\"none\"/>");
        svg.Append(Inv, $"<path d=\"M{N(plot.Left)} {N(plot.Top)}V{N(plot.Bottom)}H{N(plot.Right)}\" stroke=\"#888\" fill=\"none\"/>");
        foreach (var tick in xTicks)
            svg.Append(Inv, $"<text x=\"{N(Px(tick.Value))}\" y=\"{N(plot.Bottom + TickLength + FontSize + 2)}\" text-anchor=\"middle\">{Esc(tick.Label)}</text>");
        foreach (var tick in yTicks)
            svg.Append(Inv, $"<text x=\"{N(plot.Left - TickLength - 3)}\" y=\"{N(Py(tick.Value) + FontSize / 3)}\" text-anchor=\"end\">{Esc(tick.Label)}</text>");
        if (figure.X.Title.Length > 0)
            svg.Append(Inv, $"<text x=\"{N(plot.Left + plot.Width / 2)}\" y=\"{N(figure.Height - 10)}\" text-anchor=\"middle\" font-size=\"{N(FontSize + 1)}\">{Esc(figure.X.Title)}</text>");
        if (figure.Y.Title.Length > 0)
        {
            var (cx, cy) = (12 + FontSize / 2, plot.Top + plot.Height / 2);
            svg.Append(Inv, $"<text transform=\"translate({N(cx)} {N(cy)}) rotate(-90)\" text-anchor=\"middle\" font-size=\"{N(FontSize + 1)}\">{Esc(figure.Y.Title)}</text>");
        }
        if (figure.Title.Length > 0)
            svg.Append(Inv, $"<text x=\"{N(plot.Left)}\" y=\"{N(top - 20)}\" font-size=\"{N(TitleSize)}\">{Esc(figure.Title)}</text>");

        // Heatmaps and contours first, under the curves.
        var curves = new StringBuilder();
        foreach (var g in grids) DrawGrid(curves, g, xScale, yScale, Px, Py);

        // Curves, clipped to the plot area; a NaN, an infinity or a value a log axis cannot show breaks the line.
        foreach (var trace in drawn)
        {
            var line = new StringBuilder();
            var dots = new StringBuilder();
            var penDown = false;
            for (var i = 0; i < trace.X.Length; i++)
            {
                if (!xScale.CanShow(trace.X[i]) || !yScale.CanShow(trace.Y[i])) { penDown = false; continue; }
                var (px, py) = (Px(trace.X[i]), Py(trace.Y[i]));
                line.Append(Inv, $"{(penDown ? 'L' : 'M')}{N(px)} {N(py)}");
                dots.Append(Inv, $"M{N(px)} {N(py)}h0");
                penDown = true;
            }
            if (trace.Lines && line.Length > 0)
                curves.Append(Inv, $"<path d=\"{line}\" stroke=\"{Attr(trace.Color)}\" stroke-width=\"2\"/>");
            // A zero-length segment with a round cap is a dot: one path for all markers keeps the picture small.
            if (trace.Markers && dots.Length > 0)
                curves.Append(Inv, $"<path d=\"{dots}\" stroke=\"{Attr(trace.Color)}\" stroke-width=\"{N(trace.MarkerSize ?? MarkerSize)}\" stroke-linecap=\"round\"/>");
        }
        // The clip path needs an id unique on a page that shows several charts; derived from the content so
        // that the same chart gives the same picture in every run.
        var clip = $"dlw-clip-{StableHash(curves.ToString()):x8}";
        svg.Append(Inv, $"<clipPath id=\"{clip}\"><rect x=\"{N(plot.Left)}\" y=\"{N(plot.Top)}\" width=\"{N(plot.Width)}\" height=\"{N(plot.Height)}\"/></clipPath>");
        svg.Append(Inv, $"<g clip-path=\"url(#{clip})\" fill=\"none\" stroke-linejoin=\"round\">").Append(curves).Append("</g>");

        var skipped = figure.Traces.Where(t => !t.IsScatter && t.Grid is null).Select(t => t.Type).Distinct().ToList();
        if (skipped.Count > 0)
            svg.Append(Inv, $"<text x=\"{N(plot.Left + 8)}\" y=\"{N(plot.Top + FontSize + 6)}\">({Esc(string.Join(", ", skipped))} traces are drawn only in the interactive chart)</text>");

        // Legend, to the right of the plot as plotly.js places it.
        for (var i = 0; i < legend.Count; i++)
        {
            var (lx, ly) = (plot.Right + 16, plot.Top + 10 + i * (FontSize + 8));
            var trace = legend[i];
            if (trace.Lines) svg.Append(Inv, $"<path d=\"M{N(lx)} {N(ly)}h24\" stroke=\"{Attr(trace.Color)}\" stroke-width=\"2\"/>");
            if (trace.Markers) svg.Append(Inv, $"<path d=\"M{N(lx + 12)} {N(ly)}h0\" stroke=\"{Attr(trace.Color)}\" stroke-width=\"{N(MarkerSize)}\" stroke-linecap=\"round\"/>");
            svg.Append(Inv, $"<text x=\"{N(lx + 30)}\" y=\"{N(ly + FontSize / 3)}\">{Esc(trace.Name)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// A heatmap or contour: every grid point is the centre of a cell that reaches halfway to its neighbours, as
    /// plotly.js draws a heatmap; equal neighbours in a row share one rectangle, so two-class regions stay small.
    /// A contour's cells take the colour of their band between two levels, and its lines are traced by marching
    /// squares over the grid.
    /// </summary>
    static void DrawGrid(StringBuilder svg, PlotlyFigure.Grid grid, Scale xScale, Scale yScale, Func<double, double> px, Func<double, double> py)
    {
        var (x, y, z) = (grid.X, grid.Y, grid.Z);
        if (x.Length == 0 || y.Length == 0) return;
        if (!grid.LinesOnly)
        {
            var (xEdges, yEdges) = (CellEdges(x), CellEdges(y));
            var cells = new StringBuilder();
            for (var i = 0; i < y.Length; i++)
            {
                if (!yScale.CanShow(yEdges[i]) || !yScale.CanShow(yEdges[i + 1])) continue;
                var (top, bottom) = (Math.Round(Math.Min(py(yEdges[i]), py(yEdges[i + 1])), 1),
                                     Math.Round(Math.Max(py(yEdges[i]), py(yEdges[i + 1])), 1));
                for (var j = 0; j < x.Length;)
                {
                    var color = CellColor(grid, z[i][j]);
                    var end = j + 1;
                    while (end < x.Length && CellColor(grid, z[i][end]) == color) end++;
                    if (color is not null && xScale.CanShow(xEdges[j]) && xScale.CanShow(xEdges[end]))
                    {
                        var (left, right) = (Math.Min(px(xEdges[j]), px(xEdges[end])), Math.Max(px(xEdges[j]), px(xEdges[end])));
                        // Rounded edges first, so that neighbouring cells share the very same edge.
                        (left, right) = (Math.Round(left, 1), Math.Round(right, 1));
                        cells.Append(Inv, $"<rect x=\"{N(left)}\" y=\"{N(top)}\" width=\"{N(right - left)}\" height=\"{N(bottom - top)}\" fill=\"{Attr(color)}\"/>");
                    }
                    j = end;
                }
            }
            // crispEdges: neighbouring rectangles meet without the hairline seams anti-aliasing would leave.
            svg.Append("<g shape-rendering=\"crispEdges\" stroke=\"none\">").Append(cells).Append("</g>");
        }
        if (!grid.IsContour) return;
        foreach (var level in grid.Levels)
        {
            var segments = ContourSegments(x, y, z, level)
                .Where(s => xScale.CanShow(s.From.X) && xScale.CanShow(s.To.X) && yScale.CanShow(s.From.Y) && yScale.CanShow(s.To.Y))
                .Select(s => ($"{N(px(s.From.X))} {N(py(s.From.Y))}", $"{N(px(s.To.X))} {N(py(s.To.Y))}"));
            var d = JoinSegments(segments);
            if (d.Length == 0) continue;
            var (stroke, width) = grid.LinesOnly ? (ScaleColor(grid, level), 1.5) : ("rgba(0,0,0,0.3)", 0.7);
            svg.Append(Inv, $"<path d=\"{d}\" stroke=\"{Attr(stroke)}\" stroke-width=\"{N(width)}\" stroke-linecap=\"round\"/>");
        }
    }

    /// <summary>
    /// Path data for line segments given by their end points (as "x y" text): segments that meet end to end are
    /// joined into one line, which halves the text a contour needs.
    /// </summary>
    static string JoinSegments(IEnumerable<(string From, string To)> segments)
    {
        var list = segments.Where(s => s.From != s.To).ToList();
        var atPoint = new Dictionary<string, List<int>>();
        for (var k = 0; k < list.Count; k++)
            foreach (var point in new[] { list[k].From, list[k].To })
                (atPoint.TryGetValue(point, out var here) ? here : atPoint[point] = []).Add(k);
        var used = new bool[list.Count];
        string? Next(string point)
        {
            foreach (var k in atPoint[point])
                if (!used[k])
                {
                    used[k] = true;
                    return list[k].From == point ? list[k].To : list[k].From;
                }
            return null;
        }
        var d = new StringBuilder();
        for (var k = 0; k < list.Count; k++)
        {
            if (used[k]) continue;
            used[k] = true;
            // Walk backwards from the segment's start as far as the line goes, then forwards from its end.
            var line = new LinkedList<string>([list[k].From, list[k].To]);
            for (var p = Next(line.First!.Value); p is not null; p = Next(p)) line.AddFirst(p);
            for (var p = Next(line.Last!.Value); p is not null; p = Next(p)) line.AddLast(p);
            d.Append('M').Append(line.First!.Value);
            foreach (var point in line.Skip(1)) d.Append('L').Append(point);
        }
        return d.ToString();
    }

    /// <summary>The boundaries of the cells around the grid values: halfway between neighbours, half a step beyond the ends.</summary>
    static double[] CellEdges(double[] centres)
    {
        if (centres.Length == 0) return [];
        if (centres.Length == 1) return [centres[0] - 0.5, centres[0] + 0.5];
        var edges = new double[centres.Length + 1];
        edges[0] = centres[0] - (centres[1] - centres[0]) / 2;
        for (var j = 1; j < centres.Length; j++) edges[j] = (centres[j - 1] + centres[j]) / 2;
        edges[^1] = centres[^1] + (centres[^1] - centres[^2]) / 2;
        return edges;
    }

    /// <summary>A cell's fill: the value's colour on a heatmap, its band's colour on a contour; null for NaN (left empty).</summary>
    static string? CellColor(PlotlyFigure.Grid grid, double value)
    {
        if (!double.IsFinite(value)) return null;
        if (!grid.IsContour || grid.Levels.Count == 0) return ScaleColor(grid, value);
        var levels = grid.Levels;
        var step = levels.Count > 1 ? levels[1] - levels[0] : 1;
        var below = levels.LastOrDefault(l => l <= value, levels[0] - step);
        return ScaleColor(grid, below + step / 2);
    }

    /// <summary>The colorscale's colour for a value, interpolated between the two stops around it.</summary>
    static string ScaleColor(PlotlyFigure.Grid grid, double value)
    {
        var stops = grid.Colorscale;
        var at = grid.ZMax > grid.ZMin ? Math.Clamp((value - grid.ZMin) / (grid.ZMax - grid.ZMin), 0, 1) : 0.5;
        for (var k = 1; k < stops.Count; k++)
        {
            if (at > stops[k].At && k < stops.Count - 1) continue;
            var (from, to) = (stops[k - 1], stops[k]);
            if (from.Color == to.Color) return from.Color;
            var t = to.At > from.At ? Math.Clamp((at - from.At) / (to.At - from.At), 0, 1) : 1;
            if (Rgb(from.Color) is not { } a || Rgb(to.Color) is not { } b) return t < 0.5 ? from.Color : to.Color;
            int Mix(int p, int q) => (int)Math.Round(p + (q - p) * t);
            return $"#{Mix(a.R, b.R):x2}{Mix(a.G, b.G):x2}{Mix(a.B, b.B):x2}";
        }
        return stops[^1].Color;
    }

    /// <summary>The red, green and blue of "#rgb", "#rrggbb", "rgb(…)" or "rgba(…)"; null for anything else.</summary>
    static (int R, int G, int B)? Rgb(string color)
    {
        var c = color.Trim();
        if (c.StartsWith('#') && c.Length is 4 or 7)
        {
            var hex = c.Length == 4 ? string.Concat(c[1..].Select(ch => $"{ch}{ch}")) : c[1..];
            return int.TryParse(hex, NumberStyles.HexNumber, Inv, out var v) ? ((v >> 16) & 255, (v >> 8) & 255, v & 255) : null;
        }
        var open = c.IndexOf('(');
        if (open < 0 || !c.EndsWith(')') || !c.StartsWith("rgb", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = c[(open + 1)..^1].Split(',');
        if (parts.Length < 3) return null;
        var rgb = parts.Take(3).Select(p => double.TryParse(p.Trim(), NumberStyles.Float, Inv, out var v) ? (int)Math.Round(Math.Clamp(v, 0, 255)) : -1).ToArray();
        return rgb.Any(v => v < 0) ? null : (rgb[0], rgb[1], rgb[2]);
    }

    /// <summary>
    /// The line segments where the grid crosses <paramref name="level"/> (marching squares): in every cell of four
    /// neighbouring grid points, the crossing points on its edges by linear interpolation, joined in pairs; a saddle
    /// (opposite corners on the same side) is split by the value at the cell's centre.
    /// </summary>
    internal static IEnumerable<((double X, double Y) From, (double X, double Y) To)> ContourSegments(
        double[] x, double[] y, double[][] z, double level)
    {
        for (var i = 0; i + 1 < y.Length; i++)
            for (var j = 0; j + 1 < x.Length; j++)
            {
                // Corners counter-clockwise from (x_j, y_i); edge k runs from corner k to corner k + 1.
                (double X, double Y, double V)[] c =
                [
                    (x[j], y[i], z[i][j]), (x[j + 1], y[i], z[i][j + 1]),
                    (x[j + 1], y[i + 1], z[i + 1][j + 1]), (x[j], y[i + 1], z[i + 1][j]),
                ];
                if (c.Any(p => !double.IsFinite(p.V))) continue;
                var cross = new (double X, double Y)?[4];
                for (var k = 0; k < 4; k++)
                {
                    var (p, q) = (c[k], c[(k + 1) % 4]);
                    if ((p.V < level) == (q.V < level)) continue;
                    var t = (level - p.V) / (q.V - p.V);
                    cross[k] = (p.X + t * (q.X - p.X), p.Y + t * (q.Y - p.Y));
                }
                var hits = Enumerable.Range(0, 4).Where(k => cross[k] is not null).ToList();
                if (hits.Count == 2) yield return (cross[hits[0]]!.Value, cross[hits[1]]!.Value);
                else if (hits.Count == 4)
                {
                    // Corners 0 and 2 are on one side, 1 and 3 on the other. If the centre is on corner 0's side,
                    // 0 and 2 are joined through the middle and the lines cut off corners 1 and 3.
                    var centreWithCorner0 = (c.Average(p => p.V) < level) == (c[0].V < level);
                    if (centreWithCorner0)
                    {
                        yield return (cross[0]!.Value, cross[1]!.Value);
                        yield return (cross[2]!.Value, cross[3]!.Value);
                    }
                    else
                    {
                        yield return (cross[3]!.Value, cross[0]!.Value);
                        yield return (cross[1]!.Value, cross[2]!.Value);
                    }
                }
            }
    }

    /// <summary>A rough width of a text line in the chart font, enough to leave room for labels.</summary>
    static double TextWidth(string text) => text.Length * FontSize * 0.6;

    static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    static string N(double v) => Math.Round(v, 1).ToString("0.#", Inv);
    static string Esc(string text) => WebUtility.HtmlEncode(text);
    static string Attr(string text) => WebUtility.HtmlEncode(text);

    readonly record struct Box(double Left, double Top, double Width, double Height)
    {
        public double Right => Left + Width;
        public double Bottom => Top + Height;
    }

    internal readonly record struct Tick(double Value, string Label);

    /// <summary>Maps data values to a 0..1 fraction of an axis, linearly or by their logarithm.</summary>
    internal sealed class Scale
    {
        readonly bool log;
        readonly double min, max;

        Scale(bool log, double min, double max) => (this.log, this.min, this.max) = (log, min, max);

        /// <summary>True when every value is a whole number (epochs, layers): ticks are then whole numbers too.</summary>
        bool Whole { get; init; }

        /// <summary>
        /// The axis range: the layout's own range when it sets one (in log10 units on a log axis, as in plotly.js),
        /// else the finite values with <paramref name="pad"/> of the span added on each side.
        /// </summary>
        public static Scale Fit(PlotlyFigure.Axis axis, IEnumerable<double> values, double pad)
        {
            if (axis.Range is [var from, var to] && double.IsFinite(from) && double.IsFinite(to) && from != to)
                return new Scale(axis.Log, Math.Min(from, to), Math.Max(from, to));
            var finite = values.Where(v => double.IsFinite(v) && (!axis.Log || v > 0)).ToList();
            var whole = finite.Count > 0 && finite.All(v => v == Math.Round(v));
            var shown = finite.Select(v => axis.Log ? Math.Log10(v) : v).ToList();
            if (shown.Count == 0) return new Scale(axis.Log, 0, 1);
            double lo = shown.Min(), hi = shown.Max();
            if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi)))
            {
                var half = axis.Log ? 0.5 : Math.Max(Math.Abs(hi) * 0.1, 1e-9) + (hi == 0 ? 1 : 0);
                return new Scale(axis.Log, lo - half, hi + half) { Whole = whole };
            }
            var padding = (hi - lo) * pad;
            return new Scale(axis.Log, lo - padding, hi + padding) { Whole = whole };
        }

        public bool CanShow(double v) => double.IsFinite(v) && (!log || v > 0);

        public double Fraction(double v) => ((log ? Math.Log10(v) : v) - min) / (max - min);

        /// <summary>About <paramref name="target"/> round tick values inside the range: steps of 1, 2 or 5 times a power of ten; decades on a log axis.</summary>
        public IReadOnlyList<Tick> Ticks(int target) => log ? LogTicks(target) : LinearTicks(target);

        IReadOnlyList<Tick> LinearTicks(int target)
        {
            var step = NiceStep((max - min) / target);
            if (Whole) step = Math.Max(1, step);
            var decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(step) + 1e-9));
            var ticks = new List<Tick>();
            for (var k = Math.Ceiling(min / step - 1e-9); k * step <= max + step * 1e-9; k++)
            {
                var value = k * step;
                ticks.Add(new Tick(value, FormatTick(value, decimals)));
            }
            return ticks;
        }

        IReadOnlyList<Tick> LogTicks(int target)
        {
            var first = (int)Math.Ceiling(min - 1e-9);
            var last = (int)Math.Floor(max + 1e-9);
            var decades = last - first + 1;
            var ticks = new List<Tick>();
            if (decades < 3)
            {
                // Few decades: 1, 2 and 5 times each power of ten, as far as they fall inside the range.
                for (var e = first - 1; e <= last; e++)
                    foreach (var m in new[] { 1.0, 2, 5 })
                    {
                        var value = m * Math.Pow(10, e);
                        var l = Math.Log10(value);
                        if (l >= min - 1e-9 && l <= max + 1e-9) ticks.Add(new Tick(value, FormatPower(value)));
                    }
                return ticks;
            }
            var every = Math.Max(1, (int)Math.Ceiling(decades / (double)target));
            for (var e = first; e <= last; e += every) ticks.Add(new Tick(Math.Pow(10, e), FormatPower(Math.Pow(10, e))));
            return ticks;
        }

        static double NiceStep(double raw)
        {
            if (!(raw > 0) || !double.IsFinite(raw)) return 1;
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            var n = raw / magnitude;
            return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * magnitude;
        }

        static string FormatTick(double value, int decimals)
        {
            if (Math.Abs(value) < 1e-12) return "0";
            var a = Math.Abs(value);
            if (a >= 1e6 && decimals == 0) return (value / 1e6).ToString("0.###", Inv) + "M";
            if (a >= 1e4 && decimals == 0) return (value / 1e3).ToString("0.###", Inv) + "k";
            return decimals > 6 ? value.ToString("0.###e0", Inv) : value.ToString("F" + decimals, Inv);
        }

        static string FormatPower(double value) => value switch
        {
            >= 1e9 => (value / 1e9).ToString("0.##", Inv) + "B",
            >= 1e6 => (value / 1e6).ToString("0.##", Inv) + "M",
            >= 1e4 => (value / 1e3).ToString("0.##", Inv) + "k",
            >= 1e-4 => value.ToString("0.#####", Inv),
            _ => value.ToString("0e0", Inv),
        };
    }
}
