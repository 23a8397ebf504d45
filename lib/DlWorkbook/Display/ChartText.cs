using System.Globalization;
using System.Text;

namespace DlWorkbook.Display;

/// <summary>
/// The numbers a chart shows, as plain text: a reader of a saved notebook, a console or a text export loses
/// nothing when the picture is missing.
/// </summary>
/// <remarks>
/// Short curves that share their x values (a training run of a few epochs) become one table with every value.
/// Longer curves are summed up per curve: the number of points, the first and last value and where the
/// minimum and maximum are.
/// </remarks>
public static class ChartText
{
    /// <summary>Curves of at most this many points that share their x values are printed whole, as a table.</summary>
    public const int TableRowLimit = 12;

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The text summary of a Plotly figure given as JSON (<c>{"data": [...], "layout": {...}}</c>).</summary>
    /// <exception cref="ArgumentException">The text is not a Plotly figure.</exception>
    public static string Summarize(string figureJson) => Summarize(PlotlyFigure.Parse(figureJson));

    internal static string Summarize(PlotlyFigure figure)
    {
        var xName = figure.X.Title.Length > 0 ? figure.X.Title : "x";
        var text = new StringBuilder();
        var heading = figure.Title.Length > 0 ? figure.Title : "Chart";
        var yPart = figure.Y.Title.Length > 0 ? $"{figure.Y.Title}{(figure.Y.Log ? " (log scale)" : "")}" : figure.Y.Log ? "y (log scale)" : "y";
        text.Append(heading).Append(": ").Append(yPart).Append(" over ").Append(xName).Append('\n');
        var traces = figure.Traces;
        if (traces.Count == 0) return text.Append("  (no curves)").ToString();

        var sharedX = traces.All(t => t.X.SequenceEqual(traces[0].X));
        if (sharedX && traces[0].X.Length is > 0 and <= TableRowLimit)
        {
            AppendTable(text, xName, traces);
            return text.ToString().TrimEnd('\n');
        }
        foreach (var trace in traces) AppendCurve(text, xName, trace);
        return text.ToString().TrimEnd('\n');
    }

    static void AppendTable(StringBuilder text, string xName, IReadOnlyList<PlotlyFigure.Trace> traces)
    {
        List<string[]> columns = [[xName, .. traces[0].X.Select(Num)], .. traces.Select(t => (string[])[t.Name, .. t.Y.Select(Num)])];
        var widths = columns.Select(c => c.Max(s => s.Length)).ToArray();
        for (var row = 0; row < columns[0].Length; row++)
        {
            text.Append("  ");
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0) text.Append(" | ");
                text.Append(columns[c][row].PadLeft(widths[c]));
            }
            text.Append('\n');
        }
    }

    static void AppendCurve(StringBuilder text, string xName, PlotlyFigure.Trace trace)
    {
        text.Append("  ").Append(trace.Name).Append(": ");
        if (trace.X.Length == 0)
        {
            text.Append("no points yet\n");
            return;
        }
        var points = Enumerable.Range(0, trace.X.Length).Where(i => double.IsFinite(trace.Y[i])).ToList();
        if (points.Count == 0)
        {
            text.Append(trace.X.Length).Append(" points, none finite\n");
            return;
        }
        int first = points[0], last = points[^1];
        var min = points.MinBy(i => trace.Y[i]);
        var max = points.MaxBy(i => trace.Y[i]);
        string At(int i) => $"{Num(trace.Y[i])} at {xName} {Num(trace.X[i])}";
        text.Append(trace.X.Length).Append(trace.X.Length == 1 ? " point" : " points");
        if (points.Count < trace.X.Length) text.Append(" (").Append(trace.X.Length - points.Count).Append(" not finite)");
        text.Append("; first ").Append(At(first)).Append(", last ").Append(At(last))
            .Append("; min ").Append(At(min)).Append(", max ").Append(At(max)).Append('\n');
    }

    /// <summary>Four significant digits, whole numbers and numbers from 1000 up without decimals, tiny and huge ones with an exponent.</summary>
    internal static string Num(double v)
    {
        if (double.IsNaN(v)) return "NaN";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        var a = Math.Abs(v);
        if ((v == Math.Round(v) || a >= 1000) && a < 1e7) return v.ToString("0", Inv);
        return a is >= 1e-3 and < 1e7 ? v.ToString("G4", Inv) : v.ToString("0.###e0", Inv);
    }
}
