using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using DlWorkbook.Training;

namespace DlWorkbook.Display;

/// <summary>
/// Shows every training run on a <see cref="LiveChart"/>. Training sits below Display and never names it; it asks
/// <see cref="EpochView.Open"/> for a view of each run, and this sets that to a live chart as soon as the library is
/// loaded (a module initializer runs before any code of the assembly), so the notebook kernel, a generated console
/// program and a test all get the same chart and the same printed lines without wiring anything up.
/// </summary>
internal static class TrainingDisplay
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Sets one delegate inside this assembly; nothing for an app to order.")]
    internal static void ShowRunsOnLiveCharts() =>
        EpochView.Open = (legend, epochs, yTitle, title) => new LiveChart(legend, epochs, "epoch", yTitle, title);
}

public static partial class Plots
{
    /// <summary>The curves of a training history (Display's side of <see cref="TrainingHistory{TEpoch}"/>).</summary>
    extension<TEpoch>(TrainingHistory<TEpoch> history) where TEpoch : EpochRecord
    {
        /// <summary>One value per epoch as a named curve over the epoch numbers, for <see cref="Curves"/>.</summary>
        /// <example><code>Plots.Curves([good.Series("lr 0.1", e => e.TrainLoss), bad.Series("lr 6", e => e.TrainLoss)], "epoch", "train loss")</code></example>
        public Series Series(string name, Func<TEpoch, double> value) =>
            new(name, history.Select(e => (double)e.Epoch).ToList(), history.Select(value).ToList());
    }
}
