using System.Buffers.Binary;
using System.IO.Compression;
using DlWorkbook.Display;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Display;

public class FilterGridTests
{
    [Fact]
    public void FiltersAreScaledEachByItsLargestAbsoluteWeightWithZeroMidGrey()
    {
        // Two 1×3 filters: [-2, 0, 1] and [0, 0, 0]; one input channel, so the default is one row.
        var weight = tensor(new float[] { -2, 0, 1, 0, 0, 0 }).reshape(2, 1, 1, 3);

        var grid = FilterGrid.Filters(weight);

        Assert.Equal((2, 1, 1, 3, 2), (grid.Count, grid.Channels, grid.Height, grid.Width, grid.Columns));
        // 0.5 + w / (2·2) = 0, 0.5, 0.75 → 0, 128, 191; the all-zero filter is mid-grey, not NaN.
        Assert.Equal([0, 128, 191, 255, 255, 128, 128, 128], PngRows(grid.ToPng())[1..9]);
    }

    [Fact]
    public void FiltersOfSeveralInputChannelsGetOneRowPerOutputChannel()
    {
        var grid = FilterGrid.Filters(randn(16, 6, 5, 5));

        Assert.Equal((96, 6, 16), (grid.Count, grid.Columns, grid.Rows));
    }

    [Fact]
    public void FeatureMapsAreScaledEachFromItsMinimumToItsMaximum()
    {
        // One image, two channels of 1×3: [1, 2, 5] and a constant map [3, 3, 3].
        var maps = tensor(new float[] { 1, 2, 5, 3, 3, 3 }).reshape(1, 2, 1, 3);

        var grid = FilterGrid.FeatureMaps(maps, ["a", "b"]);

        Assert.Equal((2, 1, 3, 2), (grid.Count, grid.Height, grid.Width, grid.Columns));
        Assert.Equal(["a", "b"], grid.Titles);
        // (x - 1) / 4 = 0, 0.25, 1 → 0, 64, 255; the constant map is black.
        Assert.Equal([0, 64, 255, 255, 255, 0, 0, 0], PngRows(grid.ToPng())[1..9]);
        Assert.Equal(2, FilterGrid.FeatureMaps(maps[0]).Count);   // [C, H, W] works too
    }

    [Fact]
    public void WrongShapesAreRefusedWithTheShapeAndTheFix()
    {
        var flat = Assert.Throws<ArgumentException>(() => FilterGrid.Filters(randn(6, 25)));
        Assert.Contains("[6, 25]", flat.Message);
        Assert.Contains("conv.weight", flat.Message);

        var batch = Assert.Throws<ArgumentException>(() => FilterGrid.FeatureMaps(rand(8, 6, 28, 28)));
        Assert.Contains("batch of 8, [8, 6, 28, 28]", batch.Message);
        Assert.Contains("maps[0]", batch.Message);

        var twoD = Assert.Throws<ArgumentException>(() => FilterGrid.FeatureMaps(rand(28, 28)));
        Assert.Contains("[28, 28]", twoD.Message);
    }

    [Fact]
    public void EmptyInputIsRefusedWithItsShape()
    {
        var noFilters = Assert.Throws<ArgumentException>(() => FilterGrid.Filters(zeros(0, 1, 5, 5)));
        Assert.Contains("no filters", noFilters.Message);
        Assert.Contains("[0, 1, 5, 5]", noFilters.Message);

        var noMaps = Assert.Throws<ArgumentException>(() => FilterGrid.FeatureMaps(zeros(1, 0, 28, 28)));
        Assert.Contains("no feature maps", noMaps.Message);
        Assert.Contains("[1, 0, 28, 28]", noMaps.Message);
    }

    /// <summary>The PNG's pixel rows as grey levels, each row after its filter byte (the IDAT chunk inflated).</summary>
    static byte[] PngRows(byte[] png)
    {
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (System.Text.Encoding.ASCII.GetString(png, at + 4, 4) == "IDAT")
            {
                using var output = new MemoryStream();
                using (var inflater = new ZLibStream(new MemoryStream(png, at + 8, length), CompressionMode.Decompress))
                    inflater.CopyTo(output);
                return output.ToArray();
            }
            at += 12 + length;
        }
        throw new InvalidDataException("no IDAT chunk");
    }
}
