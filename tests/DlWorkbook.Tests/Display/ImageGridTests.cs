using System.Buffers.Binary;
using System.IO.Compression;
using DlWorkbook.Display;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Display;

public class ImageGridTests
{
    [Fact]
    public void PngHasValidChunksAndTheGridPixels()
    {
        // Two 2×3 grey images side by side: the first all black, the second all white.
        var images = stack([zeros(2, 3), ones(2, 3)]);

        var png = new ImageGrid(images, columns: 2).ToPng();

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a }, png[..8]);
        var chunks = Chunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var header = chunks[0].Body;
        Assert.Equal(3 + 2 + 3, BinaryPrimitives.ReadInt32BigEndian(header)); // two widths and a 2-pixel gap
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
        Assert.Equal([8, 0], header[8..10]); // 8-bit grey
        var rows = Inflate(chunks[1].Body);
        Assert.Equal([0, 0, 0, 0, 255, 255, 255, 255, 255], rows[..9]); // filter byte, 3 black, 2 gap, 3 white
    }

    [Fact]
    public void ChunkChecksumsAreTheStandardCrc32()
    {
        var png = new ImageGrid(zeros(1, 1, 4, 4)).ToPng();

        Assert.Equal(new byte[] { 0xae, 0x42, 0x60, 0x82 }, png[^4..]); // the CRC every IEND chunk carries
        foreach (var (type, body, crc) in Chunks(png))
            Assert.Equal(crc, CrcOf(type, body));
    }

    [Fact]
    public void HtmlIsOneSvgPictureWithATitleAndAnImagePerItem()
    {
        var grid = new ImageGrid(rand(5, 1, 28, 28), ["a", "b", "c", "d", "<e&f>"], columns: 3, scale: 1.5);

        var html = grid.ToHtml();

        Assert.Equal(2, grid.Rows);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<svg"));
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(html, "<image ").Count);
        Assert.Contains("&lt;e&amp;f&gt;</text>", html);
        Assert.Contains("data:image/png;base64,", html);
    }

    [Fact]
    public void TheKernelExtensionFormatsAGridAsItsHtml()
    {
        DlWorkbook.Interactive.WorkbookKernelExtension.RegisterFormatters();
        var grid = new ImageGrid(rand(2, 1, 4, 4), ["x", "y"]);

        Assert.Equal(grid.ToHtml(), Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(grid, "text/html"));
    }

    [Fact]
    public void AcceptsThreeDimensionalAndColourImages()
    {
        Assert.Equal(1, new ImageGrid(rand(4, 28, 28)).Channels);
        Assert.Equal(3, new ImageGrid(rand(2, 3, 8, 8)).Channels);
        Assert.Equal(1, new ImageGrid(rand(1, 8, 8)).Count);
    }

    [Fact]
    public void WrongShapesAndTitleCountsAreExplained()
    {
        var flat = Assert.Throws<ArgumentException>(() => new ImageGrid(rand(18, 784)));
        Assert.Contains("[18, 784]", flat.Message);
        Assert.Contains("reshape", flat.Message);

        var titles = Assert.Throws<ArgumentException>(() => new ImageGrid(rand(3, 28, 28), ["one"]));
        Assert.Contains("3 images but 1 titles", titles.Message);
    }

    [Fact]
    public void SavePngWritesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"grid-{Guid.NewGuid():N}.png");
        try
        {
            var grid = new ImageGrid(rand(3, 1, 5, 5));
            grid.SavePng(path);
            Assert.Equal(grid.ToPng(), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    static List<(string Type, byte[] Body, uint Crc)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[], uint)>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var body = png[(at + 8)..(at + 8 + length)];
            chunks.Add((type, body, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length))));
            at += 12 + length;
        }
        return chunks;
    }

    static byte[] Inflate(byte[] zlib)
    {
        using var output = new MemoryStream();
        using (var inflater = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress)) inflater.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Bitwise CRC-32 (the PNG/zlib polynomial), independent of the encoder's table.</summary>
    static uint CrcOf(string type, byte[] body)
    {
        var crc = 0xffffffffu;
        foreach (var b in System.Text.Encoding.ASCII.GetBytes(type).Concat(body))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
        }
        return ~crc;
    }
}
