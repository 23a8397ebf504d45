using System.Runtime.InteropServices;

namespace DlWorkbook.Training;

/// <summary>
/// Thrown by the single-pass functions (<c>Classification.TrainEpoch</c>, <c>Metrics.Evaluate</c>, …) between two batches
/// when the learner pressed Stop: the batches before it are done, the one named was not started. The multi-epoch
/// <c>Train</c> functions catch it and return the history so far.
/// </summary>
public sealed class TrainingCancelledException(int epoch, int batch)
    : OperationCanceledException($"Stopped before batch {batch} of epoch {epoch}: you pressed Stop (or the cell was cancelled).")
{
    /// <summary>The epoch that was running, from 1 (0 for an evaluation or generation outside training).</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The batch that was not started, from 1.</summary>
    public int Batch { get; } = batch;
}

/// <summary>
/// Thrown by the single-pass functions when libtorch reported an error in the middle of a batch that is not a shape
/// mistake (those are <see cref="BatchShapeException"/>s). The multi-epoch <c>Train</c> functions catch it and return
/// the history so far, with the message under the chart.
/// </summary>
public sealed class TrainingFailedException(int epoch, int batch, Exception native) : Exception(
    $"Training stopped in epoch {epoch}, batch {batch}: libtorch reported \"{FirstLine(native.Message)}\" The epochs "
    + "finished before it are kept. The model's weights may be half-way through an update, so to repeat the run run "
    + "the cells again from the one that creates the model; re-running only this cell continues from those weights.",
    native)
{
    /// <summary>The epoch in which training stopped, from 1.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The batch in which training stopped, from 1.</summary>
    public int Batch { get; } = batch;

    /// <summary>True for the errors this wraps: libtorch's own (<see cref="ExternalException"/>).</summary>
    internal static bool IsNative(Exception e) => e is ExternalException;

    static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0];
        var cut = line.IndexOf("(Could this error message be improved?", StringComparison.Ordinal);
        line = (cut > 0 ? line[..cut] : line).Trim();
        return line.EndsWith('.') ? line : line + ".";
    }
}
