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
/// title. Other trace types are named in the picture instead of being drawn.
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
        var xScale = Scale.Fit(figure.X, drawn.SelectMany(t => t.X), pad: drawn.Any(t => t.Markers) ? 0.02 : 0);
        var yScale = Scale.Fit(figure.Y, drawn.SelectMany(t => t.Y), pad: 0.05);
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

        // Curves, clipped to the plot area; a NaN, an infinity or a value a log axis cannot show breaks the line.
        var curves = new StringBuilder();
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
                curves.Append(Inv, $"<path d=\"{dots}\" stroke=\"{Attr(trace.Color)}\" stroke-width=\"{N(MarkerSize)}\" stroke-linecap=\"round\"/>");
        }
        // The clip path needs an id unique on a page that shows several charts; derived from the content so
        // that the same chart gives the same picture in every run.
        var clip = $"dlw-clip-{StableHash(curves.ToString()):x8}";
        svg.Append(Inv, $"<clipPath id=\"{clip}\"><rect x=\"{N(plot.Left)}\" y=\"{N(plot.Top)}\" width=\"{N(plot.Width)}\" height=\"{N(plot.Height)}\"/></clipPath>");
        svg.Append(Inv, $"<g clip-path=\"url(#{clip})\" fill=\"none\" stroke-linejoin=\"round\">").Append(curves).Append("</g>");

        var skipped = figure.Traces.Where(t => !t.IsScatter).Select(t => t.Type).Distinct().ToList();
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
