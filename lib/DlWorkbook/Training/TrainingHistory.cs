using System.Collections;
using DlWorkbook.Display;
using Plotly.NET;

namespace DlWorkbook.Training;

/// <summary>
/// What a training loop returns: whether it diverged, and a chart of its epochs. The typed epochs are in
/// <see cref="TrainingHistory{TEpoch}"/>; this base type is what <see cref="TrainingDivergedException"/> carries.
/// </summary>
public abstract class TrainingHistory
{
    private protected TrainingHistory(Divergence? divergence) => Divergence = divergence;

    /// <summary>Where the loss became NaN or infinite, or null when training ran to the end.</summary>
    public Divergence? Divergence { get; }

    /// <summary>True when training stopped early because the loss became NaN or infinite.</summary>
    public bool Diverged => Divergence is not null;

    /// <summary>The number of recorded epochs.</summary>
    public abstract int Count { get; }

    /// <summary>The same chart the live display ends with: every curve over the epochs, with legend and axis titles.</summary>
    public abstract GenericChart ToChart(string? title = null);
}

/// <summary>
/// The per-epoch records of one training run, in order (d2l's loops only draw them; here they are data
/// to print, compare or chart). When training diverged the last record covers only the batches before
/// the divergence, and <see cref="TrainingHistory.Divergence"/> says where it happened.
/// </summary>
public sealed class TrainingHistory<TEpoch> : TrainingHistory, IReadOnlyList<TEpoch>
    where TEpoch : IEpochRecord<TEpoch>
{
    readonly IReadOnlyList<TEpoch> epochs;

    internal TrainingHistory(IReadOnlyList<TEpoch> epochs, Divergence? divergence) : base(divergence) =>
        this.epochs = epochs;

    /// <inheritdoc cref="TrainingHistory.Count" />
    public override int Count => epochs.Count;

    /// <summary>The record of the <paramref name="index"/>-th epoch, from 0.</summary>
    public TEpoch this[int index] => epochs[index];

    /// <summary>The last recorded epoch.</summary>
    /// <exception cref="InvalidOperationException">No epoch was recorded (training diverged in its first batch).</exception>
    public TEpoch Last => epochs.Count > 0
        ? epochs[^1]
        : throw new InvalidOperationException(
            (Divergence?.Message ?? "Training recorded no epochs.") + " There is no epoch to report.");

    /// <summary>
    /// Returns this history when training ran to the end, and throws <see cref="TrainingDivergedException"/>
    /// (carrying this history) when it diverged. Use it where a divergence must stop the program.
    /// </summary>
    public TrainingHistory<TEpoch> EnsureConverged() =>
        Divergence is null ? this : throw new TrainingDivergedException(Divergence, this);

    /// <summary>One value per epoch as a named curve over the epoch numbers, for <see cref="Plots.Curves"/>.</summary>
    /// <example><code>Plots.Curves([good.Series("lr 0.1", e => e.TrainLoss), bad.Series("lr 6", e => e.TrainLoss)], "epoch", "train loss")</code></example>
    public Series Series(string name, Func<TEpoch, double> value) =>
        new(name, epochs.Select(e => (double)e.Epoch).ToList(), epochs.Select(value).ToList());

    /// <inheritdoc />
    public override GenericChart ToChart(string? title = null) =>
        Plots.Curves(TEpoch.Legend.Select((name, i) => Series(name, e => e.Plotted[i])), "epoch", TEpoch.YTitle, title);

    /// <inheritdoc />
    public IEnumerator<TEpoch> GetEnumerator() => epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
