using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>The training loop for regression (curriculum §2.9): minibatch updates, then the loss over the full data per epoch.</summary>
public static class Regression
{
    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs; after each one, records the mean loss over all of
    /// <paramref name="evaluationData"/> (default: the training data), drawn live in a notebook and printed
    /// elsewhere. This is the loop of d2l's linear-regression sections with <c>evaluate_loss</c> after every epoch.
    /// The loader's order is kept, so an unshuffled loader reproduces a file-order run. Divergence is handled as in
    /// <c>Classification.Train</c>:
    /// training stops, says where, and the history so far is returned with <see cref="TrainingHistory.Diverged"/> set.
    /// </summary>
    /// <remarks>A <paramref name="scheduler"/> steps once after every epoch.</remarks>
    /// <example><code>
    /// var history = Regression.Train(net, loader.AsPairs(), nn.MSELoss(), torch.optim.SGD(net.parameters(), 0.1), epochs: 20);
    /// </code></example>
    public static TrainingHistory<RegressionEpoch> Train(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor> loss,
        Updater updater, int epochs, IEnumerable<(Tensor X, Tensor y)>? evaluationData = null,
        optim.lr_scheduler.LRScheduler? scheduler = null, string? title = null) =>
        EpochDriver.Run<RegressionEpoch>(epochs, title, epoch =>
        {
            var sums = SupervisedEpoch.Run(model, data, loss, updater, epoch, countCorrect: false);
            scheduler?.step();
            if (sums.Examples == 0) return (null, sums.Divergence);
            var fullLoss = Metrics.EvaluateLoss(model, evaluationData ?? data, loss);
            if (!double.IsFinite(fullLoss))
                return (null, sums.Divergence ?? new Divergence(epoch, null, fullLoss, updater.LearningRate));
            return (new RegressionEpoch(epoch, fullLoss, sums.ExamplesPerSecond), sums.Divergence);
        });
}
