using DlWorkbook.Display;

namespace DlWorkbook.Exercises;

/// <summary>
/// Self-check exercises. A notebook cell sets an answer and calls <see cref="Check(string, object?)"/>, which shows
/// "correct", "not yet" with a hint, or "not attempted" (the answer is still the placeholder the notebook ships).
/// A check never fails the notebook, whatever the answer.
/// </summary>
/// <remarks>
/// <para>Placeholders: a value answer ships as <c>null</c> in a typed line (<c>long? weights = null;</c>); a piece of
/// code ships with <c>throw Exercise.Todo;</c> where the learner's code goes. Both read as "not attempted".</para>
/// <para>Outside a notebook (a console program generated from a notebook) the result is printed as one line, and
/// answers may also come from the command line, <c>--answer 05.5=73856</c> (repeatable), or from the environment
/// variable <c>DLWORKBOOK_ANSWERS</c>, <c>05.5=73856;05.6=[16, 6, 28, 28]</c>; such an answer replaces the one in
/// the code for its exercise. Code answers can only be given in the code.</para>
/// </remarks>
/// <example><code>
/// long? weights = null;            // ← your answer
/// Exercise.Check("05.5", weights);
/// </code></example>
public static class Exercise
{
    /// <summary>
    /// The placeholder for code not written yet: <c>throw Exercise.Todo;</c> (or <c>=&gt; throw Exercise.Todo</c>)
    /// marks where the learner's code goes, and a check that reaches it reports "not attempted".
    /// </summary>
    public static ExerciseTodo Todo => new();

    /// <summary>Every exercise of the workbook, in notebook order.</summary>
    public static IReadOnlyList<CatalogueEntry> All => ExerciseCatalogue.Entries;

    /// <summary>
    /// Checks <paramref name="answer"/> for exercise <paramref name="id"/> (for example "05.3") and shows the result
    /// in the cell (or prints it outside a notebook). Any value is accepted: one of the wrong type gets a hint that
    /// says what was expected, and an unknown id a result that names the ids there are; a check never throws.
    /// </summary>
    public static void Check(string id, object? answer) => Show(Evaluate(id, answer));

    /// <summary>Checks a function written by the learner (a lambda or a local function), see <see cref="Check(string, object?)"/>.</summary>
    public static void Check(string id, Delegate? answer) => Show(Evaluate(id, answer));

    /// <summary>The result <see cref="Check(string, object?)"/> shows, without showing it.</summary>
    public static ExerciseResult Evaluate(string id, object? answer)
    {
        if (!ExerciseCatalogue.TryGet(id, out var entry, out var problem))
            return new ExerciseResult(id ?? "", "no such exercise", ExerciseStatus.NotYet, problem,
                "Copy the id from the exercise's heading, for example \"05.3\" for Exercise 05.3.");
        var result = ExternalAnswers.Current.TryGetValue(entry.Id, out var external)
            ? entry.Evaluate(external.Text, external.Source)
            : entry.Evaluate(answer, source: null);
        Recorder.Value?.Add((result, answer));
        return result;
    }

    /// <summary>Collects every check on this async flow, result and answer (tests run learner-style code and read what it checked).</summary>
    internal static readonly AsyncLocal<List<(ExerciseResult Result, object? Answer)>?> Recorder = new();

    static void Show(ExerciseResult result) => CellOutput.Show(result.ToHtml(), result.ToText());
}

/// <summary>
/// Thrown by code that still holds the placeholder <c>throw Exercise.Todo;</c>; a check that meets it reports the
/// exercise as not attempted.
/// </summary>
public sealed class ExerciseTodo() : Exception("This is an exercise placeholder: replace `throw Exercise.Todo;` with your code, then run the cell again.");
