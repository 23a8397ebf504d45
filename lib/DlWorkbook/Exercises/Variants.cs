namespace DlWorkbook.Exercises;

/// <summary>
/// One set of inputs of an exercise: the question for exactly these inputs, the check that computes their answer, and
/// the worked method of the solution (plain arithmetic, no TorchSharp), which the tests hold against the check.
/// </summary>
/// <param name="Number">0 for the inputs the notebook ships; otherwise the seed the inputs were drawn with.</param>
/// <param name="Prompt">The question, as markdown.</param>
/// <param name="Answer">The check for these inputs, its mistakes computed for them too.</param>
/// <param name="Worked">The solution's method applied to these inputs: a double for a number, a long[] for a shape.</param>
internal sealed record Variant(int Number, string Prompt, Answer Answer, Func<object> Worked)
{
    /// <summary>True for the inputs the notebook ships, which the text and the worked solutions use.</summary>
    public bool IsShipped => Number == 0;
}

/// <summary>The inputs an exercise can be asked with: the shipped ones, and fresh ones drawn from a seed.</summary>
internal interface IVariants
{
    /// <summary>The inputs the notebook ships.</summary>
    Variant Shipped { get; }

    /// <summary>Inputs drawn with <paramref name="seed"/> (never the shipped ones); the same seed gives the same inputs.</summary>
    Variant Draw(int seed);
}

/// <summary>
/// The variants of an exercise whose inputs are <typeparamref name="TInputs"/> (a small record): how to draw them,
/// and the prompt, check and worked method as functions of them.
/// </summary>
internal sealed class Variants<TInputs>(
    TInputs shipped,
    Func<Random, TInputs> draw,
    Func<TInputs, string> prompt,
    Func<TInputs, Answer> answer,
    Func<TInputs, object> worked) : IVariants
    where TInputs : notnull
{
    readonly Lazy<Variant> shippedVariant = new(() => new Variant(0, prompt(shipped).Trim(), answer(shipped), () => worked(shipped)));

    public Variant Shipped => shippedVariant.Value;

    public Variant Draw(int seed)
    {
        if (seed == 0) throw new ArgumentOutOfRangeException(nameof(seed), "Variant 0 is the shipped one; draw with any other seed.");
        var random = new Random(seed);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var inputs = draw(random);
            if (inputs.Equals(shipped)) continue;
            return new Variant(seed, prompt(inputs).Trim(), answer(inputs), () => worked(inputs));
        }
        throw new InvalidOperationException($"No inputs other than the shipped ones came out of 100 draws with seed {seed}.");
    }
}

/// <summary>Drawing inputs: a few helpers that keep the draw functions of the catalogue short.</summary>
internal static class Draws
{
    /// <summary>One of <paramref name="options"/>, uniformly.</summary>
    public static T Pick<T>(this Random random, params T[] options) => options[random.Next(options.Length)];

    /// <summary>A whole number from <paramref name="low"/> to <paramref name="high"/>, both included.</summary>
    public static int Between(this Random random, int low, int high) => random.Next(low, high + 1);

    /// <summary>A number from <paramref name="low"/> to <paramref name="high"/> in steps of <paramref name="step"/>, as written with that step (0.05, not 0.05000000001).</summary>
    public static double Step(this Random random, double low, double high, double step)
    {
        var count = (int)Math.Round((high - low) / step);
        var decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        return Math.Round(low + step * random.Next(count + 1), decimals);
    }
}
