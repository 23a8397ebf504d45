using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>
/// Adapters from TorchSharp's <c>DataLoader</c> to the <c>(X, y)</c> pairs that every loop in
/// <see cref="DlWorkbook.Training"/> takes.
/// </summary>
public static class DataLoaderExtensions
{
    /// <summary>
    /// The batches of a TorchSharp <c>DataLoader</c> over a <c>TensorDataset(X, y)</c> as <c>(X, y)</c> pairs,
    /// which is what every loop in <see cref="DlWorkbook.Training"/> takes.
    /// </summary>
    /// <example><code>
    /// var loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(features, labels), batchSize: 20);
    /// Regression.Train(net, loader.AsPairs(), nn.MSELoss(), torch.optim.SGD(net.parameters(), 0.1), epochs: 20);
    /// </code></example>
    public static IEnumerable<(Tensor X, Tensor y)> AsPairs(this IEnumerable<IList<Tensor>> loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        foreach (var batch in loader)
        {
            if (batch.Count < 2)
                throw new ArgumentException(
                    $"A batch has {batch.Count} tensor(s), but a training loop needs features and labels. "
                    + "Build the loader over TensorDataset(features, labels).", nameof(loader));
            yield return (batch[0], batch[1]);
        }
    }

    /// <summary>
    /// The batches of a TorchSharp <c>DataLoader</c> over a dictionary dataset (such as TorchSharp's
    /// built-in MNIST) as <c>(X, y)</c> pairs, taken from the given keys.
    /// </summary>
    public static IEnumerable<(Tensor X, Tensor y)> AsPairs(
        this IEnumerable<Dictionary<string, Tensor>> loader, string featuresKey = "data", string labelsKey = "label")
    {
        ArgumentNullException.ThrowIfNull(loader);
        foreach (var batch in loader)
        {
            if (!batch.TryGetValue(featuresKey, out var x) || !batch.TryGetValue(labelsKey, out var y))
                throw new ArgumentException(
                    $"A batch has the keys [{string.Join(", ", batch.Keys)}], not \"{featuresKey}\" and \"{labelsKey}\". "
                    + "Pass the dataset's key names as featuresKey and labelsKey.", nameof(loader));
            yield return (x, y);
        }
    }
}
