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
internal static class ChartText
{
    /// <summary>Curves of at most this many points that share their x values are printed whole, as a table.</summary>
    internal const int TableRowLimit = 12;

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The text summary of a Plotly figure given as JSON (<c>{"data": [...], "layout": {...}}</c>).</summary>
    /// <exception cref="ArgumentException">The text is not a Plotly figure.</exception>
    internal static string Summarize(string figureJson) => Summarize(PlotlyFigure.Parse(figureJson));

    internal static string Summarize(PlotlyFigure figure)
    {
        var xName = figure.X.Title.Length > 0 ? figure.X.Title : "x";
        var text = new StringBuilder();
        var heading = figure.Title.Length > 0 ? figure.Title : "Chart";
        var yPart = figure.Y.Title.Length > 0 ? $"{figure.Y.Title}{(figure.Y.Log ? " (log scale)" : "")}" : figure.Y.Log ? "y (log scale)" : "y";
        text.Append(heading).Append(": ").Append(yPart).Append(" over ").Append(xName).Append('\n');
        if (figure.Traces.Count == 0) return text.Append("  (no curves)").ToString();
        var yName = figure.Y.Title.Length > 0 ? figure.Y.Title : "y";
        foreach (var trace in figure.Traces.Where(t => t.Grid is not null)) AppendGrid(text, xName, yName, trace.Name, trace.Grid!);
        var traces = figure.Traces.Where(t => t.Grid is null).ToList();
        if (traces.Count == 0) return text.ToString().TrimEnd('\n');

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

    /// <summary>
    /// A contour or heatmap: the grid's size and extent, the lowest and highest value and where they are, the
    /// contour levels; for a heatmap of a few whole values (the classes of a decision-region chart), the share of
    /// the grid each value covers.
    /// </summary>
    static void AppendGrid(StringBuilder text, string xName, string yName, string name, PlotlyFigure.Grid grid)
    {
        var kind = grid.IsContour ? "contour" : "heatmap";
        text.Append("  ").Append(name).Append(": ").Append(kind).Append(" over a ").Append(grid.X.Length).Append(" × ")
            .Append(grid.Y.Length).Append(" grid");
        if (grid.X.Length == 0 || grid.Y.Length == 0)
        {
            text.Append('\n');
            return;
        }
        text.Append(", ").Append(xName).Append(' ').Append(Num(grid.X[0])).Append(" to ").Append(Num(grid.X[^1]))
            .Append(", ").Append(yName).Append(' ').Append(Num(grid.Y[0])).Append(" to ").Append(Num(grid.Y[^1]));
        var points = (from i in Enumerable.Range(0, grid.Y.Length) from j in Enumerable.Range(0, grid.X.Length)
                      where double.IsFinite(grid.Z[i][j]) select (i, j)).ToList();
        if (points.Count == 0)
        {
            text.Append("; no finite values\n");
            return;
        }
        string At((int I, int J) p) => $"{Num(grid.Z[p.I][p.J])} at ({Num(grid.X[p.J])}, {Num(grid.Y[p.I])})";
        var values = points.Select(p => grid.Z[p.i][p.j]).ToList();
        var distinct = values.Distinct().Order().ToList();
        if (!grid.IsContour && distinct.Count <= TableRowLimit && distinct.All(v => v == Math.Round(v)))
        {
            text.Append("; ").Append(string.Join(", ", distinct.Select(v =>
                $"{Num(v)} on {(100.0 * values.Count(u => u == v) / values.Count).ToString("0.0", Inv)} %"))).Append(" of the grid\n");
            return;
        }
        text.Append("; min ").Append(At(points.MinBy(p => grid.Z[p.i][p.j]))).Append(", max ").Append(At(points.MaxBy(p => grid.Z[p.i][p.j])));
        if (grid.IsContour && grid.Levels.Count > 0)
            text.Append("; ").Append(grid.Levels.Count).Append(grid.Levels.Count == 1 ? " level " : " levels ")
                .Append(Num(grid.Levels[0])).Append(grid.Levels.Count > 1 ? $" to {Num(grid.Levels[^1])}" : "");
        text.Append('\n');
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
