using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using DlWorkbook.Runtime;

namespace DlWorkbook.Exercises;

/// <summary>
/// The mock exam (notebook 08): questions over all eight topics, in parts with marks. Numeric, shape and choice parts
/// are marked by <see cref="Exercise.Check(string, object?)"/> as the exercises are (all the part's marks when right);
/// explain-why parts by the learner, with <see cref="Exercise.Explain"/>, against the model answer and the marking
/// points. <see cref="Results"/> adds up the marks per topic and names the sections to revise.
/// </summary>
public static class MockExam
{
    /// <summary>The exam's number among the notebooks: its part ids are "08.3b" (question 3, part b).</summary>
    public const int Notebook = 8;

    /// <summary>The latest result of every part checked in this process: status and marks.</summary>
    static readonly ConcurrentDictionary<string, (ExerciseStatus Status, int Marks)> Checked = new();

    internal static void Note(string id, ExerciseStatus status, int marks) => Checked[id] = (status, marks);

    internal static void Forget() => Checked.Clear();

    /// <summary>The exam's parts, in order.</summary>
    internal static IReadOnlyList<CatalogueEntry> Parts => ExerciseCatalogue.Entries.Where(e => e.Notebook == Notebook).ToList();

    /// <summary>The exam's total marks.</summary>
    internal static int TotalMarks => Parts.Sum(p => p.Marks);

    /// <summary>One topic's line of the results.</summary>
    /// <param name="Topic">The notebook, 0 to 7.</param>
    /// <param name="Title">Its title.</param>
    /// <param name="Marks">The marks got.</param>
    /// <param name="OutOf">The marks available.</param>
    /// <param name="Revise">The sections of the parts that lost marks, in order, each once.</param>
    /// <param name="Unanswered">The parts not answered yet.</param>
    internal sealed record TopicMarks(int Topic, string Title, int Marks, int OutOf, IReadOnlyList<string> Revise, IReadOnlyList<string> Unanswered);

    /// <summary>
    /// The marks per topic: the latest check of each part in this session, else the one in the progress file (so a
    /// restarted kernel keeps what was done), else none.
    /// </summary>
    internal static IReadOnlyList<TopicMarks> Marks()
    {
        var recorded = ProgressFile.Read(Progress.FilePath, out _)?.Results ?? new Dictionary<string, ProgressEntry>();
        (ExerciseStatus Status, int Marks)? Latest(CatalogueEntry part) =>
            Checked.TryGetValue(part.Id, out var now) ? now
            : recorded.TryGetValue(part.Id, out var saved) ? (saved.Status == "correct" ? ExerciseStatus.Correct : ExerciseStatus.NotYet, saved.Marks ?? 0)
            : null;
        return Parts.GroupBy(p => p.Topic).OrderBy(g => g.Key).Select(topic =>
        {
            var latest = topic.Select(p => (Part: p, Result: Latest(p))).ToList();
            return new TopicMarks(topic.Key, ExerciseCatalogue.Titles[topic.Key], latest.Sum(l => l.Result?.Marks ?? 0), topic.Sum(p => p.Marks),
                latest.Where(l => (l.Result?.Marks ?? 0) < l.Part.Marks).SelectMany(l => l.Part.Sections!.Split(", ")).Distinct().OrderBy(SectionOrder).ToList(),
                latest.Where(l => l.Result is null).Select(l => l.Part.Id).ToList());
        }).ToList();
    }

    /// <summary>Shows the marks per topic and the total, and the sections to revise for every topic that lost marks.</summary>
    public static void Results()
    {
        var topics = Marks();
        var (got, total) = (topics.Sum(t => t.Marks), topics.Sum(t => t.OutOf));
        var unanswered = topics.Sum(t => t.Unanswered.Count);
        var text = new StringBuilder();
        var html = new StringBuilder("<div class=\"dlw-exam\"><table><thead><tr><th style=\"text-align:left\">topic</th><th>marks</th>"
                                     + "<th>of</th><th>%</th><th style=\"text-align:left\">revise</th></tr></thead><tbody>");
        var width = topics.Max(t => t.Title.Length) + 5;
        text.AppendLine(CultureInfo.InvariantCulture, $"{"topic".PadRight(width)} {"marks",5} {"of",4} {"%",4}  revise");
        foreach (var t in topics)
        {
            var revise = t.Revise.Count == 0 ? "—" : string.Join(", ", t.Revise);
            var percent = 100 * t.Marks / Math.Max(1, t.OutOf);
            text.AppendLine(CultureInfo.InvariantCulture, $"{$"{t.Topic:00} · {t.Title}".PadRight(width)} {t.Marks,5} {t.OutOf,4} {percent,4}  {revise}");
            html.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"text-align:left\">{t.Topic:00} · {WebUtility.HtmlEncode(t.Title)}</td><td>{t.Marks}</td>"
                                                      + $"<td>{t.OutOf}</td><td>{percent}</td><td style=\"text-align:left\">{WebUtility.HtmlEncode(revise)}</td></tr>");
        }
        var summary = Build($"Total: {got} of {total} marks ({100 * got / Math.Max(1, total)} %).")
                      + (unanswered == 0 ? "" : Build($" {unanswered} of {Parts.Count} parts are not answered yet; they count 0."));
        text.Append(summary);
        html.Append(CultureInfo.InvariantCulture, $"</tbody></table><div><b>{WebUtility.HtmlEncode(summary)}</b></div></div>");
        CellOutput.Show(html.ToString(), text.ToString());
    }

    static string Build(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>"§5.10" after "§5.9": the notebook and section numbers of a reference's first section, as numbers.</summary>
    static (int, int) SectionOrder(string reference)
    {
        var numbers = reference.TrimStart('§').Split('–')[0].Split('.');
        return (int.Parse(numbers[0], CultureInfo.InvariantCulture), numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 0);
    }
}
