using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DlWorkbook.Tests.Apps;
using DlWorkbook.Tests.Site;
using NotebookRunner;
using Xunit.Abstractions;
using FullRunFigure = WorkbookTool.FullRunFigure;
using LatexFormulas = WorkbookTool.LatexFormulas;
using PrintedRun = WorkbookTool.PrintedRun;
using ProseClaims = WorkbookTool.ProseClaims;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>
/// Every number a notebook's markdown states, held against the test command's runs of it (README, "Which numbers are
/// exact"): the dotnet-interactive copy and the plain C# program, which run at different thread counts, so a trained
/// number written into the prose fails here. Full-run figures are declared with their ranges and checked by setup.
/// </summary>
public class ProseClaimsTests(ITestOutputHelper log)
{
    public static TheoryData<string> Notebooks() => new(TestRunOutputs.Notebooks);

    /// <summary>The test command's runs of a notebook: the executed dotnet-interactive copy and the program's output.</summary>
    internal static IReadOnlyList<PrintedRun> Runs(string notebook) =>
    [
        PrintedRun.FromExecutedCopy("dotnet-interactive", TestRunOutputs.ExecutedCopy(notebook, NotebookHost.Interactive)),
        new PrintedRun("plain C# program", GeneratedApps.Run(notebook).Cells),
    ];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EveryFigureInTheProseIsPrintedByBothRunsOrExactOrADeclaredRange(string notebook)
    {
        var source = Path.Combine(RepoPaths.Notebooks, notebook);
        var figures = ProseClaims.Figures(source);
        var problems = ProseClaims.Problems(source, Runs(notebook));
        log.WriteLine($"{notebook}: {figures.Count} figures checked, {problems.Count} problems");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(notebook.StartsWith("08") || figures.Count >= 5, $"{notebook}: only {figures.Count} figures found in its prose");
    }

    [Fact]
    public void EveryFullRunFigureIsStatedAsARangeAndItsQuantityIsPrinted()
    {
        Assert.NotEmpty(ProseClaims.FullRun);
        foreach (var declared in ProseClaims.FullRun)
        {
            var source = Path.Combine(RepoPaths.Notebooks, declared.Notebook);
            var stated = ProseClaims.Figures(source).Where(f => f.Text == declared.Text).ToList();
            Assert.True(stated.Count == 1, $"{declared.Notebook}: ProseClaims.FullRun lists \"{declared.Text}\", stated {stated.Count} times in the prose");
            var figure = stated[0];
            Assert.True(declared.Low < declared.High, $"{figure.Where}: {declared.Text} has no tolerance ({declared.Low}–{declared.High})");
            Assert.True(figure.Value >= declared.Low && (figure.High ?? figure.Value) <= declared.High,
                $"{figure.Where}: the checked range {declared.Low}–{declared.High} does not hold the stated {declared.Text}");
            // Written as a range or with "about", so that a reader takes it as one.
            Assert.True(figure.High is not null || Regex.IsMatch(figure.Sentence, @"\babout " + Regex.Escape(declared.Text)),
                $"{figure.Where}: {declared.Text} is a full-run figure, so write it as \"about {declared.Text}\" or as a range.\n  Sentence: {figure.Sentence}");
            // The quick runs print the same quantity (with other values), so setup's check finds it in a full run.
            foreach (var run in Runs(declared.Notebook))
                Assert.True(Regex.IsMatch(string.Join("\n", run.Cells.Values), declared.Printed),
                    $"{figure.Where}: the {run.Name} run prints no {declared.Quantity} (nothing matches {declared.Printed})");
        }
    }

    [Fact]
    public void EveryGivenFigureIsStatedAndPrintedByNoRun()
    {
        foreach (var (notebook, text, reason) in ProseClaims.Given)
        {
            Assert.False(string.IsNullOrWhiteSpace(reason), $"{notebook}: {text} is listed without a reason");
            var figure = ProseClaims.Figures(Path.Combine(RepoPaths.Notebooks, notebook)).FirstOrDefault(f => f.Text == text);
            Assert.True(figure is not null, $"{notebook}: ProseClaims.Given lists {text}, which its prose no longer states");
            // Listed only while no run prints it: a printed figure is checked against the runs instead.
            var runs = Runs(notebook);
            var printed = runs.Where(r => r.Cells.Values.Any(c => ProseClaims.PrintedNumbers(c).Any(n => Math.Abs(n.Value - figure.Value) < 1e-9)));
            Assert.True(!printed.Any(), $"{figure.Where}: {text} is printed by the {string.Join(" and ", printed.Select(r => r.Name))} run; "
                                        + "remove it from ProseClaims.Given");
        }
    }

    [Fact]
    public void FiguresAreDecimalsPercentagesLargeCountsAndResultsNotNamesOrSections()
    {
        var figures = ProseClaims.FiguresIn("99-probe.ipynb", 3, """
            ## 5.10 A network
            In §4.3 (notebook 04, TorchSharp 0.107, He et al. 2015) `nn.Linear(320, 64)` reaches a test accuracy of 0.849
            after 10 epochs; about 7,850 parameters, $65{,}536$ inputs, 10% error, $9.5 \cdot 10^{-7}$, a loss of 12,
            3 rows (0–10, 11–21) and a range 0.83–0.85.
            """).Select(f => (f.Text, f.Value, f.High)).ToList();
        Assert.Equal([("0.849", 0.849, null), ("7,850", 7850, null), ("65{,}536", 65536, null), ("10%", 10, null),
            (@"9.5 \cdot 10^{-7}", 9.5e-7, null), ("12", 12, null), ("0.83–0.85", 0.83, 0.85)], figures);
    }

    [Fact]
    public void FormulasInTheCellAreEvaluated()
    {
        Assert.Equal(Math.Sqrt(2303.0 / 2304), LatexFormulas.Evaluate(@"\sqrt{2303/2304}"));
        Assert.Equal(0.5 - 1 / (2 * Math.PI), LatexFormulas.Evaluate(@"\tfrac12 - \tfrac1{2\pi}"));
        Assert.Equal(192 * 250.0 * 250 * 64 * 25, LatexFormulas.Evaluate(@"192 \cdot 250^2 \cdot 64 \cdot 25"));
        Assert.Null(LatexFormulas.Evaluate(@"\sqrt{(m-1)/m}"));
        const string cell = @"the factor $\sqrt{(m-1)/m} = \sqrt{2303/2304} \approx 0.99978$ and $\sqrt{20} \approx 4.6$.";
        var figures = ProseClaims.FiguresIn("99-probe.ipynb", 1, cell).ToList();
        Assert.True(LatexFormulas.States(cell, figures.Single(f => f.Text == "0.99978")));
        Assert.False(LatexFormulas.States(cell, figures.Single(f => f.Text == "4.6")));   // √20 ≈ 4.47
    }

    [Fact]
    public void AFigureOnlyOneRunPrintsFailsNamingBothRuns()
    {
        using var fixture = new FixtureNotebooks();
        var path = fixture.Write("99-probe.ipynb",
            FixtureNotebooks.Markdown("# Probe"),
            FixtureNotebooks.Code("Train(0.05);"),
            FixtureNotebooks.Markdown("The first epoch ends at a test accuracy of 0.849, with learning rate 0.05 and $\\sqrt{2} \\approx 1.414$."));
        var twoThreads = new PrintedRun("2 threads", new Dictionary<int, string> { [2] = "epoch 1: test acc 0.849" });
        var oneThread = new PrintedRun("1 thread", new Dictionary<int, string> { [2] = "epoch 1: test acc 0.851" });

        var problems = ProseClaims.Problems(path, [twoThreads, oneThread]);

        var problem = Assert.Single(problems);
        Assert.StartsWith("99-probe.ipynb, markdown cell 2 (counted from 0): 0.849 is printed by the 2 threads run but not by the 1 thread run "
                          + "(its code cell 1 printed: \"epoch 1: test acc 0.851\"); the 2 threads run's code cell 1 printed: \"epoch 1: test acc 0.849\"", problem);
        Assert.Contains("Sentence: The first epoch ends at a test accuracy of 0.849, with learning rate 0.05", problem);
        // A hyperparameter of a code cell holds; printed by both runs holds; so does a formula's value.
        Assert.Empty(ProseClaims.Problems(path, [twoThreads, twoThreads with { Name = "again" }]));
        Assert.Contains("0.05 is printed by no run", Assert.Single(ProseClaims.Problems(Rewrite(path, "Train(0.05);", "Train();"), [twoThreads, twoThreads])));
    }

    static string Rewrite(string path, string from, string to)
    {
        File.WriteAllText(path, File.ReadAllText(path).Replace(from, to));
        return path;
    }

    [Fact]
    public void SetupChecksAFullRunFigureAgainstItsRange()
    {
        using var fixture = new FixtureNotebooks();
        var source = fixture.Write("99-probe.ipynb",
            FixtureNotebooks.Markdown("Full runs end at about 0.91 test accuracy with batch norm."),
            FixtureNotebooks.Code("Report();", FixtureNotebooks.Stream("with batch norm:    test accuracy 0.431\n")));
        var figure = new FullRunFigure("99-probe.ipynb", "0.91", 0.88, 0.94, @"with batch norm: +test accuracy (\d\.\d+)", "the test accuracy");
        var copy = Path.Combine(fixture.Root, "full.ipynb");

        WriteRun(copy, source, "with batch norm:    test accuracy 0.431\nwith batch norm:    test accuracy 0.905\n");
        Assert.Equal((true, "ok   99-probe.ipynb: \"0.91\" (the test accuracy, checked range 0.88–0.94): printed 0.905"),
            ProseClaims.CheckFullRun(figure, copy, source));

        WriteRun(copy, source, "with batch norm:    test accuracy 0.849\n");
        var (holds, line) = ProseClaims.CheckFullRun(figure, copy, source);
        Assert.False(holds);
        Assert.Equal("FAIL 99-probe.ipynb: \"0.91\" (the test accuracy, checked range 0.88–0.94): the full run printed 0.849, outside the "
                     + "checked range. 99-probe.ipynb, markdown cell 0 (counted from 0).\n"
                     + "  Sentence: Full runs end at about 0.91 test accuracy with batch norm.", line);

        WriteRun(copy, source, "nothing of the sort\n");
        Assert.StartsWith("FAIL 99-probe.ipynb: \"0.91\" (the test accuracy, checked range 0.88–0.94): the full run printed no the test accuracy",
            ProseClaims.CheckFullRun(figure, copy, source).Line);
        Assert.Equal((true, "skip 99-probe.ipynb: \"0.91\" (the test accuracy, checked range 0.88–0.94): 99-probe.ipynb was not run"),
            ProseClaims.CheckFullRun(figure, copy + ".missing", source));
        File.WriteAllText(copy, File.ReadAllText(copy).Replace("\"quick\":false", "\"quick\":true"));
        Assert.StartsWith("skip", ProseClaims.CheckFullRun(figure, copy, source).Line);   // a quick run says nothing about full runs
        Assert.Contains("no longer states 0.91", ProseClaims.CheckFullRun(figure, copy,
            Rewrite(source, "about 0.91", "about 0.9")).Line);
    }

    /// <summary>An executed copy of <paramref name="source"/> whose code cell printed <paramref name="printed"/>.</summary>
    static void WriteRun(string copy, string source, string printed)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(source))!;
        notebook["cells"]![1]!["outputs"] = new JsonArray(FixtureNotebooks.Stream(printed));
        notebook["metadata"]!["dlworkbook_run"] = new JsonObject { ["quick"] = false };
        File.WriteAllText(copy, notebook.ToJsonString());
    }
}
