using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace WorkbookTool;

/// <summary>How a curve must behave for a sentence about it to hold, judged from the chart's printed numbers.</summary>
public enum Trend
{
    /// <summary>The last value is below the first.</summary>
    Falls,
    /// <summary>The last value is above the first.</summary>
    Rises,
    /// <summary>The lowest value comes before the end, and the curve climbs from it ("reaches its lowest point early and then climbs").</summary>
    EndsAboveItsLowest,
    /// <summary>The last value is at most a hundredth of the first ("falls by orders of magnitude").</summary>
    FallsHundredfold,
    /// <summary>Every value is at least ten times the one before ("grows by orders of magnitude each epoch").</summary>
    GrowsTenfoldEachStep,
    /// <summary>The last value is below <see cref="TrendClaim.Other"/>'s last value.</summary>
    EndsBelow,
    /// <summary>The last value is above <see cref="TrendClaim.Other"/>'s last value.</summary>
    EndsAbove,
    /// <summary>The lowest value is below <see cref="TrendClaim.Threshold"/>.</summary>
    DropsBelow,
}

/// <summary>
/// A sentence of a notebook's markdown about how a printed curve behaves: <see cref="Phrase"/> (words of the sentence),
/// the chart that shows it (its title, as the chart's printed numbers start) and the curve (the legend name).
/// <see cref="FullRunOnly"/> claims are about the full run (quick mode trains too few epochs to show them): setup checks
/// them; the others hold in the test command's quick runs too.
/// </summary>
public sealed record TrendClaim(string Notebook, string Phrase, string Chart, string Curve, Trend Trend,
    bool FullRunOnly = false, string? Other = null, double Threshold = double.NaN)
{
    /// <summary>The claim, for messages.</summary>
    public override string ToString() => $"{Notebook}: \"{Phrase}\" ({Curve} in \"{Chart}\": {Trend}"
        + (Other is null ? "" : $" {Other}") + (double.IsNaN(Threshold) ? "" : $" {Threshold.ToString(CultureInfo.InvariantCulture)}") + ")";
}

/// <summary>A curve as a chart printed it: every value (a table) or, for a long curve, its first, last, lowest and highest.</summary>
public sealed record PrintedCurve(double First, double Last, double Min, double Max, IReadOnlyList<double>? Values)
{
    /// <summary>Where the lowest value is: at the end, or before it (known from a table, or from a summary's "min … at").</summary>
    public bool LowestAtEnd { get; init; }
}

/// <summary>
/// Holds the sentences of the notebooks' markdown that say a loss, an accuracy or a perplexity rises or falls against
/// the curves the runs print (every chart prints its numbers: a table, or first, last, min and max of a long curve). A
/// sentence with such words either names a curve in <see cref="Claims"/> or is listed in <see cref="General"/> as a
/// statement about no particular run.
/// </summary>
public static class TrendClaims
{
    const string Nb04 = "04-generalisation-and-regularisation.ipynb";
    const string Overfit = "MLP on 1,000 training images";
    const string Dropout = "dropout off (p = 0) versus on (p = 0.5)";

    /// <summary>The sentences about a run's curves, each with the curve and what it must do.</summary>
    public static IReadOnlyList<TrendClaim> Claims { get; } =
    [
        new(Nb04, "the training loss falls all the way", Overfit, "training loss", Trend.Falls),
        new(Nb04, "the test loss reaches its lowest point early and then climbs", Overfit, "test loss", Trend.EndsAboveItsLowest, FullRunOnly: true),
        new(Nb04, "the training error *rises* with $\\lambda$", "effect of weight decay", "training MSE", Trend.Rises, FullRunOnly: true),
        new(Nb04, "the test error falls by orders of magnitude", "effect of weight decay", "test MSE", Trend.FallsHundredfold, FullRunOnly: true),
        new(Nb04, "the test loss turns up", Dropout, "test loss, p = 0", Trend.EndsAboveItsLowest, FullRunOnly: true),
        new(Nb04, "With dropout the training loss falls more slowly", Dropout, "training loss, p = 0.5", Trend.EndsAbove,
            Other: "training loss, p = 0"),
        new(Nb04, "the test loss ends lower", Dropout, "test loss, p = 0.5", Trend.EndsBelow, FullRunOnly: true, Other: "test loss, p = 0"),
        new(Nb04, "it cannot drive its training loss as close to 0", "1,000 training images with and without augmentation",
            "training loss, augmented", Trend.EndsAbove, Other: "training loss, plain images (4.1)"),
        new(Nb04, "the loss grows by orders of magnitude each epoch", "η = 0.8", "loss", Trend.GrowsTenfoldEachStep),
        new("07-recurrent-networks.ipynb", "the perplexity falls below 2 well before the last of them", "char RNN from scratch",
            "perplexity", Trend.DropsBelow, FullRunOnly: true, Threshold: 2),
    ];

    /// <summary>Sentences with rising or falling words that state a rule or a definition, not what a run printed.</summary>
    public static IReadOnlyList<(string Notebook, string Phrase, string Reason)> General { get; } =
    [
        ("00-tensors-and-training.ipynb", "which direction increases the loss", "defines the gradient"),
        ("01-linear-regression.ipynb", "never overshoots", "the three regimes of a learning rate on a quadratic bowl, from the formula"),
        ("01-linear-regression.ipynb", "its gradient shrinks smoothly as the error shrinks", "a property of the MSE's formula"),
        (Nb04, "The test loss then stops following and starts to rise", "introduces overfitting before any run; 4.1's chart then shows it"),
        (Nb04, "Too large a $\\lambda$ would eventually shrink the true weights too", "what a larger λ than the run's would do"),
        (Nb04, "a model that keeps improving on the training set can get worse on new data", "the summary's definition of overfitting"),
    ];

    static readonly Regex TrendWord = new(
        @"\b(falls?|falling|fell|drops?|dropped|dropping|decreas\w+|declin\w+|shrinks?|rises?|rising|rose|climbs?|climbing|"
        + @"increas\w+|grows?|growing|turns? up|improv\w+|worsen\w*)\b", RegexOptions.IgnoreCase);

    static readonly Regex MetricWord = new(@"loss|accurac|perplexit|error", RegexOptions.IgnoreCase);


    /// <summary>The sentences of a notebook's markdown (exercise prompts and exam questions aside) that say a metric rises or falls.</summary>
    public static IReadOnlyList<(int Cell, string Sentence)> Sentences(string notebookPath)
    {
        var cells = NotebookDocument.Load(notebookPath).Cells;
        var found = new List<(int, string)>();
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i]?["cell_type"]?.GetValue<string>() != "markdown") continue;
            var text = NotebookDocument.TextOf(cells[i]!["source"]);
            if (ProseClaims.ProblemCell.IsMatch(text)) continue;
            text = Regex.Replace(text, @"(?s)```.*?```|\$\$.*?\$\$", " ");
            foreach (var sentence in Regex.Split(text, @"(?<=[.!?])\s+|\n\s*\n"))
                if (TrendWord.IsMatch(sentence) && MetricWord.IsMatch(sentence))
                    found.Add((i, Regex.Replace(sentence, @"\s+", " ").Trim()));
        }
        return found;
    }

    /// <summary>Sentences of the notebook that say a metric rises or falls but are neither a claim nor listed as general.</summary>
    public static IReadOnlyList<string> Unaccounted(string notebookPath)
    {
        var name = Path.GetFileName(notebookPath);
        var phrases = Claims.Where(c => c.Notebook == name).Select(c => c.Phrase)
            .Concat(General.Where(g => g.Notebook == name).Select(g => g.Phrase)).ToList();
        return Sentences(notebookPath).Where(s => !phrases.Any(p => Flat(s.Sentence).Contains(Flat(p), StringComparison.Ordinal)))
            .Select(s => $"{name}, markdown cell {s.Cell} (counted from 0): \"{s.Sentence}\" says a curve rises or falls. "
                         + "Add it to TrendClaims.Claims with the chart and curve that show it, or to TrendClaims.General "
                         + "with the reason it states no run's result.")
            .ToList();
    }

    static string Flat(string text) => Regex.Replace(text, @"\s+", " ");

    /// <summary>
    /// Whether a claim holds for a run: null when it does, else why not (quoting what the run printed). A run that
    /// printed no such chart or curve fails too, so a renamed chart cannot pass unchecked.
    /// </summary>
    public static string? Check(TrendClaim claim, PrintedRun run)
    {
        var curve = CurveOf(run, claim.Chart, claim.Curve, out var printed);
        if (curve is null) return $"the {run.Name} run printed no curve \"{claim.Curve}\" in a chart \"{claim.Chart}\" ({printed})";
        var other = claim.Other is null ? null : CurveOf(run, claim.Chart, claim.Other, out printed);
        if (claim.Other is not null && other is null)
            return $"the {run.Name} run printed no curve \"{claim.Other}\" in a chart \"{claim.Chart}\" ({printed})";
        string N(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        return claim.Trend switch
        {
            Trend.Falls => curve.Last < curve.First ? null : $"it went from {N(curve.First)} to {N(curve.Last)}",
            Trend.Rises => curve.Last > curve.First ? null : $"it went from {N(curve.First)} to {N(curve.Last)}",
            Trend.EndsAboveItsLowest => curve.Last > curve.Min && !curve.LowestAtEnd ? null
                : $"its lowest value, {N(curve.Min)}, is its last ({N(curve.Last)}): it never climbed",
            Trend.FallsHundredfold => curve.Last <= curve.First / 100 ? null
                : $"it went from {N(curve.First)} to {N(curve.Last)}, less than a hundredfold",
            Trend.GrowsTenfoldEachStep => curve.Values is null ? "the run printed only a summary of the curve, not each value"
                : Enumerable.Range(1, curve.Values.Count - 1).FirstOrDefault(i => !(curve.Values[i] >= 10 * curve.Values[i - 1])) is var step
                  && step > 0 ? $"value {step + 1}, {N(curve.Values[step])}, is less than ten times value {step}, {N(curve.Values[step - 1])}"
                : curve.Values.Count < 2 ? "it has fewer than two values" : null,
            Trend.EndsBelow => curve.Last < other!.Last ? null : $"it ends at {N(curve.Last)}, {claim.Other} at {N(other.Last)}",
            Trend.EndsAbove => curve.Last > other!.Last ? null : $"it ends at {N(curve.Last)}, {claim.Other} at {N(other.Last)}",
            Trend.DropsBelow => curve.Min < claim.Threshold ? null : $"its lowest value is {N(curve.Min)}",
            _ => throw new ArgumentOutOfRangeException(nameof(claim), claim.Trend, "unknown trend"),
        };
    }

    /// <summary>
    /// The curve named <paramref name="curve"/> in the first printed chart titled <paramref name="chart"/>: a table's
    /// column (charts of up to 12 points print every value) or a summary line ("N points; first … at …, last …; min …,
    /// max …"). Null when the run printed no such chart or curve; <paramref name="printed"/> then says what it printed.
    /// </summary>
    public static PrintedCurve? CurveOf(PrintedRun run, string chart, string curve, out string printed)
    {
        var heading = new Regex(@"^" + Regex.Escape(chart) + @": .* over ", RegexOptions.Multiline);
        foreach (var text in run.Cells.OrderBy(c => c.Key).Select(c => c.Value))
        {
            var at = heading.Match(text);
            if (!at.Success) continue;
            var lines = text[at.Index..].Split('\n').Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
            if (lines.Count > 0 && lines[0].Contains(" | "))
            {
                var header = Cells(lines[0]);
                var column = header.IndexOf(curve);
                printed = $"its columns: {string.Join(", ", header.Skip(1))}";
                if (column < 1) return null;
                var values = lines.Skip(1).Select(Cells).TakeWhile(row => row.Count == header.Count).Select(row => Number(row[column])).ToList();
                if (values.Count == 0) return null;
                var finite = values.Where(double.IsFinite).ToList();
                return new PrintedCurve(values[0], values[^1], finite.Min(), finite.Max(), values)
                {
                    LowestAtEnd = values.LastIndexOf(finite.Min()) == values.Count - 1,
                };
            }
            var summary = Regex.Match(string.Join("\n", lines), @"^  " + Regex.Escape(curve)
                + @": \d+ points?(?: \(\d+ not finite\))?; first (\S+) at .*?, last (\S+) at (.*?); min (\S+) at (.*?), max (\S+) at ",
                RegexOptions.Multiline);
            printed = $"its curves: {string.Join(", ", lines.Select(l => l.Split(':')[0].Trim()))}";
            if (!summary.Success) return null;
            return new PrintedCurve(Number(summary.Groups[1].Value), Number(summary.Groups[2].Value),
                Number(summary.Groups[4].Value), Number(summary.Groups[6].Value), null)
            {
                LowestAtEnd = summary.Groups[5].Value == summary.Groups[3].Value,
            };
        }
        printed = "no chart of that title";
        return null;
    }

    static List<string> Cells(string line) => line.Split('|').Select(c => c.Trim()).ToList();

    static double Number(string text) => double.TryParse(text.Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
        ? v : double.NaN;

    /// <summary>Setup's check of every claim against the full runs in out/notebooks: one line per claim; false when one fails.</summary>
    public static bool CheckFullRuns(Workspace workspace)
    {
        var holds = true;
        foreach (var claim in Claims)
        {
            var copy = workspace.PathOf(Steps.NotebooksOut + "/" + claim.Notebook);
            if (!File.Exists(copy)) { Console.WriteLine($"skip {claim}: not run"); continue; }
            if (!ProseClaims.IsFinishedFullRun(copy))
            {
                Console.WriteLine($"skip {claim}: {copy} is no finished full run");
                continue;
            }
            var problem = Check(claim, PrintedRun.FromExecutedCopy("full", copy));
            Console.WriteLine(problem is null ? $"ok   {claim}" : $"FAIL {claim}: {problem}");
            holds &= problem is null;
        }
        return holds;
    }
}
