using DlWorkbook.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Training;

/// <summary>Small synthetic data sets and a minimal loader for the training tests (no data files).</summary>
internal static class Synthetic
{
    /// <summary>
    /// Minibatches of (x, y) in shuffled or original order, written the way a learner would write d2l's
    /// <c>data_iter</c>: the order tensor is created when the first batch is requested and must live for the pass.
    /// </summary>
    public static IEnumerable<(Tensor X, Tensor y)> Batches(Tensor x, Tensor y, int batchSize, bool shuffle = true)
    {
        var n = x.shape[0];
        var order = shuffle ? randperm(n) : arange(n);
        for (long start = 0; start < n; start += batchSize)
        {
            var index = order[TensorIndex.Slice(start, Math.Min(start + batchSize, n))];
            yield return (x.index_select(0, index), y.index_select(0, index));
        }
    }

    /// <summary>Gaussian blobs, one per class, centred 4 units apart on different axes: linearly separable.</summary>
    public static (Tensor X, Tensor y) Blobs(int perClass, int classes = 3, int features = 4)
    {
        var labels = arange(classes).repeat_interleave(perClass);
        var centres = eye(classes, features) * 4;
        var x = centres.index_select(0, labels) + randn(classes * perClass, features) * 0.5;
        return (x, labels);
    }

    /// <summary>y = X w + b + noise with X ~ N(0, 1): d2l's <c>synthetic_data</c>.</summary>
    public static (Tensor X, Tensor y) Line(int n, float[] w, float b, double noise = 0.01)
    {
        var x = randn(n, w.Length);
        var y = x.matmul(tensor(w).reshape(-1, 1)) + b + randn(n, 1) * noise;
        return (x, y);
    }

    /// <summary>
    /// A text as token-index batches X, Y [batch, steps] in sequential order (d2l's <c>seq_data_iter_sequential</c>
    /// without the random offset), with its character vocabulary.
    /// </summary>
    public static (List<(Tensor X, Tensor Y)> Batches, Vocab Vocab) Text(string text, int batchSize, int steps)
    {
        var vocab = new Vocab(text.Select(c => c.ToString()));
        var corpus = text.Select(c => (long)vocab[c.ToString()]).ToArray();
        var perRow = (corpus.Length - 1) / batchSize;
        var xs = tensor(corpus[..(perRow * batchSize)]).reshape(batchSize, perRow);
        var ys = tensor(corpus[1..(perRow * batchSize + 1)]).reshape(batchSize, perRow);
        var batches = new List<(Tensor, Tensor)>();
        for (var i = 0; i + steps <= perRow; i += steps)
            batches.Add((xs[.., i..(i + steps)].clone(), ys[.., i..(i + steps)].clone()));
        return (batches, vocab);
    }
}
