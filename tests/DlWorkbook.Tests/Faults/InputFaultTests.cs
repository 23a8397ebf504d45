using DlWorkbook.Data;
using DlWorkbook.Tests.Data;
using DlWorkbook.Tests.Training;
using DlWorkbook.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Faults;

/// <summary>
/// Bad arguments and inputs around the data: vocabularies, a text only just long enough, a damaged IDX file, and the
/// training loop's own refusals (labels out of range, an empty loader, zero epochs).
/// </summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class InputFaultTests
{
    static readonly string[] Tokens = ["x", "y", "x", "z", "x", "y"];

    [Fact]
    public void AMinimumFrequencyAboveEveryCountWarnsInTheCellOutput()
    {
        Vocab? vocab = null;
        var output = CacheFaultTests.CaptureOut(() => vocab = new Vocab(Tokens, minFreq: 4));

        Assert.Equal(["<unk>"], vocab!.IdxToToken);
        Assert.Equal(
            "Warning: Vocab(minFreq: 4) kept no token: the most frequent, 'x', occurs 3 times, so every token maps to <unk> (index 0). "
            + "Use a minFreq of at most 3." + Environment.NewLine, output);
        Assert.Equal("", CacheFaultTests.CaptureOut(() => _ = new Vocab(Tokens, minFreq: 3)));
    }

    [Fact]
    public void ANegativeMinimumFrequencyIsAnError()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Vocab(Tokens, minFreq: -1));

        Assert.Equal("minFreq", e.ParamName);
        Assert.Contains("cannot be negative", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ATextJustLongEnoughForOneBatchAlwaysGivesThatBatch(bool useRandomIter)
    {
        var corpus = Enumerable.Range(0, 2 * 5 + 1).ToList();   // batchSize × numSteps + 1 tokens
        var loader = new SeqDataLoader(corpus, new Vocab(["a"]), batchSize: 2, numSteps: 5, useRandomIter, new Generator().manual_seed(0));

        Assert.Equal((1, 1), loader.BatchesPerEpoch);
        for (var epoch = 0; epoch < 20; epoch++)
        {
            var batches = loader.Select(b => (X: b.X.data<long>().ToArray(), Y: b.Y.data<long>().ToArray())).ToList();
            var batch = Assert.Single(batches);
            Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 7, 8, 9], batch.X.Order());   // every token but the last is used
        }
    }

    [Fact]
    public void AOneTokenLongerTextStillUsesTheRandomOffset()
    {
        var corpus = Enumerable.Range(0, 2 * 5 + 2).ToList();
        var starts = Enumerable.Range(0, 20)
            .Select(seed => SeqDataIter.Sequential(corpus, 2, 5, new Generator().manual_seed(seed)).Select(b => b.X[0, 0].item<long>()).Single())
            .ToHashSet();

        Assert.Equal([0L, 1], starts.Order());
    }

    [Fact]
    public void AnIdxFileLargerThanItsHeaderSaysTellsToFetchItAgain()
    {
        using var folder = new TempFolder();
        var path = folder.File("t10k-labels-idx1-ubyte.gz");
        File.WriteAllBytes(path, IdxTests.Gzip(IdxTests.IdxBytes(Idx.LabelsMagic, [2], [1, 2, 3])));

        var e = Assert.Throws<DataSetException>(() => Idx.ReadLabels(path));

        Assert.Equal(
            "t10k-labels-idx1-ubyte.gz holds more data than its header promises (2 labels): it is not the file it claims to be "
            + $"(damaged, or two files joined). Delete {path} so it is fetched again.", e.Message);
    }

    [Fact]
    public void LabelsOutOfRangeStopTrainingWithTheBatchAndTheLabels()
    {
        var x = randn(8, 4);
        var y = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3 });   // 4 classes of labels, 3 outputs
        var net = nn.Linear(4, 3);

        // In order: batch 1 holds label 3 (shuffled, it could hold 0, 1, 2 only and the error would come in batch 2).
        var e = Assert.ThrowsAny<ArgumentException>(() => Classification.Train(net, Synthetic.Batches(x, y, 4, shuffle: false),
            Synthetic.Batches(x, y, 4), nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 1));

        Assert.Contains("Epoch 1, batch 1", e.Message);
        Assert.Contains("out of bounds", e.Message);
    }

    [Fact]
    public void AnEmptyLoaderStopsTrainingWithTheReason()
    {
        var net = nn.Linear(4, 3);

        var e = Assert.Throws<ArgumentException>(() => Classification.Train(net, [], [], nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 1));

        Assert.Contains("gave no batches", e.Message);
    }

    [Fact]
    public void ZeroEpochsIsAnError()
    {
        var (x, y) = Synthetic.Blobs(perClass: 4);
        var net = nn.Linear(4, 3);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Classification.Train(net, Synthetic.Batches(x, y, 4), Synthetic.Batches(x, y, 4),
            nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 0));

        Assert.Equal("epochs", e.ParamName);
    }
}
