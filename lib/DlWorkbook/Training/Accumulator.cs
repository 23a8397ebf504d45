namespace DlWorkbook.Training;

/// <summary>
/// Running sums of several quantities over an epoch, for example the summed loss, the number of
/// correct predictions and the number of examples. Counterpart of <c>d2l.Accumulator</c>.
/// </summary>
/// <example><code>
/// var metric = new Accumulator(3);                 // loss sum, correct, examples
/// metric.Add(lossSum, correct, batchSize);
/// var meanLoss = metric[0] / metric[2];
/// </code></example>
public sealed class Accumulator
{
    readonly double[] sums;

    /// <summary>An accumulator of <paramref name="count"/> sums, all zero (d2l: <c>Accumulator(n)</c>).</summary>
    public Accumulator(int count)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "An accumulator needs at least one quantity to sum.");
        sums = new double[count];
    }

    /// <summary>How many quantities are summed.</summary>
    public int Count => sums.Length;

    /// <summary>The running sum of quantity <paramref name="index"/> (d2l: <c>metric[i]</c>).</summary>
    public double this[int index] => sums[index];

    /// <summary>Adds one value to each sum, in the order the quantities were listed (d2l: <c>add(*args)</c>).</summary>
    public void Add(params ReadOnlySpan<double> values)
    {
        if (values.Length != sums.Length)
            throw new ArgumentException(
                $"This accumulator sums {sums.Length} quantities, but Add got {values.Length} values. "
                + "Pass one value per quantity, in the order used when it was created.", nameof(values));
        for (var i = 0; i < sums.Length; i++) sums[i] += values[i];
    }

    /// <summary>Sets every sum back to zero (d2l: <c>reset()</c>).</summary>
    public void Reset() => Array.Clear(sums);
}
