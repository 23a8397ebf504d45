using System.Buffers.Binary;
using System.IO.Compression;
using DlWorkbook.Data;

namespace DlWorkbook.Tests.Data;

public class IdxTests
{
    [Fact]
    public void ReadsGzippedAndPlainImagesAsUnitFloats()
    {
        using var folder = new TempFolder();
        var pixels = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();
        var idx = IdxBytes(Idx.ImagesMagic, [2, 3, 4], pixels);
        File.WriteAllBytes(folder.File("images.gz"), Gzip(idx));
        File.WriteAllBytes(folder.File("images"), idx);

        foreach (var name in new[] { "images.gz", "images" })
        {
            using var images = Idx.ReadImages(folder.File(name));
            Assert.Equal([2L, 1, 3, 4], images.shape);
            Assert.Equal(TorchSharp.torch.ScalarType.Float32, images.dtype);
            Assert.Equal(pixels.Select(p => p / 255f), images.data<float>().ToArray());
        }
    }

    [Fact]
    public void ReadsLabelsAsInt64()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("labels.gz"), Gzip(IdxBytes(Idx.LabelsMagic, [4], [9, 0, 0, 3])));

        using var labels = Idx.ReadLabels(folder.File("labels.gz"));

        Assert.Equal(TorchSharp.torch.ScalarType.Int64, labels.dtype);
        Assert.Equal([9L, 0, 0, 3], labels.data<long>().ToArray());
    }

    [Fact]
    public void WrongMagicNumberNamesTheFileAndBothNumbers()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("train-images-idx3-ubyte.gz"), Gzip(IdxBytes(Idx.LabelsMagic, [4], [1, 2, 3, 4])));

        var e = Assert.Throws<DataSetException>(() => Idx.ReadImages(folder.File("train-images-idx3-ubyte.gz")));

        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
        Assert.Contains("0x00000801", e.Message);
        Assert.Contains("0x00000803", e.Message);
        Assert.Contains("swapped", e.Message);
    }

    [Fact]
    public void NonIdxContentIsRejected()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("labels.gz"), Gzip("<html>Not Found</html>"u8.ToArray()));

        var e = Assert.Throws<DataSetException>(() => Idx.ReadLabels(folder.File("labels.gz")));

        Assert.Contains("labels.gz", e.Message);
        Assert.Contains("magic number", e.Message);
        Assert.Contains("not IDX at all", e.Message);
    }

    [Fact]
    public void TruncatedPixelsNameTheCounts()
    {
        using var folder = new TempFolder();
        var idx = IdxBytes(Idx.ImagesMagic, [3, 28, 28], new byte[3 * 784]);
        File.WriteAllBytes(folder.File("images.gz"), Gzip(idx[..^100]));

        var e = Assert.Throws<DataSetException>(() => Idx.ReadImages(folder.File("images.gz")));

        Assert.Contains("images.gz is truncated", e.Message);
        Assert.Contains("3 images of 28×28", e.Message);
        Assert.Contains("2,352", e.Message);
        Assert.Contains("2,252", e.Message);
    }

    [Fact]
    public void TruncatedGzipStreamIsReported()
    {
        using var folder = new TempFolder();
        var gz = Gzip(IdxBytes(Idx.ImagesMagic, [50, 28, 28], Enumerable.Range(0, 50 * 784).Select(i => (byte)i).ToArray()));
        File.WriteAllBytes(folder.File("images.gz"), gz[..(gz.Length / 2)]);

        var e = Assert.Throws<DataSetException>(() => Idx.ReadImages(folder.File("images.gz")));

        Assert.Contains("images.gz", e.Message);
    }

    [Fact]
    public void ExtraBytesAfterThePromisedCountAreReported()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("labels.gz"), Gzip(IdxBytes(Idx.LabelsMagic, [2], [1, 2, 3])));

        var e = Assert.Throws<DataSetException>(() => Idx.ReadLabels(folder.File("labels.gz")));

        Assert.Contains("more data than its header promises (2 labels)", e.Message);
    }

    [Fact]
    public void AGzNameWithoutGzipContentIsReported()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("labels.gz"), IdxBytes(Idx.LabelsMagic, [1], [1]));

        var e = Assert.Throws<DataSetException>(() => Idx.ReadLabels(folder.File("labels.gz")));

        Assert.Contains("labels.gz is not a gzip file", e.Message);
    }

    [Fact]
    public void HeaderCutShortIsReported()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("images.gz"), Gzip(IdxBytes(Idx.ImagesMagic, [1, 28, 28], [])[..10]));

        var e = Assert.Throws<DataSetException>(() => Idx.ReadImages(folder.File("images.gz")));

        Assert.Contains("ends inside its header (10 of 16 bytes)", e.Message);
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("images.gz"), Gzip(IdxBytes(Idx.ImagesMagic, [2, 2, 2], new byte[8])));
        File.WriteAllBytes(folder.File("labels.gz"), Gzip(IdxBytes(Idx.LabelsMagic, [3], [1, 2, 3])));

        var e = Assert.Throws<DataSetException>(() => ImageSet.ReadIdx(folder.File("images.gz"), folder.File("labels.gz")));

        Assert.Contains("2 images", e.Message);
        Assert.Contains("3 labels", e.Message);
    }

    [Fact]
    public void VectorisedConversionEqualsScalarDivisionForEveryByte()
    {
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var floats = new float[bytes.Length];

        Idx.BytesToUnitFloats(bytes, floats);

        Assert.Equal(bytes.Select(b => b / 255f), floats);
    }

    internal static byte[] IdxBytes(int magic, int[] dimensions, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var d = 0; d < dimensions.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dimensions[d]);
        payload.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    internal static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(data);
        return output.ToArray();
    }
}
