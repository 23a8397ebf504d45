using DlWorkbook.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Data;

/// <summary>
/// Minibatches of subsequences for language models: X is [batchSize, numSteps] token indices and Y is X shifted
/// one token to the right. Counterpart of d2l 0.17's <c>seq_data_iter_random</c> and <c>seq_data_iter_sequential</c>,
/// with the same rules. The random numbers come from a <c>torch.Generator</c> (or TorchSharp's default generator,
/// seeded by <c>Workbook.Seed</c>) instead of Python's <c>random</c>, so one seed drives all the workbook's
/// randomness; the drawn offsets and orders therefore differ from d2l's, the rules do not.
/// </summary>
/// <remarks>
/// Each batch is disposed when the loop moves on to the next one (like <see cref="TensorLoader"/>); a batch
/// you stop at is yours. Both X and Y are int64, fresh and contiguous.
/// </remarks>
public static class SeqDataIter
{
    /// <summary>
    /// Random sampling (<c>seq_data_iter_random</c>): drop a random offset of 0..numSteps-1 tokens (fewer when the corpus
    /// is too short to spare them, so that every epoch has at least one batch), cut the rest into
    /// (length-1)/numSteps subsequences of numSteps tokens, visit them in random order; only whole batches are
    /// produced. Subsequences in one batch, and in consecutive batches, are not adjacent in the corpus.
    /// </summary>
    /// <exception cref="ArgumentException">The corpus is too short for even one batch.</exception>
    public static IEnumerable<(Tensor X, Tensor Y)> Random(IReadOnlyList<int> corpus, int batchSize, int numSteps, Generator? generator = null)
    {
        Validate(corpus, batchSize, numSteps);
        return RandomBatches(corpus, batchSize, numSteps, generator);
    }

    /// <summary>
    /// Sequential partitioning (<c>seq_data_iter_sequential</c>): drop a random offset of 0..numSteps tokens
    /// (inclusive; fewer when the corpus is too short to spare them, so that every epoch has at least one batch), lay the rest out as batchSize rows, and cut the rows into numSteps-wide batches, so row i
    /// of one batch continues where row i of the previous batch ended.
    /// </summary>
    /// <exception cref="ArgumentException">The corpus is too short for even one batch.</exception>
    public static IEnumerable<(Tensor X, Tensor Y)> Sequential(IReadOnlyList<int> corpus, int batchSize, int numSteps, Generator? generator = null)
    {
        Validate(corpus, batchSize, numSteps);
        return SequentialBatches(corpus, batchSize, numSteps, generator);
    }

    /// <summary>
    /// The random offset of <see cref="Random"/> is drawn from [0, this): d2l's numSteps, capped so that the tokens left
    /// still fill one batch. d2l does not cap it, so a corpus only just long enough gives an epoch with no batch at random.
    /// </summary>
    internal static int RandomOffsetBound(int length, int batchSize, int numSteps) =>
        Math.Min(numSteps, length - batchSize * numSteps);

    /// <summary>The random offset of <see cref="Sequential"/> is drawn from [0, this): numSteps + 1, capped as in <see cref="RandomOffsetBound"/>.</summary>
    internal static int SequentialOffsetBound(int length, int batchSize, int numSteps) =>
        Math.Min(numSteps + 1, length - batchSize * numSteps);

    /// <summary>Batches <see cref="Random"/> yields when it drops <paramref name="offset"/> tokens.</summary>
    internal static int RandomBatchCount(int length, int batchSize, int numSteps, int offset) =>
        Math.Max(0, (length - offset - 1) / numSteps) / batchSize;

    /// <summary>Batches <see cref="Sequential"/> yields when it drops <paramref name="offset"/> tokens.</summary>
    internal static int SequentialBatchCount(int length, int batchSize, int numSteps, int offset) =>
        Math.Max(0, (length - offset - 1) / batchSize) / numSteps;

    static IEnumerable<(Tensor X, Tensor Y)> RandomBatches(IReadOnlyList<int> corpus, int batchSize, int numSteps, Generator? generator)
    {
        var offset = Draw(RandomOffsetBound(corpus.Count, batchSize, numSteps), generator);
        var subsequences = (corpus.Count - offset - 1) / numSteps;
        var starts = Permutation(subsequences, generator);
        var batches = subsequences / batchSize;
        for (var b = 0; b < batches; b++)
        {
            var (x, y) = Gather(corpus, batchSize, numSteps, row => offset + (int)starts[b * batchSize + row] * numSteps);
            yield return (x, y);
            x.Dispose();
            y.Dispose();
        }
    }

    static IEnumerable<(Tensor X, Tensor Y)> SequentialBatches(IReadOnlyList<int> corpus, int batchSize, int numSteps, Generator? generator)
    {
        var offset = Draw(SequentialOffsetBound(corpus.Count, batchSize, numSteps), generator);
        var rowLength = (corpus.Count - offset - 1) / batchSize;
        var batches = rowLength / numSteps;
        for (var b = 0; b < batches; b++)
        {
            var (x, y) = Gather(corpus, batchSize, numSteps, row => offset + row * rowLength + b * numSteps);
            yield return (x, y);
            x.Dispose();
            y.Dispose();
        }
    }

    /// <summary>X[row, j] = corpus[start(row) + j] and Y[row, j] = corpus[start(row) + j + 1].</summary>
    static (Tensor X, Tensor Y) Gather(IReadOnlyList<int> corpus, int batchSize, int numSteps, Func<int, int> start)
    {
        var x = new long[batchSize * numSteps];
        var y = new long[batchSize * numSteps];
        for (var row = 0; row < batchSize; row++)
        {
            var s = start(row);
            for (var j = 0; j < numSteps; j++)
            {
                x[row * numSteps + j] = corpus[s + j];
                y[row * numSteps + j] = corpus[s + j + 1];
            }
        }
        return (tensor(x, [batchSize, numSteps]), tensor(y, [batchSize, numSteps]));
    }

    /// <summary>A random integer in [0, high), like Python's <c>random.randint(0, high - 1)</c>.</summary>
    static int Draw(int high, Generator? generator)
    {
        using var value = randint(0, high, [1], generator: generator);
        return (int)value.item<long>();
    }

    static long[] Permutation(int count, Generator? generator)
    {
        if (count <= 0) return [];
        using var order = randperm(count, generator: generator);
        return order.data<long>().ToArray();
    }

    internal static void Validate(IReadOnlyList<int> corpus, int batchSize, int numSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numSteps);
        if (corpus.Count < batchSize * numSteps + 1)
            throw new ArgumentException(
                $"A corpus of {corpus.Count} tokens is too short for batches of {batchSize} × {numSteps} tokens: "
                + $"it needs at least batchSize × numSteps + 1 = {batchSize * numSteps + 1} (the +1 is Y's last token).",
                nameof(corpus));
        TorchNative.EnsureLoaded();
    }
}
