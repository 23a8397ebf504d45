using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DlWorkbook.Display;

/// <summary>
/// A minimal PNG encoder for 8-bit grey or RGB pixels: signature, IHDR, one zlib-compressed IDAT, IEND.
/// Hand-written so that pictures need no native imaging library.
/// </summary>
internal static class Png
{
    static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];
    static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes row-major pixels: <paramref name="channels"/> 1 (grey) or 3 (RGB, interleaved).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "PNG here is grey (1) or RGB (3).");
        if (pixels.Length != width * height * channels)
            throw new ArgumentException($"Expected {width}×{height}×{channels} bytes, got {pixels.Length}.", nameof(pixels));
        using var png = new MemoryStream();
        png.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = (byte)(channels == 1 ? 0 : 2);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", Compress(pixels, width * channels, height));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    static byte[] Compress(ReadOnlySpan<byte> pixels, int stride, int height)
    {
        using var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var row = 0; row < height; row++)
            {
                zlib.WriteByte(0); // filter type 0: the row as it is
                zlib.Write(pixels.Slice(row * stride, stride));
            }
        }
        return data.ToArray();
    }

    static void WriteChunk(Stream png, string type, byte[] body)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, body.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(body);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeBytes, body));
        png.Write(word);
    }

    internal static uint Crc32(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var crc = 0xffffffffu;
        foreach (var b in first) crc = CrcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
        foreach (var b in second) crc = CrcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
        return crc ^ 0xffffffffu;
    }

    static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
