using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DlWorkbook.Exercises;

namespace DlWorkbook.Tests.Exercises;

/// <summary>
/// An exercise tests only if the notebook has not already shown its answer: no exercise's expected answer appears
/// verbatim in the markdown or the outputs of the cells before it (and, for a piece of code, in the code cells
/// before it either). The outputs are read from the executed copy in out/notebooks when setup has written one, and
/// from the notebook's saved outputs otherwise.
/// </summary>
public partial class AnswersNotGivenAwayTests
{
    sealed record Cell(int Index, string Type, string Source, string Outputs);

    public static TheoryData<int> Notebooks() => new(Exercise.All.Select(e => e.Notebook).Distinct().Order());

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NoExpectedAnswerAppearsInTheCellsBeforeItsExercise(int notebook)
    {
        var source = Assert.Single(Directory.GetFiles(RepoPaths.Notebooks, $"{notebook:00}-*.ipynb"));
        var executed = Path.Combine(RepoPaths.Root, "out", "notebooks", Path.GetFileName(source));
        var cells = WithOutputs(Cells(source), File.Exists(executed) ? Cells(executed) : []);
        var path = File.Exists(executed) ? executed : source;
        var problems = new List<string>();
        foreach (var entry in Exercise.All.Where(e => e.Notebook == notebook))
        {
            var check = cells.First(c => c.Type == "code" && (c.Source.Contains($"Exercise.Check(\"{entry.Id}\"", StringComparison.Ordinal)
                                                               || c.Source.Contains($"Exercise.Explain(\"{entry.Id}\"", StringComparison.Ordinal)));
            foreach (var secret in Secrets(entry))
                foreach (var cell in cells.Take(check.Index - 1))   // the prompt, just above the check, is tested by the catalogue
                {
                    var seen = (cell.Type == "markdown" ? cell.Source : "") + "\n" + cell.Outputs
                               + (entry.Answer is CodeAnswer && cell.Type == "code" ? "\n" + cell.Source : "");
                    var at = Find(Normalise(seen), secret);
                    if (at >= 0)
                        problems.Add($"exercise {entry.Id} (cell {check.Index}): its answer {secret} is already in cell {cell.Index}: "
                                     + $"…{Excerpt(Normalise(seen), at, secret.Length)}…");
                }
        }
        Assert.True(problems.Count == 0, $"{Path.GetRelativePath(RepoPaths.Root, path)}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheSearchFindsAnAnswerWrittenTheWaysANotebookWritesIt()
    {
        Assert.True(Find(Normalise("the parameters: $73{,}856$ in all"), "73,856") >= 0);
        Assert.True(Find(Normalise("shape [5,  4] here"), "[5, 4]") >= 0);
        Assert.True(Find("0.0791 exactly", "0.0791") >= 0);
        Assert.Equal(-1, Find("0.07915", "0.0791"));   // a longer number is another number
        Assert.Equal(-1, Find("10.0791", "0.0791"));
    }

    /// <summary>The texts that give the answer away: the number as a learner would type it, the shape, the lines a solution adds.</summary>
    static IEnumerable<string> Secrets(CatalogueEntry entry)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (entry.Answer)
        {
            case NumberAnswer number:
                var e = number.Expected;
                var texts = number.IsWhole ? new[] { e.ToString("#,0", inv), e.ToString("0", inv) }
                    : number.DecimalsAsked is { } d ? new[] { e.ToString("F" + d, inv) }
                    : new[] { e.ToString("G3", inv), e.ToString("G4", inv) };
                // Two digits or fewer (a 2, a 15) turn up everywhere for other reasons; they prove nothing.
                return texts.Distinct().Where(t => t.Count(char.IsDigit) - t.TakeWhile(c => c is '0' or '.').Count(char.IsDigit) >= 3);
            case ShapeAnswer shape when shape.Expected.Length >= 2:
                return [$"[{string.Join(", ", shape.Expected)}]"];
            case CodeAnswer:
                var starter = NotebookExercises.Starter(entry.Id).Split('\n').Select(l => l.Trim()).ToHashSet();
                var solution = SolutionBook.All.Single(s => s.Id == entry.Id).Code;
                return solution.Split('\n').Select(l => Regex.Replace(l.Split("//")[0].Trim(), @"\s+", " "))
                    .Where(l => l.Length >= 16 && !starter.Contains(l) && !l.StartsWith("Exercise.Check", StringComparison.Ordinal));
            default:
                return [];
        }
    }

    /// <summary>Markdown's ways of writing a number or a shape, brought to one: 73{,}856 → 73,856; runs of spaces → one.</summary>
    static string Normalise(string text) => Regex.Replace(text.Replace("{,}", ","), @"[ \t]+", " ");

    /// <summary>Where <paramref name="secret"/> stands on its own in <paramref name="text"/> (0.0791 is not in 0.07915), or −1.</summary>
    static int Find(string text, string secret)
    {
        var match = Regex.Match(text, $@"(?<![\d.,]){Regex.Escape(secret)}(?![\d]|\.\d)");
        return match.Success ? match.Index : -1;
    }

    static string Excerpt(string text, int at, int length)
    {
        var start = Math.Max(0, at - 60);
        var end = Math.Min(text.Length, at + length + 60);
        return text[start..end].Replace('\n', ' ');
    }

    /// <summary>
    /// The notebook's cells, each with the outputs of the same cell in the executed copy: matched by source, in order,
    /// so that an executed copy a little older than the notebook still lends the outputs of every cell it has.
    /// </summary>
    static IReadOnlyList<Cell> WithOutputs(IReadOnlyList<Cell> cells, IReadOnlyList<Cell> executed)
    {
        var next = 0;
        return cells.Select(cell =>
        {
            var match = executed.Skip(next).FirstOrDefault(e => e.Type == cell.Type && e.Source == cell.Source);
            if (match is null) return cell;
            next = match.Index + 1;
            return cell with { Outputs = cell.Outputs + "\n" + match.Outputs };
        }).ToList();
    }

    static IReadOnlyList<Cell> Cells(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cells").EnumerateArray().Select((cell, i) =>
        {
            var outputs = cell.TryGetProperty("outputs", out var list)
                ? string.Join("\n", list.EnumerateArray().SelectMany(OutputTexts))
                : "";
            return new Cell(i, cell.GetProperty("cell_type").GetString()!, Text(cell.GetProperty("source")), outputs);
        }).ToList();
    }

    /// <summary>Every text an output carries: a stream's text, and each text-like MIME type of a displayed value.</summary>
    static IEnumerable<string> OutputTexts(JsonElement output)
    {
        if (output.TryGetProperty("text", out var text)) yield return Text(text);
        if (!output.TryGetProperty("data", out var data)) yield break;
        foreach (var item in data.EnumerateObject())
            if (item.Name.StartsWith("text/", StringComparison.Ordinal)) yield return Text(item.Value);
    }

    static string Text(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? string.Concat(value.EnumerateArray().Select(line => line.GetString()))
        : value.GetString() ?? "";
}
