using System.Diagnostics;
using DlWorkbook.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>The training loop for regression (notebook 01, §1.9): minibatch updates, then the loss over the full data per epoch.</summary>
public static class Regression
{
    /// <summary>
    /// One pass over <paramref name="data"/> in training mode, updating the model after every batch; returns the mean
    /// training loss (the loop of d2l's linear-regression sections). The targets must have the output's shape: a loss
    /// such as MSE would otherwise broadcast [N] against [N, 1] and train on wrong numbers.
    /// </summary>
    /// <exception cref="BatchShapeException">A batch does not fit the model or the loss, or the targets' shape differs from the output's.</exception>
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
        long examples = 0;
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
            var where = $"Epoch {epoch}, batch {batch}";
            Tensor? yHat = null, l;
            try
            {
                yHat = model.call(x);
                if (!yHat.shape.SequenceEqual(y.shape)) throw BatchShapeException.TargetShape(where, yHat, y);
                l = loss.call(yHat, y);
                if (l.dim() > 0) l = l.mean();                // a loss per example (reduction "none") is averaged
            }
            catch (Exception e) when (BatchShapeException.IsShapeError(e))
            {
                throw BatchShapeException.For(where, x, y, yHat, e);
            }
            var batchLoss = l.item<float>();
            if (!float.IsFinite(batchLoss))
                throw new TrainingDivergedException(Divergence.OfLoss(epoch, batch, batchLoss, updater.LearningRate, x, y));
            updater.BackwardAndStep(model, l, epoch, batch);
            if (batch == 1) startLoss = batchLoss;
            lossSum += batchLoss * n;
            examples += n;
        }
        if (batch == 0) throw EpochStats.NoBatches(nameof(data));
        return new EpochStats(lossSum / examples, double.NaN, examples, Stopwatch.GetElapsedTime(started).TotalSeconds, startLoss);
    }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs with <see cref="TrainEpoch"/>; after each one, records the mean loss over
    /// all of <paramref name="evaluationData"/> (default: the training data), drawn live in a notebook and printed
    /// elsewhere: d2l's linear-regression loop with <c>evaluate_loss</c> after every epoch. The loader's order is kept,
    /// so an unshuffled loader reproduces a file-order run. Divergence stops training as in <c>Classification.Train</c>.
    /// </summary>
    /// <remarks>A <paramref name="scheduler"/> steps once after every epoch.</remarks>
    /// <example><code>
    /// var history = Regression.Train(net, loader.AsPairs(), nn.MSELoss(), torch.optim.SGD(net.parameters(), 0.1), epochs: 20);
    /// </code></example>
    public static TrainingHistory<RegressionEpoch> Train(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor> loss,
        Updater updater, int epochs, IEnumerable<(Tensor X, Tensor y)>? evaluationData = null,
        optim.lr_scheduler.LRScheduler? scheduler = null, string? title = null)
    {
        var history = new TrainingHistory<RegressionEpoch>(["loss"], "loss (full data)", epochs, title);
        return history.Run(epoch =>
        {
            var train = TrainEpoch(model, data, loss, updater, epoch);
            scheduler?.step();
            var fullLoss = Metrics.AfterEpoch(epoch, model, evaluationData ?? data, loss, updater.LearningRate).Loss;
            if (!double.IsFinite(fullLoss))
                throw new TrainingDivergedException(Divergence.OfLoss(epoch, null, fullLoss, updater.LearningRate));
            history.Add(new RegressionEpoch(epoch, fullLoss, train.ExamplesPerSecond));
            history.WatchLoss(epoch, train, updater.LearningRate);
        });
    }
}
