using DlWorkbook.Runtime;
using TorchSharp;

namespace DlWorkbook.Exercises;

/// <summary>The kinds of exercise the workbook mixes.</summary>
public enum ExerciseKind
{
    /// <summary>Predict a shape or a number before running the code that shows it.</summary>
    Predict,

    /// <summary>Compute by hand: an output size, a parameter count, one softmax or batch-norm value.</summary>
    ComputeByHand,

    /// <summary>Complete a short piece of code (one training step, the padding formula, one RNN step).</summary>
    CompleteCode,

    /// <summary>Find the bug in a given piece of code: fix it, or name it.</summary>
    FindTheBug,

    /// <summary>Change a hyperparameter and choose what happens.</summary>
    Hyperparameter,

    /// <summary>Explain why: choose the reason behind something the notebook computed or showed.</summary>
    Explain,
}

/// <summary>
/// One exercise of the catalogue: how an answer is checked. The notebook holds what the learner reads (the prompt
/// and the starter code); only a prompt that can be drawn with new numbers is written here, in <see cref="Variants"/>.
/// Every entry comes with plausible wrong answers, which the tests run through the check.
/// </summary>
public sealed class CatalogueEntry
{
    internal CatalogueEntry(string id, ExerciseKind kind, string title, Answer answer,
        IReadOnlyList<object> wrongAnswers, IVariants? variants = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        if (wrongAnswers.Count == 0)
            throw new ArgumentException($"Exercise {id} needs at least one plausible wrong answer, which the tests check is rejected with a hint.", nameof(wrongAnswers));
        Id = id;
        Kind = kind;
        Title = title;
        Answer = answer;
        WrongAnswers = wrongAnswers;
        Variants = variants;
    }

    /// <summary>"NN.k": exercise k of notebook NN; for the mock exam "08.qp", part p of question q (08.3b).</summary>
    public string Id { get; }

    /// <summary>The marks of a mock-exam part; 0 for a notebook's exercise.</summary>
    public int Marks { get; init; }

    /// <summary>For a mock-exam part: the notebook (0 to 7) whose topic it examines; otherwise the exercise's own notebook.</summary>
    public int Topic { get => topic ?? Notebook; init => topic = value; }

    readonly int? topic;

    /// <summary>For a mock-exam part: the sections to revise when it loses marks, for example "§5.3–§5.4".</summary>
    public string? Sections { get; init; }

    /// <summary>The notebook the exercise belongs to (0 to 8; 8 is the mock exam).</summary>
    public int Notebook => int.Parse(Id[..2]);

    /// <summary>What kind of exercise it is.</summary>
    public ExerciseKind Kind { get; }

    /// <summary>A few words naming the exercise, shown with every result.</summary>
    public string Title { get; }

    /// <summary>What a right answer looks like, for example "a number" or "a function (Tensor o) → Tensor".</summary>
    public string Expects => Answer.Expects;

    /// <summary>Answers a learner could plausibly give that are wrong; each must be rejected with a hint.</summary>
    public IReadOnlyList<object> WrongAnswers { get; }

    internal Answer Answer { get; }

    /// <summary>Whether <see cref="Exercise.Again(string)"/> can draw this exercise with new inputs.</summary>
    public bool HasVariants => Variants is not null;

    /// <summary>The inputs the exercise can be drawn with again; null for code and choice exercises.</summary>
    internal IVariants? Variants { get; }

    /// <summary>Checks an answer against the shipped inputs, or against <paramref name="variant"/>'s when one was drawn.</summary>
    internal ExerciseResult Evaluate(object? answer, string? source, Variant? variant = null)
    {
        var check = variant?.Answer ?? Answer;
        var number = variant is { IsShipped: false } ? variant.Number : (int?)null;
        // The checks' own TorchSharp code (the expected answers) writes numbers into operators; nothing it leaves
        // to the finalizer is freed before the check is done.
        using var gate = FinalizerGate.Hold();
        if (answer is null or ExerciseTodo) return NotAttempted(source) with { Variant = number };
        // A check may run the learner's code and make reference tensors: free them, and leave the global random
        // generator where it was, so a notebook's later cells print the same numbers whether or not it was checked.
        // Its tensors are tiny: one thread runs them fastest, and much faster than several on a busy machine.
        var rngState = torch.random.get_rng_state();
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            using var scope = torch.NewDisposeScope();
            var verdict = answer is torch.Tensor { IsInvalid: true }
                ? Verdict.NotYet(DisposedMessage, $"Give {check.Expects}, or compute the tensor again where nothing disposes it before the check.")
                : check.Judge(answer);
            return new ExerciseResult(Id, Title, verdict.Status, verdict.Message, verdict.Hint, source, number);
        }
        catch (LearnerCodeException e) when (e.InnerException is ExerciseTodo or NotImplementedException)
        {
            return NotAttempted(source);
        }
        catch (LearnerCodeException e)
        {
            return new ExerciseResult(Id, Title, ExerciseStatus.NotYet, e.Message, check.Hint, source);
        }
        catch (Exception e)
        {
            // Whatever the answer holds, a check gives a result and never stops the notebook.
            var message = e.Message.Contains("invalid -- empty handle", StringComparison.Ordinal)
                ? DisposedMessage
                : $"The check could not use the answer given ({AnswerText.Describe(answer)}): {e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}";
            return new ExerciseResult(Id, Title, ExerciseStatus.NotYet, message, $"Give {check.Expects}.", source, number);
        }
        finally
        {
            torch.random.set_rng_state(rngState);
            rngState.Dispose();
            torch.set_num_threads(threads);
        }
    }

    const string DisposedMessage = "The answer holds a tensor that was already disposed (by a `using`, a dispose scope or "
                                   + "Dispose()), so its values are gone and the check cannot read them.";

    ExerciseResult NotAttempted(string? source) => new(Id, Title, ExerciseStatus.NotAttempted,
        Answer is CodeAnswer
            ? "Replace `throw Exercise.Todo;` with your code and run the cell again."
            : "Replace `null` with your answer and run the cell again.",
        Source: source);
}
