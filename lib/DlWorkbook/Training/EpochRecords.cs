using System.Globalization;

namespace DlWorkbook.Training;

/// <summary>
/// One epoch of a training history: its number, the values drawn on the live chart, and the line
/// printed for it. The static members describe the chart before the first epoch ends.
/// </summary>
public interface IEpochRecord<TSelf> where TSelf : IEpochRecord<TSelf>
{
    /// <summary>Names of the chart's curves, in the order of <see cref="Plotted"/>.</summary>
    static abstract IReadOnlyList<string> Legend { get; }

    /// <summary>Title of the chart's y axis.</summary>
    static abstract string YTitle { get; }

    /// <summary>The epoch number, from 1.</summary>
    int Epoch { get; }

    /// <summary>This epoch's value for each curve of <see cref="Legend"/>.</summary>
    IReadOnlyList<double> Plotted { get; }

    /// <summary>The one-line summary printed per epoch outside a notebook.</summary>
    string Summary { get; }
}

/// <summary>
/// One epoch of <c>Classification.Train</c>:
/// the values d2l's <c>train_ch3</c> animates, plus the training speed.
/// </summary>
public sealed record ClassificationEpoch(
    int Epoch, double TrainLoss, double TrainAccuracy, double TestAccuracy, double ExamplesPerSecond)
    : IEpochRecord<ClassificationEpoch>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> Legend { get; } = ["train loss", "train acc", "test acc"];

    /// <inheritdoc />
    public static string YTitle => "loss / accuracy";

    /// <inheritdoc />
    public IReadOnlyList<double> Plotted => [TrainLoss, TrainAccuracy, TestAccuracy];

    /// <inheritdoc />
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch}: train loss {TrainLoss:F4}, train acc {TrainAccuracy:F3}, test acc {TestAccuracy:F3}, {ExamplesPerSecond:N0} examples/s");
}

/// <summary>One epoch of <c>Regression.Train</c>: the mean loss over the full data after the epoch.</summary>
public sealed record RegressionEpoch(int Epoch, double Loss, double ExamplesPerSecond) : IEpochRecord<RegressionEpoch>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> Legend { get; } = ["loss"];

    /// <inheritdoc />
    public static string YTitle => "loss (full data)";

    /// <inheritdoc />
    public IReadOnlyList<double> Plotted => [Loss];

    /// <inheritdoc />
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch}: loss {Loss:F5}, {ExamplesPerSecond:N0} examples/s");
}

/// <summary>
/// One epoch of <c>Recurrent.Train</c>: perplexity and speed as d2l's <c>train_ch8</c> reports them,
/// and the sample text generated after the epoch when a sampler was given.
/// </summary>
public sealed record RecurrentEpoch(int Epoch, double Perplexity, double TokensPerSecond, string? Sample)
    : IEpochRecord<RecurrentEpoch>
{
    /// <inheritdoc />
    public static IReadOnlyList<string> Legend { get; } = ["perplexity"];

    /// <inheritdoc />
    public static string YTitle => "perplexity";

    /// <inheritdoc />
    public IReadOnlyList<double> Plotted => [Perplexity];

    /// <inheritdoc />
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch}: perplexity {Perplexity:F2}, {TokensPerSecond:N0} tokens/s")
        + (Sample is null ? "" : $" | {Sample}");
}
