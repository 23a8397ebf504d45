using System.Globalization;

namespace DlWorkbook.Training;

/// <summary>
/// Where a training run stopped because its loss stopped being a number (NaN or infinite).
/// <see cref="Batch"/> is null when the loss over the full data after the epoch was the first bad value.
/// </summary>
public sealed record Divergence(int Epoch, int? Batch, double Loss, double? LearningRate)
{
    /// <summary>What happened, where, and what to try instead; shown under the chart and printed.</summary>
    public string Message
    {
        get
        {
            var where = Batch is { } batch ? $"in epoch {Epoch}, batch {batch}" : $"in epoch {Epoch} (loss over the full data)";
            var value = double.IsNaN(Loss) ? "NaN (not a number)" : "infinite";
            var rate = LearningRate is { } lr
                ? string.Create(CultureInfo.InvariantCulture, $"the learning rate {lr:G4} is too large; try a smaller one, such as {lr / 10:G4}")
                : "the learning rate is probably too large; try a smaller one, such as a tenth of it";
            return $"Training diverged {where}: the loss became {value}, so the weights can no longer improve. "
                   + $"Usually {rate}. The history up to this point is kept and drawn.";
        }
    }
}

/// <summary>
/// Thrown by <c>TrainingHistory&lt;TEpoch&gt;.EnsureConverged()</c> and by the single-epoch functions when the loss
/// became NaN or infinite. <see cref="History"/> holds the epochs completed before that, when there are any.
/// </summary>
public sealed class TrainingDivergedException(Divergence divergence, TrainingHistory? history = null)
    : Exception(divergence.Message)
{
    /// <summary>Epoch, batch and loss value where training stopped.</summary>
    public Divergence Divergence { get; } = divergence;

    /// <summary>The history up to the divergence (null when thrown from a single-epoch function).</summary>
    public TrainingHistory? History { get; } = history;
}
