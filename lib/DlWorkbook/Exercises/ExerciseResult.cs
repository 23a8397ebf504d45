using System.Net;
using DlWorkbook.Runtime;

namespace DlWorkbook.Exercises;

/// <summary>Where an exercise stands after a check.</summary>
public enum ExerciseStatus
{
    /// <summary>The answer is still the placeholder the notebook ships.</summary>
    NotAttempted,

    /// <summary>An answer was given and it is not right yet; the result carries a hint.</summary>
    NotYet,

    /// <summary>The answer is right.</summary>
    Correct,
}

/// <summary>The outcome of one exercise check: what a learner sees under the cell.</summary>
/// <param name="Id">The exercise, for example "05.3".</param>
/// <param name="Title">A few words naming the exercise.</param>
/// <param name="Status">Correct, not yet, or not attempted.</param>
/// <param name="Message">What was found, for example "73,728 is too small, by about 0.2 %."</param>
/// <param name="Hint">For "not yet": where to look next, without giving the answer away.</param>
/// <param name="Source">Where the answer came from when not from the code, for example "the command line".</param>
/// <param name="Variant">The seed of the inputs drawn by <see cref="Exercise.Again(string)"/>, or null for the notebook's own.</param>
public sealed record ExerciseResult(string Id, string Title, ExerciseStatus Status, string Message, string? Hint = null, string? Source = null,
    int? Variant = null) : IPlainText
{
    /// <summary>True when the answer is right.</summary>
    public bool IsCorrect => Status == ExerciseStatus.Correct;

    /// <summary>The status as a learner reads it: "correct", "not yet" or "not attempted".</summary>
    public string StatusText => Status switch
    {
        ExerciseStatus.Correct => "correct",
        ExerciseStatus.NotYet => "not yet",
        _ => "not attempted",
    };

    string Mark => Status switch { ExerciseStatus.Correct => "✓", ExerciseStatus.NotYet => "✗", _ => "○" };

    string Colour => Status switch { ExerciseStatus.Correct => "#2e7d32", ExerciseStatus.NotYet => "#b45309", _ => "#6b7280" };

    string From => Source is null ? "" : $" (answer from {Source})";

    string Named => Variant is { } v ? $"{Title}, variant {v}" : Title;

    /// <summary>One plain line, for a console or a text export: mark, exercise, status, message and hint.</summary>
    public string ToText() =>
        $"{Mark} Exercise {Id} ({Named}): {StatusText}{From}. {Message}" + (Hint is null ? "" : $" Hint: {Hint}");

    /// <summary>The result as a small HTML block for a notebook cell.</summary>
    public string ToHtml() =>
        $"<div class=\"dlw-exercise\" style=\"border-left:4px solid {Colour};padding:2px 10px;margin:4px 0\">"
        + $"<div><b style=\"color:{Colour}\">{Mark} {StatusText}</b>{WebUtility.HtmlEncode(From)} · Exercise {Id} · {WebUtility.HtmlEncode(Named)}</div>"
        + $"<div>{WebUtility.HtmlEncode(Message)}</div>"
        + (Hint is null ? "" : $"<div><b>Hint:</b> {WebUtility.HtmlEncode(Hint)}</div>")
        + "</div>";

    /// <inheritdoc cref="ToText"/>
    public override string ToString() => ToText();
}
