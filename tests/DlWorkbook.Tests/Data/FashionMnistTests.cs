using DlWorkbook.Data;
using DlWorkbook.Display;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Data;

[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)] // one test reseeds the global generator
public class FashionMnistTests
{
    static (ImageSet Train, ImageSet Test) Sets => FashionMnist.Load(TestData.Cache);

    [Fact]
    public void TheRealFilesHaveTheKnownSizesShapesAndTypes()
    {
        var (train, test) = Sets;

        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Equal([60_000L, 1, 28, 28], train.Images.shape);
        Assert.Equal([10_000L, 1, 28, 28], test.Images.shape);
        Assert.Equal(ScalarType.Float32, train.Images.dtype);
        Assert.Equal(ScalarType.Int64, train.Labels.dtype);
        Assert.Equal(0f, train.Images.min().item<float>());
        Assert.Equal(1f, train.Images.max().item<float>());
    }

    [Fact]
    public void FirstLabelsAreTheKnownOnes()
    {
        var (train, test) = Sets;

        Assert.Equal([9L, 0, 0, 3, 0, 2, 7, 2, 5, 5], train.Labels[..10].data<long>().ToArray());
        Assert.Equal([9L, 2, 1, 1, 6, 1, 4, 6, 5, 7], test.Labels[..10].data<long>().ToArray());
    }

    [Fact]
    public void RawPixelSumsOfTheFirstImagesAreTheKnownOnes()
    {
        var (train, test) = Sets;

        Assert.Equal(76_247L, RawPixelSum(train.Images[0]));
        Assert.Equal(33_456L, RawPixelSum(test.Images[0]));
    }

    [Fact]
    public void EachClassHasItsShare()
    {
        var (train, test) = Sets;

        Assert.All(train.Labels.bincount(null).data<long>().ToArray(), n => Assert.Equal(6_000L, n));
        Assert.All(test.Labels.bincount(null).data<long>().ToArray(), n => Assert.Equal(1_000L, n));
    }

    [Fact]
    public void LoadingAgainReturnsTheSameTensors()
    {
        var first = FashionMnist.Load(TestData.Cache);
        var second = FashionMnist.Load(TestData.Cache);

        Assert.Same(first.Train, second.Train);
        Assert.Same(first.Test, second.Test);
    }

    [Fact]
    public void LabelNamesAreD2lsAndCheckTheirRange()
    {
        Assert.Equal(10, FashionMnist.TextLabels.Count);
        Assert.Equal(["ankle boot", "t-shirt", "t-shirt", "dress"], FashionMnist.GetLabels(tensor(new long[] { 9, 0, 0, 3 })));
        Assert.Equal(["bag"], FashionMnist.GetLabels(8));
        var e = Assert.Throws<ArgumentException>(() => FashionMnist.GetLabels(10));
        Assert.Contains("0 to 9", e.Message);
    }

    [Fact]
    public void TrainingLoaderShufflesAWholeEpochRepeatablyWithASeededGenerator()
    {
        var (train, _) = FashionMnist.LoadData(256, generator: new Generator().manual_seed(7), cache: TestData.Cache);
        var (again, _) = FashionMnist.LoadData(256, generator: new Generator().manual_seed(7), cache: TestData.Cache);

        Assert.Equal(235, train.Count);
        Assert.Equal(256, train.BatchSize);
        var labels = EpochLabels(train);
        Assert.Equal(60_000, labels.Count);
        Assert.Equal(labels, EpochLabels(again));
        Assert.NotEqual(Sets.Train.Labels[..256].data<long>().ToArray(), labels.Take(256));
        Assert.Equal(Enumerable.Repeat(6_000, 10), labels.CountBy(l => l).OrderBy(g => g.Key).Select(g => g.Value));
    }

    [Fact]
    public void WorkbookSeedMakesTheDefaultShuffleRepeatable()
    {
        var (train, _) = FashionMnist.LoadData(1_000, cache: TestData.Cache);

        Workbook.Seed(42);
        var first = train.First().Y.data<long>().ToArray();
        Workbook.Seed(42);
        var second = train.First().Y.data<long>().ToArray();

        Assert.Equal(first, second);
    }

    [Fact]
    public void TestLoaderKeepsTheFileOrderAndEndsWithAPartialBatch()
    {
        var (_, test) = FashionMnist.LoadData(256, cache: TestData.Cache);

        Assert.Equal(40, test.Count);
        var sizes = new List<long>();
        var labels = new List<long>();
        foreach (var (x, y) in test)
        {
            Assert.Equal(ScalarType.Float32, x.dtype);
            sizes.Add(x.shape[0]);
            labels.AddRange(y.data<long>().ToArray());
        }
        Assert.Equal(16, sizes[^1]);
        Assert.Equal(Sets.Test.Labels.data<long>().ToArray(), labels);
    }

    [Fact]
    public void ResizeEnlargesEachBatchAndKeepsTheStoredImages()
    {
        var (train, test) = FashionMnist.LoadData(8, resize: 64, cache: TestData.Cache);

        var (x, y) = train.First();
        var (testX, _) = test.First();

        Assert.Equal([8L, 1, 64, 64], x.shape);
        Assert.Equal([8L], y.shape);
        Assert.Equal([8L, 1, 64, 64], testX.shape);
        Assert.Equal([60_000L, 1, 28, 28], train.Features.shape);
    }

    [Fact]
    public void BatchesAreDisposedWhenTheLoopMovesOn()
    {
        var (_, test) = FashionMnist.LoadData(5_000, cache: TestData.Cache);
        var seen = new List<Tensor>();

        foreach (var (x, _) in test) seen.Add(x);

        Assert.All(seen, x => Assert.True(x.IsInvalid));
        Assert.False(Sets.Test.IsDisposed);
    }

    [Fact]
    public void ChangingABatchInPlaceLeavesTheDataSetAlone()
    {
        var (_, test) = FashionMnist.LoadData(4, cache: TestData.Cache);

        var (x, _) = test.First();
        x.zero_();

        Assert.Equal(33_456L, RawPixelSum(Sets.Test.Images[0]));
    }

    [Fact]
    public void ShowImagesTitlesEachImageWithItsClass()
    {
        var test = Sets.Test;

        var grid = FashionMnist.ShowImages(test.Images[..18], test.Labels[..18]);

        Assert.Equal(18, grid.Count);
        Assert.Equal(2, grid.Rows);
        Assert.Equal(9, grid.Columns);
        Assert.Equal(FashionMnist.GetLabels(test.Labels[..18]), grid.Titles);
        Assert.Contains(">ankle boot</text>", grid.ToHtml());
    }

    static long RawPixelSum(Tensor image)
    {
        using var raw = image.mul(255).round().to_type(ScalarType.Int64);
        return raw.sum().item<long>();
    }

    static List<long> EpochLabels(TensorLoader loader)
    {
        var labels = new List<long>();
        foreach (var (_, y) in loader) labels.AddRange(y.data<long>().ToArray());
        return labels;
    }
}
