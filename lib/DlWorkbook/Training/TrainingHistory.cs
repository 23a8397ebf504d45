using System.Collections;
using System.Globalization;
using DlWorkbook.Runtime;

namespace DlWorkbook.Training;

/// <summary>
/// What a training loop returns: the per-epoch records in order, whether and where training stopped early, and the
/// warnings shown on the way. While training runs it shows every record on a live chart (d2l's loops only draw their
/// values; here they are also data to print, compare or chart: <c>history.Series(name, e => e.TestAccuracy)</c> is one
/// curve for <c>Plots.Curves</c>).
/// </summary>
public sealed class TrainingHistory<TEpoch> : IReadOnlyList<TEpoch> where TEpoch : EpochRecord
{
    /// <summary>An epoch that takes this many times as long as the fastest one before it is reported as slow.</summary>
    internal const double SlowFactor = 3;

    /// <summary>An epoch shorter than this is never reported as slow: short epochs vary too much to judge.</summary>
    internal const double SlowSeconds = 1;

    /// <summary>A training loss this many times the first batch's draws a warning.</summary>
    internal const double GrowthFactor = 100;

    readonly List<TEpoch> epochs = [];
    readonly List<string> warnings = [];
    readonly IEpochView chart;
    readonly TimeProvider clock;
    readonly int plannedEpochs;
    long epochStart;
    double fastestSeconds = double.PositiveInfinity;
    double? startLoss;
    bool saidSlow, saidGrowth;

    /// <summary>A history of up to <paramref name="epochs"/> epochs, drawn on a live chart with these curves.</summary>
    internal TrainingHistory(IReadOnlyList<string> legend, string yTitle, int epochs, string? title, TimeProvider? clock = null)
    {
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Train for at least one epoch.");
        chart = EpochView.Open(legend, epochs, yTitle, title);
        plannedEpochs = epochs;
        this.clock = clock ?? TimeProvider.System;
        epochStart = this.clock.GetTimestamp();
    }

    /// <summary>Where and why training diverged, or null when it did not.</summary>
    public Divergence? Divergence { get; private set; }

    /// <summary>True when training stopped because the loss or perplexity diverged (see <see cref="Divergence"/>).</summary>
    public bool Diverged => Divergence is not null;

    /// <summary>True when training stopped because you pressed Stop (the cell was cancelled).</summary>
    public bool Cancelled { get; private set; }

    /// <summary>The libtorch error that stopped training in the middle of a batch, or null.</summary>
    public TrainingFailedException? Failure { get; private set; }

    /// <summary>
    /// Where and why training ended before its last epoch (diverged, stopped by you, or a libtorch error), shown under
    /// the chart; null when it ran to the end.
    /// </summary>
    public string? StopReason { get; private set; }

    /// <summary>The warnings shown under the chart while training ran (a loss that exploded, a busy machine).</summary>
    public IReadOnlyList<string> Warnings => warnings;

    /// <summary>The number of recorded epochs.</summary>
    public int Count => epochs.Count;

    /// <summary>The record of the <paramref name="index"/>-th epoch, from 0.</summary>
    public TEpoch this[int index] => epochs[index];

    /// <summary>The last recorded epoch.</summary>
    /// <exception cref="InvalidOperationException">No epoch was recorded (training stopped in the first one).</exception>
    public TEpoch Last => epochs.Count > 0
        ? epochs[^1]
        : throw new InvalidOperationException((StopReason ?? "Training recorded no epochs.") + " There is no epoch to report.");

    /// <inheritdoc />
    public IEnumerator<TEpoch> GetEnumerator() => epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Records an epoch and draws it; says once when it took far longer than the fastest epoch before it.</summary>
    internal void Add(TEpoch record)
    {
        epochs.Add(record);
        chart.Add(record.Epoch, record.Plotted, record.Summary);
        var seconds = clock.GetElapsedTime(epochStart).TotalSeconds;
        epochStart = clock.GetTimestamp();
        if (!saidSlow && seconds >= SlowSeconds && seconds > SlowFactor * fastestSeconds)
        {
            saidSlow = true;
            Warn($"epoch {record.Epoch} took {Seconds(seconds)}, {seconds / fastestSeconds:F0}× the {Seconds(fastestSeconds)} of "
                 + "the fastest epoch before it: other programs are probably using the CPU. Close what you do not need, "
                 + "or wait; the results are not affected.");
        }
        fastestSeconds = Math.Min(fastestSeconds, seconds);
    }

    /// <summary>Says once when the training loss of an epoch grew by orders of magnitude over the first batch of the run.</summary>
    internal void WatchLoss(int epoch, EpochStats train, double? learningRate)
    {
        startLoss ??= train.StartLoss;
        if (saidGrowth || !(train.Loss > GrowthFactor * startLoss)) return;
        saidGrowth = true;
        Warn(Divergence.LossGrowth(epoch, startLoss.Value, train.Loss, learningRate));
    }

    /// <summary>
    /// Runs <paramref name="epoch"/> for epochs 1, 2, … up to the number this history was made for, each with the thread
    /// count adapted to the machine's load, and ends the history: at the last epoch, or early, keeping the epochs so
    /// far and saying why under the chart, when the loss diverged, you pressed Stop, or libtorch failed mid-batch.
    /// </summary>
    internal TrainingHistory<TEpoch> Run(Action<int> epoch)
    {
        try
        {
            for (var e = 1; e <= plannedEpochs; e++)
            {
                ThreadSettings.AdaptToLoad();                // fewer threads while other programs keep cores busy
                epoch(e);
            }
        }
        catch (TrainingDivergedException e)
        {
            Divergence = e.Divergence;
            return Stop(e.Message);
        }
        catch (TrainingCancelledException e)
        {
            Cancelled = true;
            return Stop($"{e.Message} {Kept(epochs.Count)}");
        }
        catch (TrainingFailedException e)
        {
            Failure = e;
            return Stop(e.Message);
        }
        chart.Finish(null);
        return this;
    }

    TrainingHistory<TEpoch> Stop(string reason)
    {
        StopReason = reason;
        chart.Finish(reason);
        return this;
    }

    static string Kept(int finished) => finished switch
    {
        0 => "No epoch had finished, so the history is empty.",
        1 => "The epoch finished before it is kept in the history.",
        _ => $"The {finished} epochs finished before it are kept in the history.",
    };

    static string Seconds(double seconds) =>
        seconds.ToString(seconds >= 1 ? "F1" : "G2", CultureInfo.InvariantCulture) + " s";

    void Warn(string warning)
    {
        warnings.Add(warning);
        chart.Warn(warning);
    }
}
