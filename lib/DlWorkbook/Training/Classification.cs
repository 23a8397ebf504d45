using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>Training loops for classifiers that report loss and accuracy: d2l's <c>train_epoch_ch3</c>, <c>train_ch3</c> and <c>train_ch6</c>.</summary>
public static class Classification
{
    /// <summary>
    /// One pass over <paramref name="data"/> in training mode, updating the model after every batch; returns the
    /// mean training loss and accuracy. Counterpart of <c>d2l.train_epoch_ch3</c>; useful for loops of your own,
    /// such as early stopping on a validation set. <paramref name="epoch"/> only numbers the error message.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public static EpochStats TrainEpoch(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor> loss,
        Updater updater, int epoch = 1)
    {
        var sums = SupervisedEpoch.Run(model, data, loss, updater, epoch, countCorrect: true);
        if (sums.Divergence is { } divergence) throw new TrainingDivergedException(divergence);
        return new EpochStats(sums.MeanLoss, sums.Accuracy, sums.Examples, sums.Seconds);
    }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs, after each one recording training loss, training accuracy and
    /// test accuracy, drawn live in a notebook and printed elsewhere. Counterpart of <c>d2l.train_ch3</c>, without
    /// its final assertions. Batches are moved to the model's device. If the loss becomes NaN or infinite,
    /// training stops with a message naming the epoch and batch, and the history so far is returned with
    /// <see cref="TrainingHistory.Diverged"/> set (call <see cref="TrainingHistory{TEpoch}.EnsureConverged"/> to throw instead).
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
        ArgumentNullException.ThrowIfNull(testData);
        return EpochDriver.Run<ClassificationEpoch>(epochs, title, epoch =>
        {
            var sums = SupervisedEpoch.Run(model, trainData, loss, updater, epoch, countCorrect: true);
            scheduler?.step();
            if (sums.Examples == 0) return (null, sums.Divergence);
            var testAccuracy = Metrics.EvaluateAccuracy(model, testData);
            return (new ClassificationEpoch(epoch, sums.MeanLoss, sums.Accuracy, testAccuracy, sums.ExamplesPerSecond), sums.Divergence);
        });
    }

    /// <summary>
    /// The same loop with plain SGD at <paramref name="learningRate"/> and cross-entropy loss, after moving the model to
    /// <paramref name="device"/> (default: <see cref="Devices.TryGpu"/>). Counterpart of <c>d2l.train_ch6</c>, except that
    /// it keeps the model's weights: call <c>Init.XavierUniform(net)</c> first for d2l's starting point.
    /// </summary>
    public static TrainingHistory<ClassificationEpoch> Train(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> trainData, IEnumerable<(Tensor X, Tensor y)> testData,
        double learningRate, int epochs, Device? device = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.to(device ?? Devices.TryGpu());
        using var loss = nn.CrossEntropyLoss();
        using var optimizer = optim.SGD(model.parameters(), learningRate);
        return Train(model, trainData, testData, loss, optimizer, epochs, title: title);
    }
}

/// <summary>What <see cref="Classification.TrainEpoch"/> returns: mean loss and accuracy over the epoch, examples seen and seconds taken.</summary>
public sealed record EpochStats(double Loss, double Accuracy, long Examples, double Seconds)
{
    /// <summary>Training speed over the epoch.</summary>
    public double ExamplesPerSecond => Examples / Seconds;
}
