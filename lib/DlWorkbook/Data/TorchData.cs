using DlWorkbook.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.utils.data;

namespace DlWorkbook.Data;

/// <summary>
/// The pieces of <c>torch.utils.data</c> that TorchSharp 0.107 lacks or seeds differently: <c>random_split</c>,
/// and a <c>DataLoader</c> whose shuffling follows a <c>torch.Generator</c> (TorchSharp's own takes an
/// <c>int</c> seed for <see cref="System.Random"/>, so <c>Workbook.Seed</c> would not reach it).
/// Meant for small data sets such as the 159 fish; for Fashion-MNIST use <see cref="TensorLoader"/>.
/// </summary>
public static class TorchData
{
    /// <summary>
    /// Splits <paramref name="dataset"/> into non-overlapping random subsets of the given lengths, like
    /// <c>torch.utils.data.random_split(dataset, lengths, generator=g)</c>.
    /// </summary>
    /// <example><c>var (train, valid) = TorchData.RandomSplit(dataset, [109, 50], new torch.Generator().manual_seed(42));</c></example>
    /// <exception cref="ArgumentException">The lengths do not add up to the size of the data set.</exception>
    public static Subset[] RandomSplit(IterableDataset dataset, IReadOnlyList<long> lengths, Generator? generator = null)
    {
        if (lengths.Any(n => n < 0) || lengths.Sum() != dataset.Count)
            throw new ArgumentException(
                $"The split lengths [{string.Join(", ", lengths)}] must be non-negative and add up to the data set's {dataset.Count} items.",
                nameof(lengths));
        TorchNative.EnsureLoaded();
        using var order = randperm(dataset.Count, generator: generator);
        var indices = order.data<long>().ToArray();
        var subsets = new Subset[lengths.Count];
        long start = 0;
        for (var i = 0; i < lengths.Count; i++)
        {
            subsets[i] = new Subset(dataset, indices[(int)start..(int)(start + lengths[i])]);
            start += lengths[i];
        }
        return subsets;
    }

    /// <summary>
    /// TorchSharp's <c>DataLoader</c> over <paramref name="dataset"/>, shuffled (each epoch anew) by
    /// <paramref name="generator"/> or by TorchSharp's default generator. Counterpart of
    /// <c>torch.utils.data.DataLoader(dataset, batch_size, shuffle, generator=g, drop_last)</c>.
    /// </summary>
    /// <remarks>
    /// Each batch is a list [X, y], disposed by the loader when the loop moves on; <see cref="AsPairs"/> turns the
    /// batches into (X, y) pairs. The loader never disposes the data set.
    /// </remarks>
    public static IterableDataLoader DataLoader(IterableDataset dataset, int batchSize, bool shuffle = false,
        Generator? generator = null, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var order = shuffle ? Shuffler(dataset.Count, generator) : Enumerable.Range(0, checked((int)dataset.Count)).Select(i => (long)i);
        return new IterableDataLoader(dataset, batchSize, order, drop_last: dropLast, disposeDataset: false);
    }

    /// <summary>
    /// Indices 0..count-1 in a new random order every time it is enumerated, drawn with <c>randperm</c>;
    /// counterpart of <c>torch.utils.data.RandomSampler(data, generator=g)</c>.
    /// </summary>
    internal static IEnumerable<long> Shuffler(long count, Generator? generator = null)
    {
        TorchNative.EnsureLoaded();
        using var order = randperm(count, generator: generator);
        foreach (var i in order.data<long>().ToArray()) yield return i;
    }

    /// <summary>
    /// The batches of a TorchSharp <c>DataLoader</c> over a <c>TensorDataset(X, y)</c> as <c>(X, y)</c> pairs, which is
    /// what every training loop and metric of the workbook takes: <c>foreach (var (X, y) in loader.AsPairs())</c>.
    /// </summary>
    /// <example><code>
    /// var loader = TorchData.DataLoader(torch.utils.data.TensorDataset(features, labels), batchSize: 20);
    /// Regression.Train(net, loader.AsPairs(), nn.MSELoss(), torch.optim.SGD(net.parameters(), 0.1), epochs: 20);
    /// </code></example>
    /// <exception cref="ArgumentException">A batch does not hold exactly two tensors.</exception>
    public static IEnumerable<(Tensor X, Tensor y)> AsPairs(this IEnumerable<IList<Tensor>> loader)
    {
        foreach (var batch in loader)
        {
            if (batch.Count != 2)
                throw new ArgumentException(
                    $"A batch holds {batch.Count} tensor(s), but a training loop needs features and labels. "
                    + "Build the loader over TensorDataset(features, labels).", nameof(loader));
            yield return (batch[0], batch[1]);
        }
    }
}

/// <summary>
/// The items of another data set at the given indices, like <c>torch.utils.data.Subset(dataset, indices)</c>.
/// Disposing a subset leaves the underlying data set alone.
/// </summary>
public sealed class Subset(IterableDataset dataset, IReadOnlyList<long> indices) : IterableDataset
{
    /// <summary>The data set the items come from.</summary>
    public IterableDataset Dataset { get; } = dataset;

    /// <summary>Positions in <see cref="Dataset"/>, in subset order.</summary>
    public IReadOnlyList<long> Indices { get; } = indices;

    /// <summary>Number of items (<c>len(subset)</c>).</summary>
    public override long Count => Indices.Count;

    /// <summary>Item <paramref name="index"/> of the subset: the tensors of item <c>Indices[index]</c> of the data set.</summary>
    public override IList<Tensor> GetTensor(long index) => Dataset.GetTensor(Indices[checked((int)index)]);
}
