using Deedle;
using DlWorkbook.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Data;

public class FishMarketTests
{
    static readonly Frame<int, string> Fish = FishMarket.Load(TestData.Cache);

    [Fact]
    public void LoadsAllRowsWithACleanHeader()
    {
        Assert.Equal(159, Fish.RowCount);
        Assert.Equal(["Species", "Weight", "Length1", "Length2", "Length3", "Height", "Width"], Fish.ColumnKeys);
        Assert.Equal("Bream", Fish.GetColumn<string>("Species")[0]);
        Assert.Equal(242.0, Fish.GetColumn<double>("Weight")[0]);
        Assert.Equal(11.52, Fish.GetColumn<double>("Height")[0]);
        Assert.Equal(1.8792, Fish.GetColumn<double>("Width")[158]);
        Assert.Equal(0.0, Fish.GetColumn<double>("Weight")[40]);
    }

    [Fact]
    public void NumbersAreParsedWithTheInvariantCultureWhateverTheCurrentCulture()
    {
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var fish = FishMarket.Load(TestData.Cache);
            Assert.Equal(11.52, fish.GetColumn<double>("Height")[0]);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [Fact]
    public void NumericDropsSpeciesAndKeepsSixColumns()
    {
        var numeric = FishMarket.Numeric(Fish);

        Assert.Equal(159, numeric.RowCount);
        Assert.Equal(["Weight", "Length1", "Length2", "Length3", "Height", "Width"], numeric.ColumnKeys);
    }

    [Fact]
    public void ZScoredColumnsHaveMeanZeroAndSampleStandardDeviationOne()
    {
        var z = FishMarket.ZScore(Fish);

        Assert.Equal(6, z.ColumnCount);
        foreach (var key in z.ColumnKeys)
        {
            var values = z.GetColumn<double>(key).Values.ToArray();
            var mean = values.Average();
            var sampleStd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
            Assert.Equal(0.0, mean, 1e-12);
            Assert.Equal(1.0, sampleStd, 1e-12);
        }
    }

    [Fact]
    public void ZScoreOfAConstantColumnExplainsItself()
    {
        var frame = Frame.FromColumns([KeyValue.Create("Same", new Series<int, double>([0, 1, 2], [5.0, 5.0, 5.0]))]);

        var e = Assert.Throws<ArgumentException>(() => FishMarket.ZScore(frame));

        Assert.Contains("\"Same\"", e.Message);
        Assert.Contains("standard deviation 0", e.Message);
    }

    [Fact]
    public void ToTensorsGivesFloatFeaturesAndAColumnOfLabels()
    {
        var (x, y) = FishMarket.ToTensors(Fish);

        Assert.Equal([159L, 5], x.shape);
        Assert.Equal([159L, 1], y.shape);
        Assert.Equal(ScalarType.Float32, x.dtype);
        Assert.Equal(ScalarType.Float32, y.dtype);
        Assert.Equal([23.2f, 25.4f, 30f, 11.52f, 4.02f], x[0].data<float>().ToArray());
        Assert.Equal(242f, y[0, 0].item<float>());
    }

    [Fact]
    public void ToTensorsTakesChosenColumnsInOrderAndNamesMissingOnes()
    {
        var (x, y) = FishMarket.ToTensors(Fish, label: "Height", features: ["Width", "Weight"]);
        Assert.Equal([4.02f, 242f], x[0].data<float>().ToArray());
        Assert.Equal(11.52f, y[0, 0].item<float>());

        var e = Assert.Throws<ArgumentException>(() => FishMarket.ToTensors(Fish, label: "Mass"));
        Assert.Contains("no column \"Mass\"", e.Message);
        var species = Assert.Throws<ArgumentException>(() => FishMarket.ToTensors(Fish, features: ["Species"]));
        Assert.Contains("not numeric", species.Message);
    }

    [Fact]
    public void RandomSplitAndDataLoaderWorkAsInNotebookOne()
    {
        using var dataset = FishMarket.ToDataset(FishMarket.ZScore(Fish));

        var (train, valid) = Split(dataset, seed: 42);
        var (trainAgain, _) = Split(dataset, seed: 42);

        Assert.Equal(109, train.Count);
        Assert.Equal(50, valid.Count);
        Assert.Equal(train.Indices, trainAgain.Indices);
        Assert.Empty(train.Indices.Intersect(valid.Indices));
        Assert.Equal(159, train.Indices.Concat(valid.Indices).Distinct().Count());

        var loader = TorchData.DataLoader(train, batchSize: 20, shuffle: true, generator: new Generator().manual_seed(1));
        Assert.Equal(6, loader.Count);
        var sizes = new List<long>();
        foreach (var (x, y) in loader.AsPairs())
        {
            Assert.Equal(5, x.shape[1]);
            Assert.Equal([x.shape[0], 1L], y.shape);
            sizes.Add(x.shape[0]);
        }
        Assert.Equal([20L, 20, 20, 20, 20, 9], sizes);
    }

    [Fact]
    public void RandomSplitChecksTheLengths()
    {
        using var dataset = FishMarket.ToDataset(Fish);

        var e = Assert.Throws<ArgumentException>(() => TorchData.RandomSplit(dataset, [100, 50]));

        Assert.Contains("159", e.Message);
    }

    static (Subset Train, Subset Valid) Split(torch.utils.data.IterableDataset dataset, int seed)
    {
        var parts = TorchData.RandomSplit(dataset, [109, 50], new Generator().manual_seed(seed));
        return (parts[0], parts[1]);
    }
}
