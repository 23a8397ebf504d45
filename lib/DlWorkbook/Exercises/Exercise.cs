using DlWorkbook.Runtime;

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
    /// <remarks>The result is recorded for <see cref="Progress"/>, unless it is "not attempted".</remarks>
    public static void Check(string id, object? answer) => ShowAndRecord(Evaluate(id, answer));

    /// <summary>Checks a function written by the learner (a lambda or a local function), see <see cref="Check(string, object?)"/>.</summary>
    public static void Check(string id, Delegate? answer) => ShowAndRecord(Evaluate(id, answer));

    /// <summary>The result <see cref="Check(string, object?)"/> shows, without showing it.</summary>
    public static ExerciseResult Evaluate(string id, object? answer)
    {
        if (!ExerciseCatalogue.TryGet(id, out var entry, out var problem))
            return new ExerciseResult(id ?? "", "no such exercise", ExerciseStatus.NotYet, problem,
                "Copy the id from the exercise's heading, for example \"05.3\" for Exercise 05.3.");
        var variant = Drawn.GetValueOrDefault(entry.Id);
        var result = ExternalAnswers.Current.TryGetValue(entry.Id, out var external)
            ? entry.Evaluate(external.Text, external.Source, variant)
            : entry.Evaluate(answer, source: null, variant);
        Recorder.Value?.Add((result, answer));
        return result;
    }

    /// <summary>
    /// Asks exercise <paramref name="id"/> again with new numbers: shows the question with freshly drawn inputs, and
    /// from then on its check (the same <c>Exercise.Check</c> cell) expects the answer for those inputs, computed with
    /// TorchSharp as before. Every exercise whose answer is a number or a shape can be drawn again; run it as often as
    /// you like. <see cref="Original"/> goes back to the notebook's own numbers.
    /// </summary>
    /// <example><code>Exercise.Again("05.3");   // then answer in the cell of exercise 05.3 and run it</code></example>
    public static void Again(string id) => Again(id, Random.Shared.Next(1, 100_000));

    /// <summary>
    /// <see cref="Again(string)"/> with the inputs of variant <paramref name="seed"/>: the same seed always gives the
    /// same question, so a variant can be shared or asked again later. Seed 0 is the notebook's own numbers.
    /// </summary>
    public static void Again(string id, int seed) => ShowQuestion(id, DrawVariant(id, seed));

    /// <summary>Goes back to the notebook's own numbers for exercise <paramref name="id"/> and shows its question again.</summary>
    public static void Original(string id) => ShowQuestion(id, DrawVariant(id, 0));

    /// <summary>The inputs drawn for an exercise, by id; an exercise without an entry uses the notebook's.</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Variant> Drawn = new();

    /// <summary>Draws variant <paramref name="seed"/> of exercise <paramref name="id"/> and makes it the one its check uses.</summary>
    internal static (CatalogueEntry? Entry, Variant? Variant, string? Problem) DrawVariant(string id, int seed)
    {
        if (!ExerciseCatalogue.TryGet(id, out var entry, out var problem)) return (null, null, problem);
        if (entry.Variants is null)
        {
            var others = ExerciseCatalogue.Entries.Where(e => e.Notebook == entry.Notebook && e.HasVariants).Select(e => e.Id).ToList();
            return (entry, null, $"Exercise {entry.Id} ({entry.Title}) asks for {entry.Expects}, which has no numbers to draw again."
                                 + (others.Count > 0 ? $" In notebook {entry.Id[..2]} these can be: {string.Join(", ", others)}." : ""));
        }
        if (seed == 0)
        {
            Drawn.TryRemove(entry.Id, out _);
            return (entry, entry.Variants.Shipped, null);
        }
        try
        {
            var variant = entry.Variants.Draw(seed);
            Drawn[entry.Id] = variant;
            return (entry, variant, null);
        }
        catch (Exception e)
        {
            return (entry, null, $"Exercise {entry.Id} could not be drawn with seed {seed}: {e.Message} Try another seed.");
        }
    }

    static void ShowQuestion(string id, (CatalogueEntry? Entry, Variant? Variant, string? Problem) drawn)
    {
        if (drawn.Problem is not null || drawn.Entry is null || drawn.Variant is null)
        {
            var text = drawn.Problem ?? $"Exercise {id} has no question to show.";
            CellOutput.Show($"<div class=\"dlw-exercise\" style=\"border-left:4px solid #6b7280;padding:2px 10px;margin:4px 0\">"
                            + $"{System.Net.WebUtility.HtmlEncode(text)}</div>", text);
            return;
        }
        var note = drawn.Variant.IsShipped
            ? $"*The notebook's own numbers again: the check of exercise {drawn.Entry.Id} expects their answer.*"
            : $"*Variant {drawn.Variant.Number}, new numbers: the check of exercise {drawn.Entry.Id} (its cell in the notebook) now "
              + $"expects the answer for these. `Exercise.Original(\"{drawn.Entry.Id}\")` goes back to the notebook's numbers.*";
        CellOutput.ShowMarkdown(drawn.Variant.Prompt + "\n\n" + note);
    }

    /// <summary>Collects every check on this async flow, result and answer (tests run learner-style code and read what it checked).</summary>
    internal static readonly AsyncLocal<List<(ExerciseResult Result, object? Answer)>?> Recorder = new();

    static void ShowAndRecord(ExerciseResult result, string extraHtml = "", string extraText = "", int? selfMarked = null)
    {
        CellOutput.Show(result.ToHtml() + extraHtml, result.ToText() + extraText);
        if (!ExerciseCatalogue.TryGet(result.Id, out var entry, out _) || result.Status == ExerciseStatus.NotAttempted) return;
        int? marks = entry.Notebook == MockExam.Notebook
            ? selfMarked ?? (entry.Answer is SelfMarkedAnswer ? null : result.IsCorrect ? entry.Marks : 0)
            : null;
        if (entry.Answer is SelfMarkedAnswer && marks is null) return;   // written but not marked yet: nothing to record
        if (entry.Notebook == MockExam.Notebook) MockExam.Note(result.Id, result.Status, marks ?? 0);
        if (Progress.Record(result, marks) is { } problem)
            CellOutput.Show($"<div style=\"color:#6b7280;font-size:0.85em\">{System.Net.WebUtility.HtmlEncode(problem)}</div>", problem);
    }

    /// <summary>
    /// An explain-why part of the mock exam: write your explanation in <paramref name="answer"/> and run the cell. Once
    /// something is written, the model answer and the marking points appear under it; compare them point by point,
    /// give yourself <paramref name="marks"/> and run the cell again, which records them for <see cref="MockExam.Results"/>.
    /// </summary>
    /// <example><code>
    /// var answer = "";      // ← your explanation
    /// int? marks = null;    // ← then the marks you give yourself
    /// Exercise.Explain("08.3c", answer, marks);
    /// </code></example>
    public static void Explain(string id, string? answer, int? marks = null)
    {
        var (result, scheme) = EvaluateExplanation(id, answer, marks);
        var shows = scheme is not null && result.Status != ExerciseStatus.NotAttempted;
        ShowAndRecord(result, shows ? scheme!.SchemeHtml() : "", shows ? "\n" + scheme!.SchemeText() : "",
            result.Status == ExerciseStatus.NotAttempted || scheme is null || marks is not { } m || m < 0 || m > scheme.Max ? null : m);
    }

    /// <summary>The result <see cref="Explain"/> shows, and the mark scheme it shows with it (null for a part that is not an explanation).</summary>
    internal static (ExerciseResult Result, SelfMarkedAnswer? Scheme) EvaluateExplanation(string id, string? answer, int? marks)
    {
        ExerciseResult result;
        SelfMarkedAnswer? scheme = null;
        if (!ExerciseCatalogue.TryGet(id, out var entry, out var problem))
            result = new ExerciseResult(id ?? "", "no such exercise", ExerciseStatus.NotYet, problem,
                "Copy the id from the question, for example \"08.3c\" for part (c) of question 3.");
        else if (entry.Answer is not SelfMarkedAnswer selfMarked)
            result = new ExerciseResult(entry.Id, entry.Title, ExerciseStatus.NotYet,
                $"Exercise {entry.Id} is not an explanation: it takes {entry.Expects}.", $"Answer it with Exercise.Check(\"{entry.Id}\", answer).");
        else
        {
            scheme = selfMarked;
            var text = ExternalAnswers.Current.TryGetValue(entry.Id, out var external) ? external.Text : answer;
            result = SelfMarkedAnswer.IsBlank(text)
                ? new ExerciseResult(entry.Id, entry.Title, ExerciseStatus.NotAttempted,
                    "Write your answer between the quotes and run the cell: the model answer and the marking points appear once you have.")
                : marks is null
                    ? new ExerciseResult(entry.Id, entry.Title, ExerciseStatus.NotYet, selfMarked.Unmarked, null)
                    : marks < 0 || marks > selfMarked.Max
                        ? new ExerciseResult(entry.Id, entry.Title, ExerciseStatus.NotYet,
                            $"Marks go from 0 to {selfMarked.Max}; {marks} is not one of them.", $"Set marks to a whole number from 0 to {selfMarked.Max}.")
                        : marks == selfMarked.Max
                            ? new ExerciseResult(entry.Id, entry.Title, ExerciseStatus.Correct, $"You gave yourself {marks} of {selfMarked.Max} marks.")
                            : new ExerciseResult(entry.Id, entry.Title, ExerciseStatus.NotYet, $"You gave yourself {marks} of {selfMarked.Max} marks.",
                                $"The points you missed are the ones to learn: revisit {entry.Sections}.");
        }
        Recorder.Value?.Add((result, answer));
        return (result, scheme);
    }
}

/// <summary>
/// Thrown by code that still holds the placeholder <c>throw Exercise.Todo;</c>; a check that meets it reports the
/// exercise as not attempted.
/// </summary>
public sealed class ExerciseTodo() : Exception("This is an exercise placeholder: replace `throw Exercise.Todo;` with your code, then run the cell again.");
