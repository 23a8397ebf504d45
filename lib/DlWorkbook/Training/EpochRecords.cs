using System.Globalization;

namespace DlWorkbook.Training;

/// <summary>One epoch of a training history: its number, the values drawn on the live chart and the line printed for it.</summary>
public abstract record EpochRecord(int Epoch)
{
    /// <summary>This epoch's value for each curve of the live chart, in the order of the chart's legend.</summary>
    internal abstract IReadOnlyList<double> Plotted { get; }

    /// <summary>The line shown for this epoch: the progress line in a notebook, a printed line elsewhere.</summary>
    public abstract string Summary { get; }
}

/// <summary>One epoch of <c>Classification.Train</c>: the values d2l's <c>train_ch3</c> animates, plus the training speed.</summary>
public sealed record ClassificationEpoch(
    int Epoch, double TrainLoss, double TrainAccuracy, double TestAccuracy, double ExamplesPerSecond) : EpochRecord(Epoch)
{
    internal override IReadOnlyList<double> Plotted => [TrainLoss, TrainAccuracy, TestAccuracy];

    /// <inheritdoc />
    public override string Summary => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch}: train loss {TrainLoss:F4}, train acc {TrainAccuracy:F3}, test acc {TestAccuracy:F3}, "
        + $"{ExamplesPerSecond:N0} examples/s");
}

/// <summary>One epoch of <c>Regression.Train</c>: the mean loss over the full data after the epoch.</summary>
public sealed record RegressionEpoch(int Epoch, double Loss, double ExamplesPerSecond) : EpochRecord(Epoch)
{
    internal override IReadOnlyList<double> Plotted => [Loss];

    /// <inheritdoc />
    public override string Summary => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch}: loss {Loss:F5}, {ExamplesPerSecond:N0} examples/s");
}

/// <summary>
/// One epoch of <c>Recurrent.Train</c>: perplexity and speed as d2l's <c>train_ch8</c> reports them, and the sample
/// text generated after the epoch when a sampler was given.
/// </summary>
public sealed record RecurrentEpoch(int Epoch, double Perplexity, double TokensPerSecond, string? Sample) : EpochRecord(Epoch)
{
    internal override IReadOnlyList<double> Plotted => [Perplexity];

    /// <inheritdoc />
    public override string Summary => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch}: perplexity {Perplexity:F2}, {TokensPerSecond:N0} tokens/s") + (Sample is null ? "" : $" | {Sample}");
}
