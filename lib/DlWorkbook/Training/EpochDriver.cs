using System.Diagnostics;
using DlWorkbook.Display;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>The part every training loop shares: epochs, the live chart, and stopping at a divergence.</summary>
internal static class EpochDriver
{
    /// <summary>
    /// Runs <paramref name="epoch"/> for epochs 1..<paramref name="epochs"/>, adding each record to the history
    /// and the live chart; stops after the first epoch that reports a divergence.
    /// </summary>
    internal static TrainingHistory<TEpoch> Run<TEpoch>(
        int epochs, string? title, Func<int, (TEpoch? Record, Divergence? Divergence)> epoch)
        where TEpoch : class, IEpochRecord<TEpoch>
    {
        if (epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Train for at least one epoch.");
        var chart = new LiveChart(TEpoch.Legend, epochs, "epoch", TEpoch.YTitle, title);
        var records = new List<TEpoch>(epochs);
        for (var e = 1; e <= epochs; e++)
        {
            var (record, divergence) = epoch(e);
            if (record is not null)
            {
                records.Add(record);
                chart.Add(e, record.Plotted, record.Summary);
            }
            if (divergence is not null)
            {
                chart.Finish(divergence.Message);
                return new TrainingHistory<TEpoch>(records, divergence);
            }
        }
        chart.Finish();
        return new TrainingHistory<TEpoch>(records, null);
    }
}

/// <summary>Sums over one epoch of a supervised loop, and where it diverged if it did.</summary>
internal readonly record struct EpochSums(double LossSum, long Correct, long Examples, double Seconds, Divergence? Divergence)
{
    public double MeanLoss => LossSum / Examples;
    public double Accuracy => (double)Correct / Examples;
    public double ExamplesPerSecond => Examples / Seconds;
}

/// <summary>One epoch of minibatch training with a loss on (prediction, label): d2l's <c>train_epoch_ch3</c>.</summary>
internal static class SupervisedEpoch
{
    internal static EpochSums Run(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor> loss,
        Updater updater, int epoch, bool countCorrect)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(updater);
        model.train();
        double lossSum = 0;
        long correct = 0, examples = 0;
        var batch = 0;
        Divergence? divergence = null;
        var watch = Stopwatch.StartNew();
        var batches = BatchLoop.ForEach(data, Devices.Of(model), (x, y) =>
        {
            batch++;
            var n = x.size(0);
            var where = $"Epoch {epoch}, batch {batch}";
            var yHat = BatchShapeException.Forward(model, x, where);
            var l = BatchShapeException.Loss(loss, yHat, y, where);
            var batchLoss = BatchLoop.SummedValue(l, n);
            if (!double.IsFinite(batchLoss))
            {
                divergence = new Divergence(epoch, batch, batchLoss, updater.LearningRate);
                return false;
            }
            updater.ZeroGrad(model);
            BatchLoop.ForBackward(l, n, updater.WantsSummedLoss).backward();
            updater.Step((int)n);
            lossSum += batchLoss;
            examples += n;
            if (countCorrect) correct += Metrics.CorrectCount(yHat, y);
            return true;
        });
        if (batches == 0)
            throw new ArgumentException(
                "The training data gave no batches. Check the loader: is it empty, or is the batch size larger "
                + "than the data set while incomplete batches are dropped?", nameof(data));
        return new EpochSums(lossSum, correct, examples, watch.Elapsed.TotalSeconds, divergence);
    }
}
