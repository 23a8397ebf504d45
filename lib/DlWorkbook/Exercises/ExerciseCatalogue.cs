using DlWorkbook.Exercises.Catalogue;

namespace DlWorkbook.Exercises;

/// <summary>All exercises, by id. Built once; building checks the rules every exercise must follow.</summary>
internal static class ExerciseCatalogue
{
    static readonly Lazy<IReadOnlyList<CatalogueEntry>> entries = new(() => Validate(
    [
        .. Exercises00.All, .. Exercises01.All, .. Exercises02.All, .. Exercises03.All,
        .. Exercises04.All, .. Exercises05.All, .. Exercises06.All, .. Exercises07.All, .. MockExam08.Questions.SelectMany(q => q.Parts),
    ]));

    static readonly Lazy<IReadOnlyDictionary<string, CatalogueEntry>> byId = new(() => entries.Value.ToDictionary(e => e.Id));

    public static IReadOnlyList<CatalogueEntry> Entries => entries.Value;

    /// <summary>The titles of the notebooks, as their first headings give them ("# 05 · Convolutional networks").</summary>
    public static IReadOnlyDictionary<int, string> Titles { get; } = new Dictionary<int, string>
    {
        [0] = "Tensors, models and training", [1] = "Linear regression", [2] = "Softmax regression", [3] = "Multilayer perceptrons",
        [4] = "Generalisation and regularisation", [5] = "Convolutional networks", [6] = "ResNet and batch normalisation",
        [7] = "Text and recurrent networks", [MockExam.Notebook] = "Mock exam",
    };

    static readonly Lazy<IReadOnlyList<ProgressNotebook>> notebooks = new(() =>
        [.. Entries.GroupBy(e => e.Notebook).OrderBy(g => g.Key).Select(g => new ProgressNotebook(g.Key.ToString("00", System.Globalization.CultureInfo.InvariantCulture),
            Titles[g.Key], [.. g.Select(e => e.Id)], g.Key == MockExam.Notebook ? g.ToDictionary(e => e.Id, e => e.Marks) : null,
            g.ToDictionary(e => e.Id, e => e.Title)))]);

    /// <summary>Each notebook with its exercise ids, as the progress file records them.</summary>
    public static IReadOnlyList<ProgressNotebook> Notebooks => notebooks.Value;

    public static bool Contains(string id) => byId.Value.ContainsKey(id);

    public static CatalogueEntry Get(string id) =>
        TryGet(id, out var entry, out var problem) ? entry : throw new ArgumentException(problem, nameof(id));

    /// <summary>The entry for <paramref name="id"/>, or false with a sentence that names the ids there are.</summary>
    public static bool TryGet(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CatalogueEntry? entry, out string problem)
    {
        problem = "";
        if (id is not null && byId.Value.TryGetValue(id.Trim(), out entry)) return true;
        entry = null;
        var shown = id ?? "null";
        var notebook = shown.Length >= 2 ? shown[..2] : shown;
        var siblings = entries.Value.Where(e => e.Id.StartsWith(notebook, StringComparison.Ordinal)).Select(e => e.Id).ToList();
        problem = siblings.Count > 0
            ? $"There is no exercise \"{shown}\". Notebook {notebook} has exercises {string.Join(", ", siblings)}."
            : $"There is no exercise \"{shown}\". Exercise ids are \"NN.k\": notebook NN (00 to 07), exercise k, for example \"05.3\"; "
              + "the mock exam's are \"08.qp\", question q, part p, for example \"08.3b\".";
        return false;
    }

    /// <summary>
    /// Ids are "NN.k", numbered 1, 2, … in each notebook without gaps, and unique; the mock exam's are "08.qp", questions
    /// 1, 2, … each with parts a, b, … in order.
    /// </summary>
    static IReadOnlyList<CatalogueEntry> Validate(IReadOnlyList<CatalogueEntry> all)
    {
        var exam = all.Where(e => e.Notebook == MockExam.Notebook).Select(e => e.Id).ToList();
        var expectedExam = MockExam08.Questions.SelectMany(q => q.Parts.Select((_, i) => $"08.{q.Number}{(char)('a' + i)}")).ToList();
        if (!exam.SequenceEqual(expectedExam) || !MockExam08.Questions.Select(q => q.Number).SequenceEqual(Enumerable.Range(1, MockExam08.Questions.Count)))
            throw new InvalidOperationException($"The mock exam's parts must be numbered question by question, 08.1a, 08.1b, …; found {string.Join(", ", exam)}.");
        foreach (var notebook in all.Where(e => e.Notebook != MockExam.Notebook).GroupBy(e => e.Id[..2]))
        {
            var expected = Enumerable.Range(1, notebook.Count()).Select(k => $"{notebook.Key}.{k}");
            if (!notebook.Select(e => e.Id).SequenceEqual(expected))
                throw new InvalidOperationException($"Exercises of notebook {notebook.Key} must be numbered {string.Join(", ", expected)} in order; found {string.Join(", ", notebook.Select(e => e.Id))}.");
        }
        return all;
    }
}
