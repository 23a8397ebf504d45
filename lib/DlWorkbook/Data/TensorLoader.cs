using System.Collections;
using DlWorkbook.Runtime;
using DlWorkbook.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Data;

/// <summary>
/// Minibatches (X, y) over two tensors that hold a whole data set, shuffled or in order.
/// Counterpart of <c>torch.utils.data.DataLoader(TensorDataset(X, y), batch_size, shuffle)</c> and of
/// <c>d2l.load_array</c>, but it gathers each batch's rows at once along a <c>randperm</c> (what
/// <c>X[perm[i:i+b]]</c> does) instead of fetching and stacking item by item as TorchSharp's DataLoader does,
/// which is about 20× slower.
/// </summary>
/// <remarks>
/// <para><b>Who disposes what.</b> The loader disposes each batch when the loop moves on to the next one, as
/// TorchSharp's <c>DataLoader</c> does with <c>disposeBatch: true</c>. What you compute from a batch is yours:
/// open <c>using var scope = torch.NewDisposeScope();</c> inside the loop body to free it every step.
/// A batch you stop at (<c>loader.First()</c>, <c>break</c>) is not disposed by the loader; it is yours.
/// Call <c>clone()</c> on a batch to keep it past its step.</para>
/// <para>Every batch is a fresh tensor, so changing it in place never changes the data set. The loader does not own
/// <see cref="Features"/> and <see cref="Labels"/>.</para>
/// <para>Shuffling draws a new <c>randperm</c> at the start of each epoch from <c>generator</c>, or from TorchSharp's
/// default generator when none is given, so <c>Workbook.Seed</c> makes the order repeatable.</para>
/// </remarks>
public sealed class TensorLoader : IEnumerable<(Tensor X, Tensor Y)>
{
    readonly Generator? generator;
    readonly Func<Tensor, Tensor>? transform;

    /// <summary>A loader over <paramref name="features"/> and <paramref name="labels"/> (same length along dimension 0).</summary>
    /// <param name="features">All inputs, [N, ...].</param>
    /// <param name="labels">All targets, [N, ...].</param>
    /// <param name="batchSize">Examples per batch; the last batch is smaller unless <paramref name="dropLast"/>.</param>
    /// <param name="shuffle">New random order every epoch (training) or the stored order (evaluation).</param>
    /// <param name="generator">Random source for shuffling, like PyTorch's <c>DataLoader(generator=...)</c>.</param>
    /// <param name="transform">Applied to each X batch, e.g. a resize; its input batch is disposed after it.</param>
    /// <param name="dropLast">Leave out a last, incomplete batch (<c>drop_last=True</c>).</param>
    /// <exception cref="ArgumentException">The batch size is not positive or the tensors differ in length.</exception>
    public TensorLoader(Tensor features, Tensor labels, int batchSize, bool shuffle = false, Generator? generator = null,
        Func<Tensor, Tensor>? transform = null, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (features.dim() == 0 || labels.dim() == 0 || features.shape[0] != labels.shape[0])
            throw new ArgumentException(
                $"Features and labels must have the same length along dimension 0; got features {features.ShapeText()} "
                + $"and labels {labels.ShapeText()}.");
        Features = features;
        Labels = labels;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        this.generator = generator;
        this.transform = transform;
    }

    /// <summary>The whole input data, [N, ...] (not transformed, not shuffled).</summary>
    public Tensor Features { get; }

    /// <summary>The whole target data, [N, ...].</summary>
    public Tensor Labels { get; }

    /// <summary>Examples per batch (<c>batch_size</c>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits the examples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether an incomplete last batch is left out.</summary>
    public bool DropLast { get; }

    /// <summary>Number of examples (<c>len(loader.dataset)</c>).</summary>
    public long Size => Features.shape[0];

    /// <summary>Batches per epoch (<c>len(loader)</c>).</summary>
    public int Count => (int)(DropLast ? Size / BatchSize : (Size + BatchSize - 1) / BatchSize);

    /// <summary>One epoch of (X, y) batches; see the remarks on the class for who disposes them.</summary>
    public IEnumerator<(Tensor X, Tensor Y)> GetEnumerator()
    {
        TorchNative.EnsureLoaded();
        var order = Shuffle ? Permutation() : null;
        for (var b = 0; b < Count; b++)
        {
            var (x, y) = Batch(order, (long)b * BatchSize);
            yield return (x, y);
            x.Dispose();
            y.Dispose();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    long[] Permutation()
    {
        using var order = randperm(Size, generator: generator);
        return order.data<long>().ToArray();
    }

    (Tensor X, Tensor Y) Batch(long[]? order, long start)
    {
        var length = (int)Math.Min(BatchSize, Size - start);
        var x = Rows(Features, order, start, length);
        var y = Rows(Labels, order, start, length);
        if (transform is null) return (x, y);
        var transformed = transform(x);
        if (!ReferenceEquals(transformed, x)) x.Dispose();
        return (transformed, y);
    }

    /// <summary>start, start + 1, …, start + length - 1, with the bounds as Scalars freed here.</summary>
    static Tensor Range(long start, int length)
    {
        using Scalar from = start.ToScalar(), to = (start + length).ToScalar();
        return arange(from, to);
    }

    /// <summary>
    /// Rows <c>order[start .. start+length]</c> of <paramref name="source"/>, or rows <c>start .. start+length</c>
    /// when <paramref name="order"/> is null, as a new tensor. Rows of a contiguous CPU tensor are copied here, one memory copy per row, on this thread:
    /// as fast as <c>index_select</c> on an idle machine, and unlike it not slowed a hundredfold when other
    /// processes keep the cores busy (libtorch's worker threads then wait for each other at every small batch).
    /// </summary>
    static Tensor Rows(Tensor source, long[]? order, long start, int length)
    {
        if (source.device_type != DeviceType.CPU || !source.is_contiguous() || source.NumberOfElements * source.ElementSize > int.MaxValue)
        {
            using var indices = order is null ? Range(start, length) : tensor(order.AsSpan((int)start, length).ToArray());
            return source.index_select(0, indices);
        }
        var shape = source.shape.ToArray();
        shape[0] = length;
        var result = empty(shape, source.dtype);
        var rowBytes = (int)(source.NumberOfElements / source.shape[0] * source.ElementSize);
        var from = source.bytes;
        var to = result.bytes;
        if (order is null)
            from.Slice((int)start * rowBytes, length * rowBytes).CopyTo(to);
        else
            for (var i = 0; i < length; i++)
                from.Slice((int)order[start + i] * rowBytes, rowBytes).CopyTo(to.Slice(i * rowBytes, rowBytes));
        return result;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"TensorLoader: {Size} examples, {Count} batches of {BatchSize}{(Shuffle ? ", shuffled" : "")}";
}
