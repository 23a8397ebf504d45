using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Benchmarks;

/// <summary>
/// Minibatches of in-memory tensors by <c>index_select</c> on a <c>randperm</c>, as the library's <c>TensorLoader</c>
/// gathers them (TorchSharp's DataLoader collates item by item and is about 20 times slower).
/// </summary>
internal sealed class ShuffledBatches(Tensor x, Tensor y, int batchSize, bool shuffle = true) : IEnumerable<(Tensor X, Tensor y)>
{
    public IEnumerator<(Tensor X, Tensor y)> GetEnumerator()
    {
        var n = x.shape[0];
        using var order = shuffle ? randperm(n) : arange(n);
        for (long start = 0; start < n; start += batchSize)
        {
            using var index = order[TensorIndex.Slice(start, Math.Min(start + batchSize, n))];
            yield return (x.index_select(0, index), y.index_select(0, index));
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
