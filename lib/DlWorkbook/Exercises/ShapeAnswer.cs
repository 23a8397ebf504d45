namespace DlWorkbook.Exercises;

/// <summary>A tensor shape such as [16, 6, 28, 28], computed with TorchSharp the first time it is needed.</summary>
internal sealed class ShapeAnswer(Func<long[]> expected, string hint, params (long[] Shape, string Hint)[] mistakes) : Answer
{
    readonly Lazy<long[]> expected = new(expected);

    public override string Expects => "a shape";

    public override string Hint { get; } = hint;

    public long[] Expected => expected.Value;

    /// <summary>The plausible mistakes, each with the hint it gets.</summary>
    public IReadOnlyList<(long[] Shape, string Hint)> Mistakes => mistakes;

    public override Verdict Judge(object answer)
    {
        if (answer is TorchSharp.torch.Tensor)
            return Verdict.NotYet("The answer given is a tensor, not a shape: running the code and passing its result only "
                                  + "shows that the code runs. The exercise asks you to predict the shape before it runs.",
                "Work the shape out from the shapes going in, and write it as whole numbers in brackets, for example [2, 3].");
        if (!AnswerText.TryShape(answer, out var given))
            return Verdict.WrongKind(answer, "a shape: whole numbers in brackets, for example [2, 3]");
        var text = AnswerText.Shape(given);
        if (given.SequenceEqual(Expected)) return Verdict.Correct($"{text} is right.");
        foreach (var mistake in mistakes)
            if (given.SequenceEqual(mistake.Shape)) return Verdict.NotYet($"{text} is not it.", mistake.Hint);
        if (given.Length != Expected.Length)
            return Verdict.NotYet($"{text} has {given.Length} ax{(given.Length == 1 ? "is" : "es")}; the result has {Expected.Length}.", Hint);
        var wrong = Enumerable.Range(0, given.Length).Where(i => given[i] != Expected[i]).ToList();
        return Verdict.NotYet($"{text} has the right number of axes, but the length of ax{(wrong.Count == 1 ? "is" : "es")} {string.Join(" and ", wrong)} (counting from 0) is wrong.", Hint);
    }
}
