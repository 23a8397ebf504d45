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
        // d2l's cross_entropy (one loss per example) and sgd (divides the summed gradient by the batch size).
        var crossEntropy = Losses.From((yHat, labels) =>
            -yHat.log_softmax(1).gather(1, labels.unsqueeze(1)).squeeze(1), "cross_entropy");
        var updater = Updater.Custom(batchSize =>
        {
            using var noGrad = no_grad();
            foreach (var p in net.parameters()) p.sub_(p.grad! * 0.1 / batchSize);
        });

        var history = Classification.Train(net, Synthetic.Batches(x, y, 32), Synthetic.Batches(x, y, 64), crossEntropy, updater, epochs: 4);

        Assert.True(history.Last.TestAccuracy > 0.95, $"accuracy {history.Last.TestAccuracy}");
    }

    [Fact]
    public void TrainEpochReportsMeansOverEveryExample()
    {
        var (x, y) = Synthetic.Blobs(perClass: 50);
        var net = nn.Linear(4, 3);

        var stats = Classification.TrainEpoch(net, Synthetic.Batches(x, y, 40), nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1));

        Assert.Equal(150, stats.Examples);
        Assert.InRange(stats.Accuracy, 0, 1);
        Assert.True(stats.Loss > 0 && stats.ExamplesPerSecond > 0);
    }

    [Fact]
    public void LearningRateOverloadTrainsLikeD2lTrainCh6()
    {
        var (x, y) = Synthetic.Blobs(perClass: 200, features: 16);
        var images = x.reshape(-1, 1, 4, 4);
        var net = nn.Sequential(nn.Flatten(), nn.Linear(16, 3));

        var history = Classification.Train(net, Synthetic.Batches(images, y, 32), Synthetic.Batches(images, y, 64),
            learningRate: 0.1, epochs: 3, device: CPU);

        Assert.True(history.Last.TestAccuracy > 0.95);
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
    public void ANaNBatchStopsTrainingNamingEpochAndBatchAndKeepsTheHistory()
    {
        var (x, y) = Synthetic.Blobs(perClass: 40);
        var poisoned = x.clone();
        poisoned[65, 0] = tensor(float.NaN); // in the third batch of 32 when read in order
        var net = nn.Linear(4, 3);
        var sgd = optim.SGD(net.parameters(), 0.5);

        var history = Classification.Train(net, Synthetic.Batches(poisoned, y, 32, shuffle: false), Synthetic.Batches(x, y, 32),
            nn.CrossEntropyLoss(), sgd, epochs: 3);

        Assert.True(history.Diverged);
        Assert.Equal(1, history.Divergence!.Epoch);
        Assert.Equal(3, history.Divergence.Batch);
        Assert.Contains("epoch 1, batch 3", history.Divergence.Message);
        Assert.Contains("smaller", history.Divergence.Message);
        Assert.Contains("0.5", history.Divergence.Message);
        var partial = Assert.Single(history); // the two good batches of epoch 1
        Assert.True(double.IsFinite(partial.TrainLoss));
        var thrown = Assert.Throws<TrainingDivergedException>(() => history.EnsureConverged());
        Assert.Same(history, thrown.History);
        Assert.Contains("train loss", Plotly.NET.GenericChart.toJson(history.ToChart()));
    }

    [Fact]
    public void TrainEpochThrowsWhenTheLossIsNaN()
    {
        var net = nn.Linear(2, 2);
        var data = new[] { (tensor(new[] { float.NaN, 1f }).reshape(1, 2), tensor(new long[] { 0 })) };

        var e = Assert.Throws<TrainingDivergedException>(() =>
            Classification.TrainEpoch(net, data, nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epoch: 7));

        Assert.Contains("epoch 7, batch 1", e.Message);
        Assert.Null(e.History);
    }

    [Fact]
    public void EmptyTrainingDataIsExplained()
    {
        var net = nn.Linear(2, 2);
        var e = Assert.Throws<ArgumentException>(() =>
            Classification.TrainEpoch(net, [], nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1)));
        Assert.Contains("no batches", e.Message);
    }
}
