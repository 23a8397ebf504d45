using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>How the training loops walk through a loader: every batch inside its own dispose scope.</summary>
internal static class BatchLoop
{
    /// <summary>
    /// Calls <paramref name="body"/> with each batch moved to <paramref name="device"/>, until the data
    /// ends or <paramref name="body"/> returns false; returns how many batches it saw.
    /// </summary>
    /// <remarks>
    /// Each batch gets a dispose scope that opens before the batch is requested, so the tensors the
    /// loader creates for it (slices, copies) are freed with everything computed from them. Tensors that
    /// already existed, such as a list of prepared batches, are left alone. A loader that keeps tensors
    /// across batches must create them before the first batch or detach them from the dispose scope.
    /// </remarks>
    internal static int ForEach(IEnumerable<(Tensor X, Tensor y)> data, Device device, Func<Tensor, Tensor, bool> body)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var batches = data.GetEnumerator();
        var count = 0;
        while (true)
        {
            using var scope = NewDisposeScope();
            if (!batches.MoveNext()) return count;
            count++;
            var (x, y) = batches.Current;
            if (!body(x.MoveTo(device), y.MoveTo(device))) return count;
        }
    }

    /// <summary>
    /// The loss summed over the batch's examples: a scalar loss is taken as a mean over
    /// <paramref name="examples"/>, a per-example loss (reduction none) is summed.
    /// </summary>
    internal static Tensor Summed(Tensor loss, long examples) => loss.numel() == 1 ? loss * examples : loss.sum();
}
