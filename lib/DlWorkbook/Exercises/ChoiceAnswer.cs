using DlWorkbook.Data;

namespace DlWorkbook.Exercises;

/// <summary>
/// Multiple choice: one letter. Each wrong option carries its own hint (why it is not what happens). The right
/// letter is typed into the catalogue, and <see cref="Evidence"/> computes it again from an experiment, which the
/// tests run (too slow for a check inside a notebook).
/// </summary>
internal sealed class ChoiceAnswer : Answer
{
    readonly IReadOnlyDictionary<char, string> wrongHints;

    public ChoiceAnswer(char correct, string why, IReadOnlyDictionary<char, string> wrongHints, Func<DataCache?, char> evidence, string hint)
    {
        Correct = correct;
        Why = why;
        this.wrongHints = wrongHints;
        Evidence = evidence;
        Hint = hint;
        if (wrongHints.ContainsKey(correct)) throw new ArgumentException($"Option {correct} is the right one and cannot have a wrong-answer hint.");
    }

    public char Correct { get; }

    /// <summary>Why the right option is right, shown with "correct".</summary>
    public string Why { get; }

    /// <summary>Computes the right letter from an experiment or a computation (run by the tests, with their data cache).</summary>
    public Func<DataCache?, char> Evidence { get; }

    public IEnumerable<char> Letters => wrongHints.Keys.Append(Correct).Order();

    public override string Expects => $"one letter, {string.Join(", ", Letters)}";

    public override string Hint { get; }

    public override Verdict Judge(object answer)
    {
        var text = answer switch { char c => c.ToString(), string s => s, _ => null };
        var letter = text?.Trim().TrimStart('(').TrimEnd(')', '.').ToUpperInvariant();
        if (letter is null || letter.Length != 1 || !Letters.Contains(letter[0]))
            return Verdict.WrongKind(answer, $"one of the letters {string.Join(", ", Letters)}, for example 'A'");
        return letter[0] == Correct
            ? Verdict.Correct($"{Correct} is right: {Why}")
            : Verdict.NotYet($"{letter} is not what happens.", wrongHints[letter[0]]);
    }
}
