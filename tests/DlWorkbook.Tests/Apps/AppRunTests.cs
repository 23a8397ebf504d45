using System.Text.RegularExpressions;
using DlWorkbook.Exercises;
using DlWorkbook.Tests.Notebooks;
using NotebookRunner;
using Xunit.Abstractions;
using ProseClaims = WorkbookTool.ProseClaims;

namespace DlWorkbook.Tests.Apps;

/// <summary>
/// Every notebook's plain C# program as README's test command built and ran it (quick mode, see <see cref="GeneratedApps"/>):
/// it must have exited 0 with nothing on standard error, and a failure names the notebook and the cell it came from.
/// Notebook 01's program must print the numbers its notebook shows in the test command's dotnet-interactive run (the
/// same seed and thread count). Small probe notebooks check error reports and exercise answers in programs of their own.
/// </summary>
public class AppRunTests(ITestOutputHelper log)
{
    public static TheoryData<string> Notebooks() => new(TestRunOutputs.Notebooks);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void RunsCleanInQuickMode(string notebook)
    {
        var run = GeneratedApps.Run(notebook);
        log.WriteLine($"{notebook}: build and run {run.Elapsed.TotalSeconds:F1} s");

        Assert.True(run.Failure(notebook) is null, run.Failure(notebook));
        // Anything before the program's first line came from its build: a compiler warning the notebook host would not show.
        Assert.True(run.Output.StartsWith($"{notebook} as a plain C# program (quick mode).", StringComparison.Ordinal),
            $"{notebook}: the program's build or start printed before its first line:\n"
            + string.Join('\n', run.Output.Split('\n').TakeWhile(l => !l.StartsWith(notebook, StringComparison.Ordinal)).Take(10)));
        // Every file the program names exists and needs no network.
        foreach (Match file in Regex.Matches(run.Output, @"^(chart|image): (\S+)", RegexOptions.Multiline))
        {
            var path = Path.Combine(RepoPaths.Root, file.Groups[2].Value);
            Assert.True(File.Exists(path), $"{notebook} printed {file.Value} but wrote no such file");
            if (file.Groups[1].Value == "image")
            {
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(path)[..4]);
                continue;
            }
            var page = File.ReadAllText(path);
            Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", page);
            var script = Regex.Match(page, @"<script src=""([^""]+)""").Groups[1].Value;
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, script)), $"{path} loads {script}, which is missing");
        }
    }

    [Fact]
    public void NotebookOneProgramPrintsTheNumbersItsNotebookShows()
    {
        const string notebook = "01-linear-regression.ipynb";
        var copy = TestRunOutputs.ExecutedCopy(notebook, NotebookHost.Interactive);
        var notebookRun = RunRecord.Read(copy)!;
        Assert.True(notebookRun.Passed, string.Join("\n", notebookRun.Failures));
        var run = GeneratedApps.Run(notebook);
        Assert.True(run.Failure(notebook) is null, run.Failure(notebook));
        var printed = run.Cells;

        var compared = 0;
        var formulas = 0;
        foreach (var cell in NotebookDocument.Load(copy).CodeCells())
        {
            var shown = ProseClaims.Shown(cell.Json["outputs"]!.AsArray()).ToList();
            // The library reference cell shows what the notebook host installed; the program references the library instead.
            if (shown.Count == 0 || cell.Source.Contains("#r \"nuget:", StringComparison.Ordinal)) continue;
            Assert.True(printed.TryGetValue(cell.Number, out var text), $"cell {cell.Number} shows output in the notebook, but the program printed nothing for it");
            // Formulas carry the lesson's key figures (least squares w*, the SGD result): the same LaTeX with the same numbers.
            foreach (var latex in shown.Where(s => s.Latex))
            {
                var pattern = Regex.Escape(NumberPattern.Replace(latex.Text, "\u0001")).Replace("\u0001", NumberPattern.ToString());
                var match = Regex.Match(text, pattern);
                Assert.True(match.Success, $"cell {cell.Number}: the program printed no formula like\n{latex.Text}\nProgram:\n{text}");
                Assert.Equal(Numbers(latex.Text).Count(), Numbers(match.Value).Count());
                foreach (var (expected, actual) in Numbers(latex.Text).Zip(Numbers(match.Value)))
                    Assert.True(Same(expected, actual), $"cell {cell.Number}: the notebook's formula has {expected}, the program's {actual}");
                formulas++;
            }
            // Every number the notebook shows in the cell is printed by the program for the same cell.
            var unmatched = Numbers(text).ToList();
            foreach (var number in shown.SelectMany(s => Numbers(s.Text)))
            {
                var at = unmatched.FindIndex(n => Same(number, n));
                Assert.True(at >= 0, $"cell {cell.Number}: the notebook shows {number}, the program did not print it.\n"
                                     + $"Notebook:\n{string.Join("\n", shown.Select(s => s.Text))}\nProgram:\n{text}");
                unmatched.RemoveAt(at);
                compared++;
            }
        }
        log.WriteLine($"{notebook}: {compared} numbers and {formulas} formulas agree; notebook {notebookRun.Seconds:F1} s, "
                      + $"program (build and run) {run.Elapsed.TotalSeconds:F1} s");
        Assert.True(formulas >= 10, $"only {formulas} formulas compared");
        Assert.True(compared >= 500, $"only {compared} numbers compared");
    }

    [Fact]
    public void AnErrorNamesTheNotebookAndCellAndTheProgramExitsWithOne()
    {
        using var notebooks = new AppNotebooks();
        var path = notebooks.Write("98-probe.ipynb",
            AppNotebooks.Code(AppNotebooks.LibraryCell),
            AppNotebooks.Markdown("## The part that fails"),
            AppNotebooks.Code("Console.WriteLine(\"before the error\");"),
            AppNotebooks.Code("var t = TorchSharp.torch.ones(2, 2);\nt"),
            AppNotebooks.Code("throw new InvalidOperationException(\"boom in cell 5\");"),
            AppNotebooks.Code("Console.WriteLine(\"never\");"));
        var folder = Path.Combine(RepoPaths.Root, "out", "test", "program-probes");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);   // an earlier run's program is "unchanged"
        var generated = GeneratedApps.Generate([path], folder, removeStale: false);
        Assert.Empty(generated.Failures);

        var run = GeneratedApps.Execute(generated.Written.Single(), quick: true);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("98-probe.ipynb, cell 5: InvalidOperationException: boom in cell 5", run.Errors.TrimStart());
        Assert.Equal("98-probe.ipynb, cell 5: InvalidOperationException: boom in cell 5 (exit code 1)", run.Failure("98-probe.ipynb"));
        Assert.Contains("── cell 3 · The part that fails ──\nbefore the error\n", run.Output);
        Assert.Contains("── cell 4 · The part that fails ──\ntensor([[1., 1.],\n        [1., 1.]])\nshape [2, 2] · float32 · cpu\n", run.Output);
        Assert.DoesNotContain("never", run.Output);
    }

    [Fact]
    public void ExerciseAnswersFromTheProgramsCodeOrItsCommandLineGetTheNotebooksChecksAndHints()
    {
        using var notebooks = new AppNotebooks();
        var exercises = Exercise.All.Where(e => e.Notebook == 1).ToList();
        var path = notebooks.Write("97-exercises.ipynb",
        [
            AppNotebooks.Code(AppNotebooks.LibraryCell),
            AppNotebooks.Code(Exercises.Snippets.Preamble),
            .. exercises.SelectMany(e => new[] { AppNotebooks.Markdown(Exercises.NotebookExercises.Prompt(e.Id)), AppNotebooks.Code(Exercises.NotebookExercises.Starter(e.Id)) }),
        ]);
        var generated = GeneratedApps.Generate([path], Path.Combine(RepoPaths.Root, "out", "test", "program-probes"), removeStale: false);
        Assert.Empty(generated.Failures);
        var program = generated.Written.Single();

        // As shipped: every exercise reads "not attempted", and the program goes on.
        var shipped = GeneratedApps.Execute(program, quick: true);
        Assert.True(shipped.Failure("97-exercises.ipynb") is null, shipped.Failure("97-exercises.ipynb"));
        foreach (var exercise in exercises)
            Assert.Contains($"○ Exercise {exercise.Id} ({exercise.Title}): not attempted", shipped.Output);

        // Answers on the command line: the same result lines the check gives those answers, naming where they came from.
        var answered = GeneratedApps.Execute(program, quick: true, "--answer", "01.3=4", "--answer", "01.5=5");
        Assert.True(answered.Failure("97-exercises.ipynb") is null, answered.Failure("97-exercises.ipynb"));
        Assert.Contains(ExerciseCatalogue.Get("01.3").Evaluate("4", "the command line").ToText(), answered.Output);
        var wrong = ExerciseCatalogue.Get("01.5").Evaluate("5", "the command line");
        Assert.Equal(ExerciseStatus.NotYet, wrong.Status);
        Assert.Contains(wrong.ToText(), answered.Output);

        // An answer typed into the program: the result a notebook cell shows for it, hint included.
        File.WriteAllText(program, File.ReadAllText(program).Replace("long? batches = null;", "long? batches = 3;"));
        var edited = GeneratedApps.Execute(program, quick: true);
        var hinted = Exercise.Evaluate("01.3", 3L);
        Assert.Equal(ExerciseStatus.NotYet, hinted.Status);
        Assert.NotNull(hinted.Hint);
        Assert.Contains(hinted.ToText() + "\n", edited.Output);
    }

    static readonly Regex NumberPattern = new(@"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?");

    /// <summary>The numbers in a text, without speeds and durations (they differ from run to run).</summary>
    static IEnumerable<string> Numbers(string text) =>
        NumberPattern.Matches(ProseClaims.WithoutTimings(text))
            .Select(m => m.Value);

    /// <summary>
    /// The same printed number, allowing for rounding noise below 1e-12 (a float64 least-squares intercept of about
    /// 1e-16 differs from run to run with libtorch's threads); any difference in a printed digit of a real figure fails.
    /// </summary>
    static bool Same(string expected, string actual) =>
        expected == actual
        || (double.TryParse(expected, System.Globalization.CultureInfo.InvariantCulture, out var a)
            && double.TryParse(actual, System.Globalization.CultureInfo.InvariantCulture, out var b)
            && Math.Abs(a - b) <= 1e-12);
}
