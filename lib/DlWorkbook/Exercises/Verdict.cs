namespace DlWorkbook.Exercises;

/// <summary>What an answer checker found: the status, a message about the answer, and a hint for "not yet".</summary>
internal readonly record struct Verdict(ExerciseStatus Status, string Message, string? Hint)
{
    public static Verdict Correct(string message) => new(ExerciseStatus.Correct, message, null);

    public static Verdict NotYet(string message, string hint) => new(ExerciseStatus.NotYet, message, hint);

    /// <summary>An answer of the wrong type or form: say what was given and what is expected.</summary>
    public static Verdict WrongKind(object given, string expected) =>
        NotYet($"This exercise takes {expected}; the answer given is {AnswerText.Describe(given)}.", $"Give {expected}.");
}

/// <summary>The learner's code threw, or does not fit the check; the message says which and where.</summary>
internal sealed class LearnerCodeException(string message, Exception? inner = null) : Exception(message, inner);
