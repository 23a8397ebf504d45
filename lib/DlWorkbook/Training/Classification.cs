using System.Diagnostics;
using DlWorkbook.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>Training loops for classifiers that report loss and accuracy: d2l's <c>train_epoch_ch3</c> and <c>train_ch3</c>.</summary>
public static class Classification
{
    /// <summary>
    /// One pass over <paramref name="data"/> in training mode, updating the model after every batch; returns the mean
    /// training loss and accuracy. Counterpart of <c>d2l.train_epoch_ch3</c>; useful for loops of your own, such as early
    /// stopping on a validation set. Batches are moved to the model's device; <paramref name="epoch"/> numbers the messages.
    /// </summary>
    /// <exception cref="BatchShapeException">A batch does not fit the model or the loss.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="TrainingCancelledException">You pressed Stop; the batches before it were trained.</exception>
    /// <exception cref="TrainingFailedException">libtorch failed in the backward pass or the update.</exception>
    public static EpochStats TrainEpoch(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor> loss,
        Updater updater, int epoch = 1)
    {
        model.train();
        var device = Devices.Of(model);
        var started = Stopwatch.GetTimestamp();
        var cancel = KernelStop.Token;
        double lossSum = 0, startLoss = double.NaN;
        long correct = 0, examples = 0;
        var batch = 0;
        using var gate = FinalizerGate.Hold();               // what the pass leaves to the finalizer waits until it ends
        using var epochScope = NewDisposeScope();             // what the loader makes for the whole pass (an order)
        foreach (var (xb, yb) in data)
        {
            using var batchScope = NewDisposeScope();         // frees this batch and all that is computed from it
            epochScope.MoveToOther(batchScope, xb, yb);       // (a loader's own batches included)
            batch++;
            if (cancel.IsCancellationRequested) throw new TrainingCancelledException(epoch, batch);
            var (x, y, n) = (xb.MoveTo(device), yb.MoveTo(device), xb.size(0));
            Tensor? yHat = null, l;
            try
            {
                yHat = model.call(x);
                l = loss.call(yHat, y);
                if (l.dim() > 0) l = l.mean();                // a loss per example (reduction "none") is averaged
            }
            catch (Exception e) when (BatchShapeException.IsShapeError(e))
            {
                throw BatchShapeException.For($"Epoch {epoch}, batch {batch}", x, y, yHat, e);
            }
            var batchLoss = l.item<float>();
            if (!float.IsFinite(batchLoss))
                throw new TrainingDivergedException(Divergence.OfLoss(epoch, batch, batchLoss, updater.LearningRate, x, y));
            updater.BackwardAndStep(model, l, epoch, batch);
            if (batch == 1) startLoss = batchLoss;
            lossSum += batchLoss * n;
            correct += Metrics.CorrectCount(yHat, y);
            examples += n;
        }
        if (batch == 0) throw EpochStats.NoBatches(nameof(data));
        return new EpochStats(lossSum / examples, (double)correct / examples, examples, Stopwatch.GetElapsedTime(started).TotalSeconds, startLoss);
    }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs with <see cref="TrainEpoch"/>, after each one recording training loss,
    /// training accuracy and test accuracy, drawn live in a notebook and printed elsewhere. Counterpart of
    /// <c>d2l.train_ch3</c>, without its final assertions. If the loss becomes NaN or infinite, training stops with a
    /// message naming the epoch and batch, and the epochs so far are returned with <see cref="TrainingHistory{T}.Diverged"/>
    /// set; a loss that grows a hundredfold, or an epoch far slower than the others, is flagged under the chart. Stop
    /// (cancelling the cell) ends training before the next batch, and a libtorch error in the middle of a batch ends it
    /// too: either way the epochs so far are returned and <see cref="TrainingHistory{T}.StopReason"/> says where.
    /// </summary>
    /// <remarks>
    /// A <paramref name="scheduler"/> (for example <c>torch.optim.lr_scheduler.StepLR(sgd, 5, 0.1)</c>) steps once after
    /// every epoch, as in the <c>train</c> function of d2l's learning-rate scheduling section.
    /// </remarks>
    /// <example><code>
    /// var history = Classification.Train(net, trainIter, testIter, nn.CrossEntropyLoss(),
    ///     torch.optim.SGD(net.parameters(), 0.1), epochs: 10, title: "softmax regression");
    /// </code></example>
    public static TrainingHistory<ClassificationEpoch> Train(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> trainData, IEnumerable<(Tensor X, Tensor y)> testData,
        nn.Module<Tensor, Tensor, Tensor> loss, Updater updater, int epochs,
        optim.lr_scheduler.LRScheduler? scheduler = null, string? title = null)
    {
        var history = new TrainingHistory<ClassificationEpoch>(["train loss", "train acc", "test acc"], "loss / accuracy", epochs, title);
        return history.Run(epoch =>
        {
            var train = TrainEpoch(model, trainData, loss, updater, epoch);
            scheduler?.step();
            var testAccuracy = Metrics.AfterEpoch(epoch, model, testData, loss: null, updater.LearningRate).Accuracy;
            history.Add(new ClassificationEpoch(epoch, train.Loss, train.Accuracy, testAccuracy, train.ExamplesPerSecond));
            history.WatchLoss(epoch, train, updater.LearningRate);
        });
    }
}

/// <summary>
/// What <see cref="Classification.TrainEpoch"/> and <see cref="Regression.TrainEpoch"/> return: the mean loss and accuracy
/// over the epoch (accuracy is NaN for regression), examples seen, seconds taken, and the loss of the epoch's first batch.
/// </summary>
public sealed record EpochStats(double Loss, double Accuracy, long Examples, double Seconds, double StartLoss)
{
    /// <summary>Training speed over the epoch.</summary>
    public double ExamplesPerSecond => Examples / Seconds;

    internal static ArgumentException NoBatches(string parameter) => new(
        "The training data gave no batches. Check the loader: is it empty, or is the batch size larger than the data "
        + "set while incomplete batches are dropped?", parameter);
}
