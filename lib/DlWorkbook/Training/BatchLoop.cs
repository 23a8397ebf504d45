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
    /// Every batch after the first is requested inside its own dispose scope, so the tensors the loader
    /// creates for it (index tensors, slices, copies) are freed together with everything computed from
    /// them. The first batch is requested in a scope that lasts for the whole pass: a loader written as an
    /// iterator creates its state (a shuffled order, the corpus reshaped into rows) only when the first
    /// batch is asked for, and that state must live until the last batch. Tensors that existed before the
    /// pass, such as a list of prepared batches, are never disposed here.
    /// </remarks>
    internal static int ForEach(IEnumerable<(Tensor X, Tensor y)> data, Device device, Func<Tensor, Tensor, bool> body)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var passScope = NewDisposeScope();
        using var batches = data.GetEnumerator();
        if (!batches.MoveNext()) return 0;
        for (var count = 1; ; count++)
        {
            using var batchScope = NewDisposeScope();
            if (count > 1 && !batches.MoveNext()) return count - 1;
            var (x, y) = batches.Current;
            if (!body(x.MoveTo(device), y.MoveTo(device))) return count;
        }
    }

    /// <summary>
    /// The batch's loss summed over its <paramref name="examples"/>, as a number: a scalar loss is taken as the
    /// mean over the examples, a loss per example (reduction none) is summed.
    /// </summary>
    internal static double SummedValue(Tensor loss, long examples) =>
        loss.numel() == 1 ? loss.item<float>() * (double)examples : loss.sum().item<float>();

    /// <summary>What to back-propagate: the summed loss for a hand-written updater (as in d2l), else the mean.</summary>
    internal static Tensor ForBackward(Tensor loss, long examples, bool summed) => (summed, loss.numel() == 1) switch
    {
        (true, true) => loss * examples,
        (true, false) => loss.sum(),
        (false, true) => loss,
        (false, false) => loss.mean(),
    };
}
