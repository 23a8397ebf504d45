namespace DlWorkbook.Exercises;

/// <summary>A number, right within a tolerance. The expected value is computed (with TorchSharp where it can be) the first time it is needed.</summary>
internal sealed class NumberAnswer : Answer
{
    readonly Lazy<double> expected;
    readonly double tolerance;
    readonly bool relative;
    readonly (double Value, string Hint)[] mistakes;

    NumberAnswer(Func<double> expected, double tolerance, bool relative, int? decimals, bool whole, string hint, (double, string)[] mistakes)
    {
        this.expected = new(expected);
        this.tolerance = tolerance;
        this.relative = relative;
        this.mistakes = mistakes;
        DecimalsAsked = decimals;
        IsWhole = whole;
        Hint = hint;
    }

    /// <summary>A whole number (a count, a size): only the exact value is right.</summary>
    public static NumberAnswer Whole(Func<double> expected, string hint, params (double Value, string Hint)[] mistakes) =>
        new(expected, 1e-9, relative: true, decimals: null, whole: true, hint, mistakes);

    /// <summary>A number asked for with <paramref name="decimals"/> decimals: right when it rounds to the same.</summary>
    public static NumberAnswer Decimals(Func<double> expected, int decimals, string hint, params (double Value, string Hint)[] mistakes) =>
        new(expected, 0.5 * Math.Pow(10, -decimals) * (1 + 1e-6), relative: false, decimals, whole: false, hint, mistakes);

    /// <summary>A number right to within a relative error, for very small or very large values.</summary>
    public static NumberAnswer Relative(Func<double> expected, double relativeTolerance, string hint, params (double Value, string Hint)[] mistakes) =>
        new(expected, relativeTolerance, relative: true, decimals: null, whole: false, hint, mistakes);

    public override string Expects => IsWhole ? "a whole number" : "a number";

    public override string Hint { get; }

    /// <summary>The right answer (computed on first use).</summary>
    public double Expected => expected.Value;

    /// <summary>The plausible mistakes, each with the hint it gets.</summary>
    public IReadOnlyList<(double Value, string Hint)> Mistakes => mistakes;

    /// <summary>The decimals asked for, or null.</summary>
    public int? DecimalsAsked { get; }

    /// <summary>True for a count or a size: the answer is a whole number.</summary>
    public bool IsWhole { get; }

    public override Verdict Judge(object answer)
    {
        if (!AnswerText.TryNumber(answer, IsWhole, out var given, out var problem))
            return problem is null
                ? Verdict.WrongKind(answer, "a number, such as 42 or 0.125")
                : Verdict.NotYet(problem, "Type the number with digits only, and a decimal point '.' if it has decimals.");
        if (!double.IsFinite(given)) return Verdict.NotYet($"{given} is not a finite number.", Hint);
        if (Near(given, Expected)) return Verdict.Correct($"{AnswerText.Number(given)} is right.");
        var off = AnswerText.HowFarOff(given, Expected);
        foreach (var mistake in mistakes)
            if (Near(given, mistake.Value)) return Verdict.NotYet(off, mistake.Hint);
        if (IsWhole && given != Math.Round(given))
            return Verdict.NotYet($"{AnswerText.Number(given)} is not a whole number, and this answer counts something.", Hint);
        if (DecimalsAsked is { } d && IsTruncated(given, Expected, d))
            return Verdict.NotYet($"{AnswerText.Number(given)} has the right digits, but cut off after {d} decimal{(d == 1 ? "" : "s")}.",
                $"Round, don't truncate: look at the next digit, and when it is 5 or more the last digit you keep goes up by one.");
        return Verdict.NotYet(off, Hint);
    }

    /// <summary>Whether <paramref name="given"/> is <paramref name="expected"/> with its digits after the d-th decimal dropped instead of rounded.</summary>
    static bool IsTruncated(double given, double expected, int decimals)
    {
        var scale = Math.Pow(10, decimals);
        var truncated = Math.Truncate(expected * scale) / scale;
        return Math.Abs(given - truncated) < 1e-9 * Math.Max(1, Math.Abs(expected))
               && Math.Abs(truncated - Math.Round(expected * scale, MidpointRounding.AwayFromZero) / scale) > 0.5 / scale;
    }

    /// <summary>Whether <paramref name="given"/> counts as <paramref name="target"/> within this answer's tolerance.</summary>
    public bool Near(double given, double target) =>
        Math.Abs(given - target) <= (relative ? tolerance * Math.Max(Math.Abs(target), 1e-300) : tolerance);
}
