using DlWorkbook.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Training;

public class ClassificationTests
{
    [Fact]
    public void SoftmaxRegressionOnSeparableBlobsPassesNinetyFivePercent()
    {
        var (xTrain, yTrain) = Synthetic.Blobs(perClass: 200);
        var (xTest, yTest) = Synthetic.Blobs(perClass: 100);
        var net = nn.Linear(4, 3);

        var history = Classification.Train(net, Synthetic.Batches(xTrain, yTrain, 32), Synthetic.Batches(xTest, yTest, 64),
            nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 4);

        Assert.False(history.Diverged);
        Assert.Equal([1, 2, 3, 4], history.Select(e => e.Epoch));
        Assert.True(history.Last.TestAccuracy > 0.95, $"test accuracy {history.Last.TestAccuracy}");
        Assert.True(history.Last.TrainLoss < history[0].TrainLoss);
        Assert.All(history, e => Assert.True(e.ExamplesPerSecond > 0));
    }

    [Fact]
    public void HandWrittenLossAndUpdaterWorkAsInD2lFromScratch()
    {
        var (x, y) = Synthetic.Blobs(perClass: 200);
        var net = nn.Linear(4, 3);
        // d2l's cross_entropy (one loss per example) and its sgd step, on the gradient of the mean loss.
        var crossEntropy = Losses.From((yHat, labels) =>
            -yHat.log_softmax(1).gather(1, labels.unsqueeze(1)).squeeze(1), "cross_entropy");
        var updater = Updater.Custom(() =>
        {
            using var noGrad = no_grad();
            foreach (var p in net.parameters()) p.sub_(p.grad! * 0.1);
        });

        var history = Classification.Train(net, Synthetic.Batches(x, y, 32), Synthetic.Batches(x, y, 64), crossEntropy, updater, epochs: 4);

        Assert.True(history.Last.TestAccuracy > 0.95, $"accuracy {history.Last.TestAccuracy}");
    }

    [Fact]
    public void AHandWrittenStepEqualsTorchSgdStepForStep()
    {
        var (x, y) = Synthetic.Blobs(perClass: 30);
        var (byHand, bySgd) = (nn.Linear(4, 3), nn.Linear(4, 3));
        bySgd.load_state_dict(byHand.state_dict());
        var batches = Synthetic.Batches(x, y, 16, shuffle: false).ToList();
        var step = Updater.Custom(() =>
        {
            using var noGrad = no_grad();
            foreach (var p in byHand.parameters()) p.sub_(p.grad! * 0.3);
        });

        var hand = Classification.TrainEpoch(byHand, batches, nn.CrossEntropyLoss(), step);
        var sgd = Classification.TrainEpoch(bySgd, batches, nn.CrossEntropyLoss(), optim.SGD(bySgd.parameters(), 0.3));

        Assert.Equal(sgd.Loss, hand.Loss, 6);
        Assert.True(byHand.weight!.allclose(bySgd.weight!, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void TrainEpochReportsMeansOverEveryExample()
    {
        var (x, y) = Synthetic.Blobs(perClass: 50);
        var net = nn.Linear(4, 3);
        var batches = Synthetic.Batches(x, y, 40, shuffle: false).ToList();
        double firstLoss;
        using (no_grad()) firstLoss = nn.CrossEntropyLoss().call(net.call(batches[0].X), batches[0].y).item<float>();

        var stats = Classification.TrainEpoch(net, batches, nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1));

        Assert.Equal(150, stats.Examples);
        Assert.Equal(firstLoss, stats.StartLoss, 6);
        Assert.InRange(stats.Accuracy, 0, 1);
        Assert.True(stats.Loss > 0 && stats.ExamplesPerSecond > 0);
    }

    [Fact]
    public void ASchedulerStepsOnceAfterEveryEpoch()
    {
        var (x, y) = Synthetic.Blobs(perClass: 20);
        var net = nn.Linear(4, 3);
        var sgd = optim.SGD(net.parameters(), 0.4);

        Classification.Train(net, Synthetic.Batches(x, y, 16), Synthetic.Batches(x, y, 64), nn.CrossEntropyLoss(), sgd,
            epochs: 3, scheduler: optim.lr_scheduler.StepLR(sgd, step_size: 1, gamma: 0.5));

        Assert.Equal(0.05, sgd.ParamGroups.First().LearningRate, 9);
    }

    [Fact]
    public void NaNInTheDataStopsTrainingNamingTheRowsNotTheLearningRate()
    {
        var (x, y) = Synthetic.Blobs(perClass: 40);
        var poisoned = x.clone();
        poisoned[65, 0] = tensor(float.NaN); // in the third batch of 32 when read in order: its row 1
        poisoned[70, 2] = tensor(float.PositiveInfinity); // row 6
        var net = nn.Linear(4, 3);

        var history = Classification.Train(net, Synthetic.Batches(poisoned, y, 32, shuffle: false), Synthetic.Batches(x, y, 32),
            nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.5), epochs: 3);

        Assert.True(history.Diverged);
        Assert.Equal(1, history.Divergence!.Epoch);
        Assert.Equal(3, history.Divergence.Batch);
        Assert.StartsWith("Training stopped in epoch 1, batch 3: the loss became NaN (not a number) because the batch's X "
                          + "holds NaN or infinite values in rows 1 and 6 of its 32 (counted from 0). The data are at fault, "
                          + "not the learning rate", history.Divergence.Message);
        Assert.Empty(history); // no epoch was completed
        Assert.Contains("no epoch to report", Assert.Throws<InvalidOperationException>(() => history.Last).Message);
    }

    [Fact]
    public void TrainEpochThrowsWhenTheLossIsNaN()
    {
        var net = nn.Linear(2, 2);
        var data = new[] { (tensor(new[] { 1f, 1f }).reshape(1, 2), tensor(new long[] { 0 })) };
        var nanLoss = Losses.From((yHat, _) => yHat.sum() * float.NaN);

        var e = Assert.Throws<TrainingDivergedException>(() =>
            Classification.TrainEpoch(net, data, nanLoss, optim.SGD(net.parameters(), 0.1), epoch: 7));

        Assert.StartsWith("Training diverged in epoch 7, batch 1: the loss became NaN (not a number)", e.Message);
        Assert.Contains("the learning rate 0.1 is too large; try a smaller one, such as 0.01", e.Message);
        Assert.Equal(7, e.Divergence.Epoch);
    }

    [Fact]
    public void AnOrdinaryRunHasNoWarnings()
    {
        var (x, y) = Synthetic.Blobs(perClass: 50);
        var net = nn.Linear(4, 3);
        var history = Classification.Train(net, Synthetic.Batches(x, y, 16), Synthetic.Batches(x, y, 64),
            nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 3);
        Assert.Empty(history.Warnings);
    }

    [Fact]
    public void EmptyTrainingDataIsExplained()
    {
        var net = nn.Linear(2, 2);
        var e = Assert.Throws<ArgumentException>(() =>
            Classification.TrainEpoch(net, [], nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1)));
        Assert.Contains("no batches", e.Message);
    }

    [Fact]
    public void ZeroEpochsIsRefused()
    {
        var net = nn.Linear(2, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Classification.Train(net, [], [], nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 0));
        Assert.Contains("at least one epoch", e.Message);
    }
}

/// <summary>Warnings are printed, so these tests swap the console and run alone.</summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class ClassificationWarningTests
{
    [Fact]
    public void ALossThatGrowsAHundredfoldIsFlaggedOnce()
    {
        var (x, y) = Synthetic.Blobs(perClass: 100);
        var net = nn.Linear(4, 3);

        var (history, lines) = ConsoleCapture.Run(() => Classification.Train(net, Synthetic.Batches(x, y, 20),
            Synthetic.Batches(x, y, 100), nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 1e6), epochs: 3));

        Assert.False(history.Diverged);
        var warning = Assert.Single(history.Warnings);
        Assert.Matches(@"^the training loss grew from [0-9.]+ \(first batch\) to [0-9.E+]+ in epoch 1: the learning rate 1E\+06 "
                       + @"is too large; try a smaller one, such as 1E\+05\.$", warning);
        Assert.Equal("warning: " + warning, Assert.Single(lines, l => l.StartsWith("warning:")));
    }
}
