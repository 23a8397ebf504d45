using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace WorkbookTool;

/// <summary>
/// A figure a notebook's markdown states: the number as written (a range "0.83–0.85" is one figure), where it is and
/// the sentence around it. <see cref="Cell"/> counts all of the notebook's cells from 0, as the issues do.
/// </summary>
public sealed record ProseFigure(string Notebook, int Cell, string Text, double Value, double? High, string Sentence)
{
    /// <summary>What the written number counts in: 1000 for "78 thousand", a million for "2.6 million".</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Where the figure is, for messages.</summary>
    public string Where => $"{Notebook}, markdown cell {Cell} (counted from 0)";
}

/// <summary>What one run printed, by cell number counted from 1 over all cells (the runner's and the programs' numbering).</summary>
public sealed record PrintedRun(string Name, IReadOnlyDictionary<int, string> Cells)
{
    /// <summary>The outputs of an executed copy as text: formulas as LaTeX, text as it is, HTML without tags; pictures skipped.</summary>
    public static PrintedRun FromExecutedCopy(string name, string executedCopy)
    {
        var cells = new Dictionary<int, string>();
        var all = NotebookDocument.Load(executedCopy).Cells;
        for (var i = 0; i < all.Count; i++)
            if (all[i]?["cell_type"]?.GetValue<string>() == "code" && all[i]!["outputs"] is JsonArray outputs)
                cells[i + 1] = string.Join("\n", ProseClaims.Shown(outputs).Select(s => s.Text));
        return new PrintedRun(name, cells);
    }
}

/// <summary>
/// A full-run figure that quick mode cannot reproduce: the markdown states it as "about" or a range, and setup checks
/// it against the full run's outputs. <see cref="Printed"/> finds the quantity in the outputs (its first group, last
/// match); the run must print a value between <see cref="Low"/> and <see cref="High"/>.
/// </summary>
public sealed record FullRunFigure(string Notebook, string Text, double Low, double High, string Printed, string Quantity);

/// <summary>
/// Holds every number a notebook's markdown states against what runs of it print (README, "Which numbers are exact").
/// A figure passes when every run prints it (a code cell's output), when a code cell's source holds it (a
/// hyperparameter), when it is the value of a formula in its markdown cell, when <see cref="Given"/> lists it with a
/// reason, or when <see cref="FullRun"/> gives it a range that setup checks against full runs.
/// </summary>
public static partial class ProseClaims
{
    /// <summary>
    /// Figures that no run of the notebook prints and that hold whatever the run: facts of the data or the arithmetic
    /// that no code cell prints, and results of other people's runs quoted as such. Keep this list short.
    /// </summary>
    public static IReadOnlyList<(string Notebook, string Text, string Reason)> Given { get; } =
    [
        ("02-softmax-regression.ipynb", "70,000", "Fashion-MNIST's size; quick mode loads a tenth of it"),
        ("03-multilayer-perceptrons.ipynb", "60,000", "Fashion-MNIST's training set; quick mode loads a tenth of it"),
        ("03-multilayer-perceptrons.ipynb", "10,000", "Fashion-MNIST's test set; quick mode loads a tenth of it"),
        ("04-generalisation-and-regularisation.ipynb", "203,530", "notebook 03's MLP, whose runs print it"),
        ("04-generalisation-and-regularisation.ipynb", "51,999", "the last of the 2,000 validation images from image 50,000 on"),
        ("04-generalisation-and-regularisation.ipynb", @"5 \cdot 10^{-4}", "a typical weight decay from the literature, not a run"),
        ("04-generalisation-and-regularisation.ipynb", "0.004", "StepLR's fourth rate, 0.5 · 0.2³ (the code gives 0.5 and 0.2)"),
        ("01-linear-regression.ipynb", "286,000", "the mean squared weight of the 159 fish in grams², a statistic of the data"),
        ("01-linear-regression.ipynb", "-0.010", "the PyTorch reference run's bias, quoted as the reference"),
        ("04-generalisation-and-regularisation.ipynb", "200{,}704", "the weights of Linear(784, 256), 784 · 256"),
        ("05-convolutional-networks.ipynb", "60,000", "Fashion-MNIST's training set; quick mode loads a tenth of it"),
        ("05-convolutional-networks.ipynb", "10,000", "Fashion-MNIST's test set; quick mode loads a tenth of it"),
        ("05-convolutional-networks.ipynb", "0.78", "d2l's reported result, quoted as such"),
        ("06-resnet-and-batch-norm.ipynb", "1,001", "He et al. (2016), a fact of the literature"),
        ("06-resnet-and-batch-norm.ipynb", "62", "LeNet's parameter count in thousands, which notebook 05's runs print"),
        ("06-resnet-and-batch-norm.ipynb", "2.6", "multiply-adds of one forward pass, counted from the layer table's shapes"),
        ("06-resnet-and-batch-norm.ipynb", "0.4", "LeNet's multiply-adds of one forward pass, counted from notebook 05's layer table"),
        ("06-resnet-and-batch-norm.ipynb", "0.043", "the cosine schedule of the sentence at e = 2 of 4"),
        ("06-resnet-and-batch-norm.ipynb", "0.025", "the cosine schedule of the sentence at e = 3 of 4"),
        ("06-resnet-and-batch-norm.ipynb", "0.007", "the cosine schedule of the sentence at e = 4 of 4"),
        ("07-recurrent-networks.ipynb", "1.25", "d2l's own PyTorch run, quoted as such"),
    ];

    /// <summary>Full-run figures, each with the range the full run must print and the output that holds it.</summary>
    public static IReadOnlyList<FullRunFigure> FullRun { get; } =
    [
        new("02-softmax-regression.ipynb", "0.83–0.85", 0.82, 0.86,
            @"epoch \d+: train loss [\d.]+, train acc [\d.]+, test acc (\d\.\d+)", "the library loop's last test accuracy"),
        new("06-resnet-and-batch-norm.ipynb", "0.91", 0.88, 0.94,
            @"with batch norm: +test accuracy (\d\.\d+)", "the last test accuracy with batch norm"),
        new("06-resnet-and-batch-norm.ipynb", "0.85", 0.80, 0.90,
            @"without batch norm: +test accuracy (\d\.\d+)", "the last test accuracy without batch norm"),
    ];

    /// <summary>
    /// Markdown cells that set a problem: exercise prompts and the mock exam's questions. Their numbers are the
    /// question's givens (made-up losses, shapes, parameters), not claims about a run.
    /// </summary>
    internal static readonly Regex ProblemCell = new(@"^\s*(\*\*Exercise \d|#+ Question \d|\*\*\([a-z]\)\*\* · \d+ marks?)");

    /// <summary>Text that names rather than states: code, links, headings, sections, exercise ids, versions, years.</summary>
    static readonly Regex NotAFigure = new(
        @"(?s:```.*?```)|`[^`\n]*`|\]\([^)]*\)|<[^>]+>|^[ \t]*#+ [^\n]*|^[ \t]*- \d+\.\d+ [^\n]*|§\s?\d+(\.\d+)*|Exercises?:?( \d\d\.\d+,?)+"
        + @"|(notebooks?|TorchSharp|PyTorch|libtorch|Python|\.NET|C#|nbformat|ResNet-)\s?\d+(\.\d+)*|\b(19[5-9]\d|20[0-2]\d)\b",
        RegexOptions.Multiline);

    /// <summary>A number as prose writes it: 0.849, 1,650, 65{,}536, −1.5, 9.5 \cdot 10^{-7}, 10%, and ranges 0.83–0.85.</summary>
    static readonly Regex Figure = new(
        @"(?<![\w.^{])(?<a>[-−]?\d{1,3}(?:(?:,|\{,\})\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?)(?<exp>\s*(?:\\cdot|×|\\times)\s*10\^\{?[-−]?\d+\}?)?"
        + @"(?:\$?\s?(?:–|--|\\text\{–\})\s?\$?(?<b>\d+(?:\.\d+)?))?(?<pct>\s?%)?(?![\w])");

    /// <summary>Words that make a small integer a result (an accuracy of 10%, a perplexity of 12, 78 thousand parameters).</summary>
    static readonly Regex ResultWord = new(@"accurac|loss|perplexit|MSE");

    /// <summary>The figures the markdown cells of a notebook state.</summary>
    public static IReadOnlyList<ProseFigure> Figures(string notebookPath)
    {
        var name = Path.GetFileName(notebookPath);
        var cells = NotebookDocument.Load(notebookPath).Cells;
        var figures = new List<ProseFigure>();
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i]?["cell_type"]?.GetValue<string>() != "markdown") continue;
            var text = SourceOf(cells[i]!);
            if (ProblemCell.IsMatch(text)) continue;
            figures.AddRange(FiguresIn(name, i, text));
        }
        return figures;
    }

    /// <summary>The figures in one markdown cell's text.</summary>
    public static IEnumerable<ProseFigure> FiguresIn(string notebook, int cell, string markdown)
    {
        var text = NotAFigure.Replace(markdown, m => new string(' ', m.Length));
        foreach (Match m in Figure.Matches(text))
        {
            var a = m.Groups["a"].Value;
            var value = Parse(a);
            var decimalOrLarge = a.Contains('.') || Math.Abs(value) >= 1000 || m.Groups["exp"].Success || m.Groups["pct"].Success;
            var sentence = SentenceAround(markdown, text, m.Index);
            if (!decimalOrLarge && !(Math.Abs(value) >= 10 && IsResult(text, m))) continue;
            if (m.Groups["exp"].Success)
                value *= Math.Pow(10, double.Parse(Regex.Match(m.Groups["exp"].Value, @"[-−]?\d+(?=\}?$)").Value.Replace('−', '-'),
                    CultureInfo.InvariantCulture));
            double? high = m.Groups["b"].Success ? Parse(m.Groups["b"].Value) : null;
            var scale = Regex.Match(text[(m.Index + m.Length)..], @"^\s*(thousand|million)\b").Groups[1].Value switch
            {
                "thousand" => 1e3,
                "million" => 1e6,
                _ => 1,
            };
            yield return new ProseFigure(notebook, cell, m.Value.Trim(), value, high, sentence) { Scale = scale };
        }
    }

    /// <summary>Why each figure of <paramref name="notebookPath"/> fails against the runs; empty when every one holds.</summary>
    public static IReadOnlyList<string> Problems(string notebookPath, IReadOnlyList<PrintedRun> runs)
    {
        var name = Path.GetFileName(notebookPath);
        var cells = NotebookDocument.Load(notebookPath).Cells;
        var code = string.Join("\n", cells.Where(c => c?["cell_type"]?.GetValue<string>() == "code").Select(c => SourceOf(c!)));
        var literals = Regex.Matches(code, @"(?:(?<![\w.])|(?<=\.\.))\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?").Select(m => Parse(m.Value.Replace("_", ""))).ToHashSet();
        var problems = new List<string>();
        foreach (var figure in Figures(notebookPath))
        {
            var markdown = SourceOf(cells[figure.Cell]!);
            if (FullRun.Any(f => f.Notebook == name && f.Text == figure.Text)) continue;
            if (Given.Any(f => f.Notebook == name && f.Text == figure.Text)) continue;
            if (figure.High is null && LatexFormulas.States(markdown, figure)) continue;
            var printedBy = runs.Select(r => (run: r, cell: CellPrinting(r, figure))).ToList();
            if (printedBy.All(p => p.cell is not null)) continue;
            // A hyperparameter of a code cell is exact by construction, whatever a run happens to print.
            if (figure.High is null && literals.Contains(Math.Abs(figure.Value))) continue;
            if (printedBy.Any(p => p.cell is not null))
            {
                var (found, at) = printedBy.First(p => p.cell is not null);
                var line = LineOf(found.Cells[at!.Value], figure);
                problems.Add($"{figure.Where}: {figure.Text} is printed by the {found.Name} run but not by "
                             + string.Join(" and ", printedBy.Where(p => p.cell is null).Select(p =>
                                 $"the {p.run.Name} run (its code cell {at - 1} printed: {Lines(p.run.Cells.GetValueOrDefault(at.Value, ""), line)})"))
                             + $"; the {found.Name} run's code cell {at - 1} printed: {Lines(found.Cells[at.Value], line)}. "
                             + "A number that depends on the run belongs in a sentence a code cell prints, or in a range that holds."
                             + $"\n  Sentence: {figure.Sentence}");
                continue;
            }
            problems.Add($"{figure.Where}: {figure.Text} is printed by no run ({string.Join(", ", runs.Select(r => r.Name))}), is no "
                         + "hyperparameter of a code cell and no value of a formula in the cell. Print it from a code cell, state a range "
                         + "that holds (and list it in ProseClaims.FullRun), or list it in ProseClaims.Given with the reason it holds "
                         + $"on every machine.\n  Sentence: {figure.Sentence}");
        }
        return problems;
    }

    /// <summary>
    /// Setup's check of the full-run figures and of the rising and falling curves (<see cref="TrendClaims"/>) against
    /// the executed copies in out/notebooks: one line per figure and per curve, and setup stops when a printed value falls
    /// outside the range the prose states or a curve does not do what the prose says. Quick mode skips it.
    /// </summary>
    public static Step Step { get; } = new("prose", (workspace, invocation) =>
    {
        if (invocation.Quick)
        {
            Console.WriteLine("prose: quick mode, so the figures that the prose gives for full runs are not checked");
            return 0;
        }
        var failures = 0;
        foreach (var figure in FullRun)
        {
            var check = CheckFullRun(figure, workspace.PathOf(Steps.NotebooksOut + "/" + figure.Notebook),
                workspace.PathOf("notebooks/" + figure.Notebook));
            Console.WriteLine(check.Line);
            if (!check.Holds) failures++;
        }
        if (!TrendClaims.CheckFullRuns(workspace)) failures++;
        if (failures == 0) return 0;
        Console.Error.WriteLine("setup: figures or rising and falling curves in the notebooks' prose do not hold for this full run "
                                + "(FAIL above): where the run is right, correct the prose and ProseClaims.FullRun or TrendClaims.Claims; "
                                + "otherwise find why the run changed.");
        return 1;
    });

    /// <summary>
    /// Checks one full-run figure against <paramref name="executedCopy"/>, a full run of <paramref name="notebook"/>:
    /// the last value the run printed for the figure's quantity must lie in the figure's range. A notebook that was
    /// not run (setup was asked for other notebooks) is reported and holds.
    /// </summary>
    public static (bool Holds, string Line) CheckFullRun(FullRunFigure figure, string executedCopy, string notebook)
    {
        var stated = Figures(notebook).FirstOrDefault(f => f.Text == figure.Text);
        var range = $"{figure.Low.ToString(CultureInfo.InvariantCulture)}–{figure.High.ToString(CultureInfo.InvariantCulture)}";
        var head = $"{figure.Notebook}: \"{figure.Text}\" ({figure.Quantity}, checked range {range})";
        if (stated is null)
            return (false, $"FAIL {head}: the notebook's prose no longer states {figure.Text}; update ProseClaims.FullRun");
        if (!File.Exists(executedCopy)) return (true, $"skip {head}: {figure.Notebook} was not run");
        if (!IsFinishedFullRun(executedCopy))
            return (true, $"skip {head}: {executedCopy} is no finished full run");
        var printed = string.Join("\n", PrintedRun.FromExecutedCopy("full", executedCopy).Cells.OrderBy(c => c.Key).Select(c => c.Value));
        var last = Regex.Matches(printed, figure.Printed).LastOrDefault();
        if (last is null)
            return (false, $"FAIL {head}: the full run printed no {figure.Quantity} (nothing matches {figure.Printed}).\n  Sentence: {stated.Sentence}");
        var value = Parse(last.Groups[1].Value);
        return value >= figure.Low && value <= figure.High
            ? (true, $"ok   {head}: printed {last.Groups[1].Value}")
            : (false, $"FAIL {head}: the full run printed {last.Groups[1].Value}, outside the checked range. {stated.Where}.\n  Sentence: {stated.Sentence}");
    }

    /// <summary>Whether an executed copy records a finished full run (the runner writes <c>quick: false</c> only then).</summary>
    internal static bool IsFinishedFullRun(string executedCopy) =>
        NotebookDocument.Load(executedCopy).Metadata["dlworkbook_run"]?["quick"]?.GetValue<bool>() is false;

    /// <summary>The first cell (counted from 1) of <paramref name="run"/> that printed the figure, or null.</summary>
    static int? CellPrinting(PrintedRun run, ProseFigure figure)
    {
        // A range is printed when both its ends are, the high end written as its own figure.
        if (figure.High is { } high)
        {
            var low = CellPrinting(run, figure with { Text = figure.Text.Split('–', '-')[0], High = null });
            var top = CellPrinting(run, figure with { Text = Regex.Match(figure.Text, @"[\d.]+$").Value, Value = high, High = null });
            return low is not null && top is not null ? low : null;
        }
        foreach (var (cell, text) in run.Cells.OrderBy(c => c.Key))
            if (PrintedNumbers(text).Any(n => Matches(figure, n))) return cell;
        return null;
    }

    /// <summary>
    /// Whether a printed number is the figure: the same value, or, for a figure of two or more significant digits,
    /// the printed number rounded to the figure's decimals (0.8312 printed, "0.83" written). A range matches its ends.
    /// </summary>
    static bool Matches(ProseFigure figure, (double Value, int Decimals) printed)
    {
        var text = figure.Text;
        var written = Regex.Match(text, @"\d[\d,{}]*(\.\d+)?").Value;
        var decimals = written.Contains('.') ? written.Length - written.IndexOf('.') - 1 : 0;
        var percent = text.EndsWith('%');
        var target = Math.Abs(figure.Value);   // a printed minus sign stands apart from the number
        if (text.Contains("10^"))
        {
            // "about 4 · 10^25" is 3.951e25 printed: the mantissas agree at the figure's decimals.
            var power = Math.Pow(10, Math.Floor(Math.Log10(target)));
            return Math.Abs(Math.Round(printed.Value / power, decimals, MidpointRounding.AwayFromZero) - target / power) < 1e-9;
        }
        foreach (var value in percent ? new[] { printed.Value, printed.Value * 100 } : [printed.Value / figure.Scale])
        {
            if (Math.Abs(value - target) <= 1e-9 * Math.Max(1, target)) return true;
            var significant = written.Replace(",", "").Replace("{", "").Replace("}", "").Replace(".", "").TrimStart('0').Length;
            if (significant >= 2 && (printed.Decimals > decimals || figure.Scale > 1)
                && Math.Abs(Math.Round(value, decimals, MidpointRounding.AwayFromZero) - target) < 1e-9 * Math.Max(1, target))
                return true;
        }
        return false;
    }

    /// <summary>The numbers in printed text, with their decimals: 7,850 and 7850 alike; speeds and durations left out.</summary>
    public static IEnumerable<(double Value, int Decimals)> PrintedNumbers(string text) =>
        Regex.Matches(WithoutTimings(text), @"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.(\d+))?(?:[eE][-+]?\d+)?")
            .Select(m => (Parse(m.Value), m.Value.Contains('.') ? Regex.Match(m.Value, @"\.(\d+)").Groups[1].Length : 0));

    /// <summary>Text without speeds and durations, which differ from run to run.</summary>
    public static string WithoutTimings(string text) =>
        Regex.Replace(text, @"[\d,.]+ (examples|tokens|characters)/s|\b\d+(\.\d+)? ?(ms|s)\b", "");

    /// <summary>A notebook output as text: formulas as their LaTeX, text as it is, HTML without its tags; pictures skipped.</summary>
    public static IEnumerable<(string Text, bool Latex)> Shown(JsonArray outputs)
    {
        foreach (var output in outputs.OfType<JsonObject>())
        {
            if (output["output_type"]?.GetValue<string>() == "stream")
            {
                yield return (Lines(output["text"]), false);
                continue;
            }
            if (output["data"] is not JsonObject data) continue;
            if (data["text/latex"] is { } latex) yield return (Lines(latex), true);
            else if (data["text/plain"] is { } plain) yield return (Lines(plain), false);
            else if (data["text/html"] is { } html) yield return (WebUtility.HtmlDecode(Regex.Replace(Lines(html), "<[^>]*>", " ")), false);
        }
    }

    static string Lines(JsonNode? node) => NotebookDocument.TextOf(node);

    static string SourceOf(JsonNode cell) => NotebookDocument.TextOf(cell["source"]);

    internal static double Parse(string number) =>
        double.Parse(number.Replace("{,}", "").Replace(",", "").Replace('−', '-').TrimEnd('%', ' '), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A whole number right after a result's name ("a perplexity of 12") or before "thousand"/"million".</summary>
    static bool IsResult(string text, Match number)
    {
        var after = text[(number.Index + number.Length)..Math.Min(text.Length, number.Index + number.Length + 12)];
        if (Regex.IsMatch(after, @"^\s*(thousand|million)")) return true;
        if (Regex.IsMatch(after, @"^\s*(epochs?|steps?|layers?|batches|units|images|examples|classes|tokens)\b")) return false;
        return ResultWord.IsMatch(text[Math.Max(0, number.Index - 16)..number.Index]);
    }

    static string SentenceAround(string original, string masked, int index)
    {
        var start = masked.LastIndexOfAny(['.', '\n', '!', '?'], Math.Max(0, index - 1));
        while (start > 0 && start < index && char.IsDigit(masked[start - 1]) && start + 1 < masked.Length && char.IsDigit(masked[start + 1]))
            start = masked.LastIndexOfAny(['.', '\n', '!', '?'], start - 1);
        var end = Regex.Match(masked[index..], @"[.!?](\s|$)|\n\n") is { Success: true } m ? index + m.Index + 1 : masked.Length;
        var sentence = Regex.Replace(original[(start + 1)..end], @"\s+", " ").Trim();
        return sentence.Length > 300 ? sentence[..300] + " …" : sentence;
    }

    /// <summary>The line of <paramref name="text"/> that prints the figure.</summary>
    static int LineOf(string text, ProseFigure figure)
    {
        var lines = text.Split('\n');
        return Math.Max(0, Array.FindIndex(lines, l => PrintedNumbers(l).Any(n => Matches(figure, n))));
    }

    /// <summary>Line <paramref name="at"/> of a cell's output and the lines either side of it, quoted, for a message.</summary>
    static string Lines(string text, int at)
    {
        var lines = text.Split('\n');
        var near = string.Join(" ⏎ ", lines.Skip(Math.Max(0, at - 1)).Take(3).Select(l => l.Trim()).Where(l => l.Length > 0));
        return near.Length == 0 ? "nothing there" : "\"" + (near.Length > 300 ? near[..300] + " …" : near) + "\"";
    }
}
