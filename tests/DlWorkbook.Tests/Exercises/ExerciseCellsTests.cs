using System.Text.Json;
using System.Text.RegularExpressions;
using DlWorkbook.Exercises;

namespace DlWorkbook.Tests.Exercises;

/// <summary>
/// The notebooks and the catalogue cannot drift apart: every exercise of <see cref="Exercise.All"/> appears exactly
/// once in its own notebook, in catalogue order, as a markdown cell (its prompt) followed by the code cell that checks
/// it (its starter). The notebook is the one copy of both, which the catalogue's tests read through
/// <see cref="NotebookExercises"/>; an exercise that can be drawn with new numbers asks, in the notebook, exactly the
/// question its shipped inputs write, so the check marks the numbers the learner reads.
/// </summary>
public partial class ExerciseCellsTests
{
    sealed record Cell(int Index, string Type, string Source);

    [GeneratedRegex("""Exercise\.Check\("(?<id>[^"]*)"\s*,""")]
    private static partial Regex CheckCall();

    [GeneratedRegex(@"\*\*Exercise (?<id>\d\d\.\d+) ")]
    private static partial Regex PromptHeading();

    public static TheoryData<int> Notebooks() => new(Enumerable.Range(0, 8));

    static string NotebookPath(int notebook)
    {
        var matches = Directory.GetFiles(RepoPaths.Notebooks, $"{notebook:00}-*.ipynb");
        Assert.True(matches.Length == 1, $"Expected one notebook notebooks/{notebook:00}-*.ipynb, found {matches.Length}.");
        return matches[0];
    }

    static IReadOnlyList<Cell> Cells(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cells").EnumerateArray().Select((cell, i) =>
        {
            var source = cell.GetProperty("source");
            var text = source.ValueKind == JsonValueKind.Array
                ? string.Concat(source.EnumerateArray().Select(line => line.GetString()))
                : source.GetString() ?? "";
            return new Cell(i, cell.GetProperty("cell_type").GetString()!, Normalise(text));
        }).ToList();
    }

    static string Normalise(string text) => text.Replace("\r\n", "\n").Trim();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EveryExerciseOfTheNotebookAppearsOnceInOrderAsItsPromptAndStarter(int notebook)
    {
        var path = NotebookPath(notebook);
        var name = Path.GetFileName(path);
        var cells = Cells(path);
        var expected = Exercise.All.Where(e => e.Notebook == notebook).ToList();
        Assert.NotEmpty(expected);

        var checks = cells.Where(c => c.Type == "code")
            .SelectMany(c => CheckCall().Matches(c.Source).Select(m => (Cell: c, Id: m.Groups["id"].Value)))
            .ToList();
        var found = string.Join(", ", checks.Select(c => c.Id));
        Assert.True(checks.Select(c => c.Id).SequenceEqual(expected.Select(e => e.Id)),
            $"{name}: the code cells call Exercise.Check for [{found}]; the catalogue lists [{string.Join(", ", expected.Select(e => e.Id))}] "
            + "for this notebook, each exactly once and in this order.");

        foreach (var (entry, check) in expected.Zip(checks))
        {
            var at = $"{name}, cell {check.Cell.Index} (exercise {entry.Id})";
            Assert.True(NotebookExercises.Of(entry.Id) is { } read && read.Starter == check.Cell.Source && read.Notebook == name,
                $"{at}: the exercises' reader does not find this cell as the starter.");
            var before = check.Cell.Index > 0 ? cells[check.Cell.Index - 1] : null;
            Assert.True(before is { Type: "markdown" }, $"{at}: the cell before the starter code must be the markdown cell with the prompt.");
            Assert.StartsWith($"**Exercise {entry.Id} · ", before!.Source);
            if (entry.Variants is { } variants)
                Assert.True(before.Source == Normalise(variants.Shipped.Prompt),
                    $"{at}: the prompt is not the question the check's shipped inputs ask.\n--- notebook:\n{before.Source}\n"
                    + $"--- shipped inputs:\n{Normalise(variants.Shipped.Prompt)}");
        }

        var prompts = cells.Where(c => c.Type == "markdown")
            .SelectMany(c => PromptHeading().Matches(c.Source).Select(m => m.Groups["id"].Value)).ToList();
        Assert.True(prompts.SequenceEqual(expected.Select(e => e.Id)),
            $"{name}: the markdown cells introduce exercises [{string.Join(", ", prompts)}]; expected each of "
            + $"[{string.Join(", ", expected.Select(e => e.Id))}] once, in order.");
    }
}
