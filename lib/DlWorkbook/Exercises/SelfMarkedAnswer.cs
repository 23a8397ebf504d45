using System.Net;

namespace DlWorkbook.Exercises;

/// <summary>
/// An explain-why part of the mock exam: the learner writes an explanation, then sees the model answer and the
/// marking points, and gives themselves marks (<see cref="Exercise.Explain"/>). No program can mark an explanation
/// fairly; a learner comparing it point by point with a mark scheme can, as examiners do.
/// </summary>
internal sealed class SelfMarkedAnswer : Answer
{
    public SelfMarkedAnswer(string modelAnswer, params (string Point, int Marks)[] points)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelAnswer);
        if (points.Length == 0 || points.Any(p => p.Marks <= 0)) throw new ArgumentException("A mark scheme needs points worth at least one mark each.");
        ModelAnswer = modelAnswer.Trim();
        Points = points;
    }

    /// <summary>What a full-marks answer says.</summary>
    public string ModelAnswer { get; }

    /// <summary>The marking points, each with its marks.</summary>
    public IReadOnlyList<(string Point, int Marks)> Points { get; }

    /// <summary>The part's marks: the sum of its points.</summary>
    public int Max => Points.Sum(p => p.Marks);

    public override string Expects => "your explanation, as text";

    public override string Hint => "Compare your answer with the marking points one by one, then set your marks and run the cell again.";

    /// <summary>Text that is still the placeholder: nothing written yet.</summary>
    public static bool IsBlank(string? text) => string.IsNullOrWhiteSpace(text);

    /// <summary>An answer given through <see cref="Exercise.Check(string, object?)"/> or the command line: text, not yet marked.</summary>
    public override Verdict Judge(object answer) => answer is string text
        ? Verdict.NotYet(Unmarked, Hint)
        : Verdict.WrongKind(answer, "your explanation as text, in Exercise.Explain(id, answer, marks)");

    public string Unmarked => $"Now mark it yourself: compare your answer with the model answer and the {Points.Count} marking "
                              + $"point{(Points.Count == 1 ? "" : "s")}, set the marks you give yourself (0 to {Max}) and run the cell again.";

    /// <summary>The model answer and the mark scheme as plain text.</summary>
    public string SchemeText() =>
        $"Model answer: {ModelAnswer}\nMarking points:\n" + string.Join("\n", Points.Select(p => $"  • {p.Point} ({p.Marks} mark{(p.Marks == 1 ? "" : "s")})"));

    /// <summary>The model answer and the mark scheme as HTML.</summary>
    public string SchemeHtml() =>
        "<div style=\"margin:4px 0 4px 14px\"><div><b>Model answer.</b> " + WebUtility.HtmlEncode(ModelAnswer) + "</div>"
        + "<div><b>Marking points</b></div><ul style=\"margin:2px 0\">"
        + string.Concat(Points.Select(p => $"<li>{WebUtility.HtmlEncode(p.Point)} <i>({p.Marks} mark{(p.Marks == 1 ? "" : "s")})</i></li>"))
        + "</ul></div>";
}
