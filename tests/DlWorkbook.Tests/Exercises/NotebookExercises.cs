using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner;

namespace DlWorkbook.Tests.Exercises;

/// <summary>
/// Each exercise as its notebook ships it, the one copy there is: the code cell that calls
/// <c>Exercise.Check("id", …)</c> (or <c>Exercise.Explain</c>) is its starter, the markdown cell before it its prompt.
/// <see cref="ExerciseCellsTests"/> and <see cref="MockExamTests"/> check that every catalogue entry has exactly one.
/// </summary>
internal static partial class NotebookExercises
{
    /// <summary>Where an exercise stands: its notebook file, the starter's cell (1-based, as failures name cells), both texts.</summary>
    public sealed record Shipped(string Notebook, int Cell, string Prompt, string Starter);

    [GeneratedRegex("""Exercise\.(Check|Explain)\("(?<id>[^"]+)"\s*,""")]
    private static partial Regex CheckCall();

    static readonly Lazy<IReadOnlyDictionary<string, Shipped>> All = new(Read);

    public static Shipped Of(string id) => All.Value.TryGetValue(id, out var shipped)
        ? shipped
        : throw new InvalidOperationException($"No notebook has a code cell that calls Exercise.Check(\"{id}\", …).");

    public static string Prompt(string id) => Of(id).Prompt;

    public static string Starter(string id) => Of(id).Starter;

    /// <summary>A cell's text with line ends and the blank lines around it as the catalogue's tests compare it.</summary>
    public static string Normalise(string text) => text.Replace("\r\n", "\n").Trim();

    static IReadOnlyDictionary<string, Shipped> Read()
    {
        var found = new Dictionary<string, Shipped>();
        foreach (var path in Directory.GetFiles(RepoPaths.Notebooks, "0?-*.ipynb").Order(StringComparer.Ordinal))
        {
            var cells = NotebookDocument.Load(path).Cells.Cast<JsonObject>().ToList();
            for (var i = 0; i < cells.Count; i++)
            {
                if (cells[i]["cell_type"]?.GetValue<string>() != "code") continue;
                var source = Normalise(NotebookDocument.SourceOf(cells[i]));
                var before = i > 0 && cells[i - 1]["cell_type"]?.GetValue<string>() == "markdown"
                    ? Normalise(NotebookDocument.SourceOf(cells[i - 1]))
                    : "";
                foreach (Match call in CheckCall().Matches(source))
                    found.TryAdd(call.Groups["id"].Value, new Shipped(Path.GetFileName(path), i + 1, before, source));
            }
        }
        return found;
    }
}
