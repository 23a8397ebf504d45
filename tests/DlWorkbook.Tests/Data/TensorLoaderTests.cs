using DlWorkbook.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Data;

public class TensorLoaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ShuffledBatchesKeepEachRowWithItsLabelAndVisitEveryRowOnce(bool contiguous)
    {
        // Row i of X is [3i, 3i+1, 3i+2] and its label is i; a transposed copy exercises the index_select path.
        var x = contiguous ? arange(30f).reshape(10, 3) : arange(30f).reshape(3, 10).t();
        var y = arange(10L);
        var expectedFirst = contiguous ? y.mul(3).to_type(ScalarType.Float32) : y.to_type(ScalarType.Float32);
        var loader = new TensorLoader(x, y, batchSize: 4, shuffle: true, generator: new Generator().manual_seed(5));

        var seen = new List<long>();
        foreach (var (xb, yb) in loader)
        {
            Assert.True(xb[.., 0].eq(expectedFirst.index_select(0, yb)).all().item<bool>());
            seen.AddRange(yb.data<long>().ToArray());
        }

        Assert.Equal(3, loader.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => (long)i), seen);
    }

    [Fact]
    public void EveryEpochOfAShuffledLoaderHasANewOrder()
    {
        var loader = new TensorLoader(arange(40f).reshape(20, 2), arange(20L), batchSize: 5, shuffle: true,
            generator: new Generator().manual_seed(3));
        long[] Epoch() => loader.SelectMany(batch => batch.Y.data<long>().ToArray()).ToArray();

        var orders = Enumerable.Range(0, 3).Select(_ => Epoch()).ToList();

        Assert.All(orders, order => Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), order.Order()));
        Assert.NotEqual(orders[0], orders[1]);
        Assert.NotEqual(orders[1], orders[2]);
    }

    [Fact]
    public void InOrderBatchesFollowTheRowsAndDropLastLeavesOutTheRemainder()
    {
        var loader = new TensorLoader(arange(10f).reshape(10, 1), arange(10L), batchSize: 4, dropLast: true);

        var batches = loader.Select(b => b.Y.data<long>().ToArray()).ToList();

        Assert.Equal(2, loader.Count);
        Assert.Equal([[0L, 1, 2, 3], [4L, 5, 6, 7]], batches);
    }

    [Fact]
    public void MismatchedLengthsAreExplained()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorLoader(zeros(10, 2), zeros(9), batchSize: 4));

        Assert.Contains("[10, 2]", e.Message);
        Assert.Contains("[9]", e.Message);
    }
}
