namespace DlWorkbook.Exercises;

/// <summary>A number, right within a tolerance. The expected value is computed (with TorchSharp where it can be) the first time it is needed.</summary>
internal sealed class NumberAnswer : Answer
{
    readonly Lazy<double> expected;
    readonly double tolerance;
    readonly bool relative;
    readonly (double Value, string Hint)[] mistakes;

    NumberAnswer(Func<double> expected, double tolerance, bool relative, string hint, (double, string)[] mistakes)
    {
        this.expected = new(expected);
        this.tolerance = tolerance;
        this.relative = relative;
        this.mistakes = mistakes;
        Hint = hint;
    }

    /// <summary>A whole number (a count, a size): only the exact value is right.</summary>
    public static NumberAnswer Whole(Func<double> expected, string hint, params (double Value, string Hint)[] mistakes) =>
        new(expected, 1e-9, relative: true, hint, mistakes);

    /// <summary>A number asked for with <paramref name="decimals"/> decimals: right when it rounds to the same.</summary>
    public static NumberAnswer Decimals(Func<double> expected, int decimals, string hint, params (double Value, string Hint)[] mistakes) =>
        new(expected, 0.5 * Math.Pow(10, -decimals) * (1 + 1e-6), relative: false, hint, mistakes);

    /// <summary>A number right to within a relative error, for very small or very large values.</summary>
    public static NumberAnswer Relative(Func<double> expected, double relativeTolerance, string hint, params (double Value, string Hint)[] mistakes) =>
        new(expected, relativeTolerance, relative: true, hint, mistakes);

    public override string Expects => "a number";

    public override string Hint { get; }

    /// <summary>The right answer (computed on first use).</summary>
    public double Expected => expected.Value;

    public override Verdict Judge(object answer)
    {
        if (!AnswerText.TryNumber(answer, out var given)) return Verdict.WrongKind(answer, "a number, such as 42 or 0.125");
        if (!double.IsFinite(given)) return Verdict.NotYet($"{given} is not a finite number.", Hint);
        if (Near(given, Expected)) return Verdict.Correct($"{AnswerText.Number(given)} is right.");
        var off = AnswerText.HowFarOff(given, Expected);
        foreach (var mistake in mistakes)
            if (Near(given, mistake.Value)) return Verdict.NotYet(off, mistake.Hint);
        return Verdict.NotYet(off, Hint);
    }

    bool Near(double given, double target) =>
        Math.Abs(given - target) <= (relative ? tolerance * Math.Max(Math.Abs(target), 1e-300) : tolerance);
}
