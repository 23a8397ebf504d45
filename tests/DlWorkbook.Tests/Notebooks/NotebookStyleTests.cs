using NotebookRunner;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>
/// README's notebook style, checked on the committed notebooks: the same library cell and using preamble in every
/// notebook, and no code line longer than 120 characters.
/// </summary>
public class NotebookStyleTests
{
    const int LongestLine = 120;

    public static TheoryData<string> Notebooks() => new(TestRunOutputs.Notebooks);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NoCodeLineIsLongerThan120Characters(string notebook)
    {
        var longLines = NotebookDocument.Load(Path.Combine(RepoPaths.Notebooks, notebook)).CodeCells()
            .SelectMany(cell => cell.Source.Split('\n').Where(line => line.Length > LongestLine)
                .Select(line => $"cell {cell.Number}, {line.Length} characters: {line}"))
            .ToList();
        Assert.True(longLines.Count == 0, $"{notebook}: code lines over {LongestLine} characters:\n" + string.Join("\n", longLines));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void OpensWithTheLibraryCellAndTheSharedPreamble(string notebook)
    {
        var cells = NotebookDocument.Load(Path.Combine(RepoPaths.Notebooks, notebook)).CodeCells().Take(2).Select(c => c.Source).ToList();
        Assert.Equal("// The course library (run README's setup command once first).\n#r \"nuget: DlWorkbook, *-*\"", cells[0]);
        Assert.Equal("using System.IO;\n" + Exercises.Snippets.Preamble.TrimEnd('\n'), cells[1]);
    }
}
