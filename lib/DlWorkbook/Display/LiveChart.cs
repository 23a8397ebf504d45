using System.Globalization;
using DlWorkbook.Runtime;
using DlWorkbook.Training;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace DlWorkbook.Display;

/// <summary>
/// A chart that grows while training runs, one point per curve at a time. Counterpart of
/// <c>d2l.Animator</c>. In a notebook it is one Plotly chart with a progress line under it, both
/// updated in place (the chart as <see cref="ChartOutput"/>'s MIME types); outside a notebook every point is
/// printed as one line instead. Every training loop of the library shows its run on one (see <c>TrainingDisplay</c>).
/// </summary>
/// <remarks>
/// A saved notebook keeps every update of a displayed value as another output, so the chart is
/// refreshed at most <c>maxUpdates</c> times per run, spread evenly over the expected points, plus
/// once at the end if the last points were not shown yet.
/// </remarks>
/// <example><code>
/// var chart = new LiveChart(["train loss", "test acc"], expectedPoints: epochs);
/// for (var epoch = 1; epoch &lt;= epochs; epoch++) chart.Add(epoch, [TrainEpoch(), Test()]);
/// chart.Finish();
/// </code></example>
public sealed class LiveChart : IEpochView
{
    /// <summary>The most in-place refreshes one chart makes before <see cref="Finish"/>.</summary>
    internal const int DefaultMaxUpdates = 10;

    readonly IReadOnlyList<string> legend;
    readonly string xTitle, yTitle;
    readonly string? title;
    readonly bool logY;
    readonly int expectedPoints, maxUpdates;
    readonly List<double> xs = [];
    readonly List<double>[] ys;
    readonly List<string> warnings = [];
    readonly DisplayedValue? chartView, noteView;
    string note = "starting…";
    int shownPoints;

    /// <summary>
    /// A chart with one curve per <paramref name="legend"/> entry, refreshed at most <paramref name="maxUpdates"/>
    /// times over <paramref name="expectedPoints"/> points (d2l: <c>Animator(xlabel, ylabel, legend, ...)</c>).
    /// In a notebook the empty chart is displayed at once.
    /// </summary>
    public LiveChart(
        IReadOnlyList<string> legend, int expectedPoints, string xTitle = "epoch", string yTitle = "",
        string? title = null, bool logY = false, int maxUpdates = DefaultMaxUpdates)
    {
        ArgumentNullException.ThrowIfNull(legend);
        if (legend.Count == 0) throw new ArgumentException("A live chart needs at least one curve name in its legend.", nameof(legend));
        if (expectedPoints < 1) throw new ArgumentOutOfRangeException(nameof(expectedPoints), expectedPoints, "Expect at least one point (for example the number of epochs).");
        if (maxUpdates < 1) throw new ArgumentOutOfRangeException(nameof(maxUpdates), maxUpdates, "Allow at least one update.");
        this.legend = legend.ToArray();
        this.expectedPoints = expectedPoints;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.title = title;
        this.logY = logY;
        this.maxUpdates = maxUpdates;
        ys = legend.Select(_ => new List<double>()).ToArray();
        if (!CellOutput.InNotebook) return;
        // The same MIME types for the first display and every update (see ChartOutput): no output of the chart needs the network.
        chartView = UpdatableDisplay.Show(ToChart(), [.. ChartOutput.MimeTypes]);
        noteView = UpdatableDisplay.Show(NoteText, PlainTextFormatter.MimeType);
    }

    /// <summary>How many times the displayed chart has been refreshed (always 0 outside a notebook).</summary>
    internal int Updates { get; private set; }

    /// <summary>The points so far, one curve per legend entry.</summary>
    public IReadOnlyList<Series> Series =>
        legend.Select((name, i) => new Series(name, xs.ToArray(), ys[i].ToArray())).ToList();

    /// <summary>
    /// Adds one point to every curve (d2l: <c>animator.add(x, y)</c>). <paramref name="line"/> replaces the
    /// default text: the progress line in a notebook, the printed line elsewhere.
    /// </summary>
    public void Add(double x, IReadOnlyList<double> values, string? line = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != legend.Count)
            throw new ArgumentException(
                $"The chart has {legend.Count} curves ({string.Join(", ", legend)}) but Add got {values.Count} values; pass one per curve.",
                nameof(values));
        xs.Add(x);
        for (var i = 0; i < values.Count; i++) ys[i].Add(values[i]);
        note = line ?? DefaultLine(x, values);
        if (chartView is null) Console.WriteLine(note);
        else if (Updates < maxUpdates && IsDue(xs.Count, expectedPoints, maxUpdates)) Refresh();
    }

    /// <summary>
    /// Shows <paramref name="warning"/> at once and keeps it under the progress line until the end (in a notebook),
    /// or prints it as one line starting with "warning:" (elsewhere).
    /// </summary>
    internal void Warn(string warning)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(warning);
        warnings.Add(warning);
        if (noteView is null) Console.WriteLine($"warning: {warning}");
        else noteView.Update(NoteText);
    }

    void IEpochView.Warn(string warning) => Warn(warning);

    /// <summary>
    /// Shows the final state: refreshes the chart if points are missing from it, and shows or prints
    /// <paramref name="message"/> (for example why training stopped) when one is given. Outside a notebook, when
    /// <see cref="ConsoleDisplay.OutputFolder"/> is set (a program generated from a notebook sets it), the final
    /// chart is written as a file too and its path and numbers are printed.
    /// </summary>
    public void Finish(string? message = null)
    {
        if (message is not null) note = message;
        if (chartView is null)
        {
            if (message is not null) Console.WriteLine(message);
            if (ConsoleDisplay.OutputFolder is not null) ConsoleDisplay.Show(ToChart());
        }
        else if (shownPoints < xs.Count || message is not null) Refresh();
    }

    /// <summary>The chart with every point added so far.</summary>
    internal GenericChart ToChart() => Plots.Curves(Series, xTitle, yTitle, title, logY);

    /// <summary>
    /// Whether point number <paramref name="point"/> (from 1) is the first of one of <paramref name="maxUpdates"/>
    /// equal shares of <paramref name="expectedPoints"/>, or the expected last one. The first point is always
    /// due, so a learner sees the chart fill in from the first epoch.
    /// </summary>
    internal static bool IsDue(int point, int expectedPoints, int maxUpdates) =>
        point >= expectedPoints || Share(point, expectedPoints, maxUpdates) > Share(point - 1, expectedPoints, maxUpdates);

    static long Share(int point, int expectedPoints, int maxUpdates) =>
        ((long)point * maxUpdates + expectedPoints - 1) / expectedPoints;

    void Refresh()
    {
        chartView!.Update(ToChart());
        noteView!.Update(NoteText);
        Updates++;
        shownPoints = xs.Count;
    }

    string NoteText => string.Concat(warnings.Select(w => $"\n⚠ warning: {w}").Prepend(note));

    string DefaultLine(double x, IReadOnlyList<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"{xTitle} {x:G6}: ")
        + string.Join(", ", legend.Select((name, i) => string.Create(CultureInfo.InvariantCulture, $"{name} {values[i]:F4}")));
}
