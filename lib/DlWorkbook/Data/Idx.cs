using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using DlWorkbook.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Data;

/// <summary>
/// Reader for the IDX format of MNIST and Fashion-MNIST (gzip'd or plain): a 4-byte big-endian magic number
/// <c>0x0000080D</c> (unsigned bytes, D dimensions), D big-endian 4-byte sizes, then the bytes in row-major order.
/// Counterpart of torchvision's <c>read_image_file</c> / <c>read_label_file</c> (torchvision.datasets.mnist).
/// </summary>
internal static class Idx
{
    /// <summary>Magic number of an image file: unsigned bytes, three dimensions (count, rows, columns).</summary>
    internal const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of a label file: unsigned bytes, one dimension (count).</summary>
    internal const int LabelsMagic = 0x00000801;

    const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Reads an IDX3 image file into a float32 tensor of shape [N, 1, rows, columns] with values in [0, 1]
    /// (pixel / 255), the layout <c>transforms.ToTensor()</c> gives. The tensor belongs to the caller.
    /// </summary>
    /// <exception cref="DataSetException">The file is not gzip/IDX, has the wrong magic number, or is shorter or longer than its header says.</exception>
    internal static Tensor ReadImages(string path)
    {
        TorchNative.EnsureLoaded();
        using var stream = Open(path);
        var dims = ReadHeader(stream, path, ImagesMagic, "image");
        var (count, rows, columns) = (dims[0], dims[1], dims[2]);
        var pixels = count * rows * columns;
        if (pixels * sizeof(float) > int.MaxValue)
            throw new DataSetException(Invariant($"{Name(path)} claims {count:N0} images of {rows}×{columns}: too large to load at once."));
        var images = empty(count, 1, rows, columns, ScalarType.Float32);
        try
        {
            ReadUnitFloats(stream, MemoryMarshal.Cast<byte, float>(images.bytes), path,
                Invariant($"{count:N0} images of {rows}×{columns}"));
            return images;
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    /// <summary>Reads an IDX1 label file into an int64 tensor of shape [N]. The tensor belongs to the caller.</summary>
    /// <exception cref="DataSetException">The file is not gzip/IDX, has the wrong magic number, or is shorter or longer than its header says.</exception>
    internal static Tensor ReadLabels(string path)
    {
        TorchNative.EnsureLoaded();
        using var stream = Open(path);
        var count = ReadHeader(stream, path, LabelsMagic, "label")[0];
        var bytes = new byte[count];
        ReadPayload(stream, bytes, path, Invariant($"{count:N0} labels"));
        return tensor(Array.ConvertAll(bytes, b => (long)b), [count]);
    }

    static Stream Open(string path)
    {
        if (!File.Exists(path)) throw new DataSetException($"The IDX file {path} does not exist.");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> start = stackalloc byte[2];
        var isGzip = file.Read(start) == 2 && start[0] == 0x1f && start[1] == 0x8b;
        file.Position = 0;
        // Names ending in .gz must be gzip: a plain IDX file there means a damaged or mislabelled download.
        if (!isGzip && path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            file.Dispose();
            throw new DataSetException($"{Name(path)} is not a gzip file (it does not start with the gzip signature 1f 8b); "
                                       + "the download is damaged or is not the file it claims to be. Delete it so it is fetched again.");
        }
        return isGzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    static long[] ReadHeader(Stream stream, string path, int expectedMagic, string kind)
    {
        var dimensions = expectedMagic & 0xff;
        var header = new byte[4 * (1 + dimensions)];
        var got = Fill(stream, header, path);
        if (got < 4)
            throw new DataSetException(Invariant($"{Name(path)} is too short to be an IDX {kind} file: it holds {got} bytes, not even a magic number."));
        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
            throw new DataSetException(
                Invariant($"{Name(path)} is not an IDX {kind} file: its magic number is 0x{magic:X8}, expected 0x{expectedMagic:X8} ")
                + Invariant($"(unsigned bytes, {dimensions} dimension{(dimensions == 1 ? "" : "s")}). {MagicHint(magic)}"));
        if (got < header.Length)
            throw new DataSetException(Invariant($"{Name(path)} ends inside its header ({got} of {header.Length} bytes): the file is truncated."));
        var sizes = new long[dimensions];
        for (var d = 0; d < dimensions; d++) sizes[d] = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 + 4 * d));
        return sizes;
    }

    static string MagicHint(int magic) => magic switch
    {
        ImagesMagic => "It is an image file: were the image and label files swapped?",
        LabelsMagic => "It is a label file: were the image and label files swapped?",
        _ when (magic & unchecked((int)0xffff0000)) != 0 => "It does not start with two zero bytes, so it is not IDX at all.",
        _ => "It is IDX, but of another element type or rank.",
    };

    static void ReadUnitFloats(Stream stream, Span<float> destination, string path, string promised)
    {
        var buffer = new byte[ChunkBytes];
        var done = 0;
        while (done < destination.Length)
        {
            var want = Math.Min(buffer.Length, destination.Length - done);
            var got = Fill(stream, buffer.AsSpan(0, want), path);
            if (got < want) throw Truncated(path, done + got, destination.Length, promised);
            BytesToUnitFloats(buffer.AsSpan(0, got), destination.Slice(done, got));
            done += got;
        }
        CheckNothingLeft(stream, path, promised);
    }

    static void ReadPayload(Stream stream, byte[] destination, string path, string promised)
    {
        var got = Fill(stream, destination, path);
        if (got < destination.Length) throw Truncated(path, got, destination.Length, promised);
        CheckNothingLeft(stream, path, promised);
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; a corrupt gzip stream becomes a DataSetException.</summary>
    static int Fill(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DataSetException($"{Name(path)} is not a valid gzip file ({e.Message}); it is damaged. Delete it so it is fetched again.", e);
        }
    }

    static void CheckNothingLeft(Stream stream, string path, string promised)
    {
        Span<byte> probe = stackalloc byte[1];
        if (Fill(stream, probe, path) != 0)
            throw new DataSetException($"{Name(path)} holds more data than its header promises ({promised}): it is not the file it claims to be "
                                       + $"(damaged, or two files joined). Delete {path} so it is fetched again.");
    }

    static DataSetException Truncated(string path, long got, long expected, string promised) =>
        new(Invariant($"{Name(path)} is truncated: its header promises {promised} ({expected:N0} bytes after the header), ")
            + Invariant($"but the data ends after {got:N0} bytes. Delete it so it is fetched again."));

    /// <summary>pixel / 255 for every byte, vectorised; the same division <c>ToTensor()</c> does, so values match PyTorch's.</summary>
    internal static void BytesToUnitFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var divisor = new Vector<float>(255f);
            var n = Vector<float>.Count;
            for (; i <= source.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(source[i..]), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                (Vector.ConvertToSingle(a) / divisor).CopyTo(destination[i..]);
                (Vector.ConvertToSingle(b) / divisor).CopyTo(destination[(i + n)..]);
                (Vector.ConvertToSingle(c) / divisor).CopyTo(destination[(i + 2 * n)..]);
                (Vector.ConvertToSingle(d) / divisor).CopyTo(destination[(i + 3 * n)..]);
            }
        }
        for (; i < source.Length; i++) destination[i] = source[i] / 255f;
    }

    static string Name(string path) => Path.GetFileName(path);

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
