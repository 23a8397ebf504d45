namespace DlWorkbook.Exercises;

/// <summary>How the answers of one exercise are checked. One subclass per kind of answer.</summary>
internal abstract class Answer
{
    /// <summary>What a right answer looks like, said to a learner: "a number", "a shape like [2, 3]", ….</summary>
    public abstract string Expects { get; }

    /// <summary>The general hint for a wrong answer (specific mistakes may have their own).</summary>
    public abstract string Hint { get; }

    /// <summary>
    /// Judges an answer that is neither null nor the placeholder. Text (from the command line) is parsed as the kind
    /// of answer expected. Any value is accepted; one of the wrong kind gets a verdict saying what was expected.
    /// </summary>
    public abstract Verdict Judge(object answer);
}
