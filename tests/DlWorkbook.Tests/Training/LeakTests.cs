using DlWorkbook.Layers;
using DlWorkbook.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Training;

/// <summary>
/// Every loop must free what it creates: the number of live tensors after each epoch stays where it was
/// after the first. Counted per thread, so tensors leaked to the garbage collector still count.
/// </summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class LeakTests
{
    static long LiveTensors => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    [Fact]
    public void ClassificationEpochsDoNotAccumulateTensors()
    {
        var (x, y) = Synthetic.Blobs(perClass: 100);
        var net = nn.Linear(4, 3);
        var loss = nn.CrossEntropyLoss();
        var sgd = optim.SGD(net.parameters(), 0.1);

        var counts = Enumerable.Range(1, 4).Select(epoch =>
        {
            Classification.TrainEpoch(net, Synthetic.Batches(x, y, 16), loss, sgd, epoch);
            Metrics.EvaluateAccuracy(net, Synthetic.Batches(x, y, 64));
            return LiveTensors;
        }).ToList();

        Assert.All(counts, c => Assert.Equal(counts[0], c));
    }

    [Fact]
    public void WholeTrainingRunsDoNotAccumulateTensors()
    {
        var (x, y) = Synthetic.Blobs(perClass: 50);
        var (line, target) = Synthetic.Line(100, [1f, 2f], 0.5f);
        var net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3));
        var regression = nn.Linear(2, 1);
        var (text, vocab) = Synthetic.Text(string.Concat(Enumerable.Repeat("abcd ", 40)), batchSize: 2, steps: 5);
        var rnn = new RnnScratch(vocab.Count, 8);

        var counts = Enumerable.Range(1, 3).Select(_ =>
        {
            Classification.Train(net, Synthetic.Batches(x, y, 16), Synthetic.Batches(x, y, 64),
                nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 2);
            Regression.Train(regression, Synthetic.Batches(line, target, 10), nn.MSELoss(),
                optim.SGD(regression.parameters(), 0.05), epochs: 2);
            Recurrent.Train(rnn, text, optim.SGD(rnn.parameters(), 1), epochs: 2, sample: () => Recurrent.Predict("ab", 3, rnn, vocab));
            return LiveTensors;
        }).ToList();

        Assert.All(counts, c => Assert.Equal(counts[0], c));
    }

    [Fact]
    public void RecurrentEpochsCarryingStateDoNotAccumulateTensors()
    {
        var (text, vocab) = Synthetic.Text(string.Concat(Enumerable.Repeat("abcd ", 60)), batchSize: 3, steps: 5);
        var rnn = new RnnModel(vocab.Count, 8);
        var sgd = optim.SGD(rnn.parameters(), 1);

        var counts = Enumerable.Range(1, 4).Select(epoch =>
        {
            Recurrent.TrainEpoch(rnn, text, sgd, randomSampling: false, epoch: epoch);
            return LiveTensors;
        }).ToList();

        Assert.All(counts, c => Assert.Equal(counts[0], c));
    }
}

/// <summary>One call to <see cref="Workbook.Seed"/> makes a whole run repeatable, shuffling included.</summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class DeterminismTests
{
    [Fact]
    public void SeedingMakesATrainingRunRepeatable()
    {
        Assert.Equal(Run(), Run());
        Assert.NotEqual(Run(seed: 2), Run());
    }

    static List<ClassificationEpoch> Run(long seed = 1)
    {
        Workbook.Seed(seed);
        var (x, y) = Synthetic.Blobs(perClass: 30);
        var net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3));
        var history = Classification.Train(net, Synthetic.Batches(x, y, 16), Synthetic.Batches(x, y, 64),
            nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 2);
        // Speed differs from run to run; everything else must not.
        return history.Select(e => e with { ExamplesPerSecond = 0 }).ToList();
    }
}
