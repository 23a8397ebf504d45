using System.Globalization;
using System.Net;
using System.Text;
using DlWorkbook.Runtime;
using DlWorkbook.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Display;

/// <summary>
/// Images in a grid, each with an optional title, as one inline picture in a notebook (an SVG with the images
/// embedded as PNG) or as one PNG file from plain C#. Counterpart of d2l's <c>show_images(imgs, num_rows,
/// num_cols, titles=None, scale=1.5)</c>, which draws the same grid with matplotlib.
/// </summary>
/// <remarks>
/// The grid copies the pixels when it is made, so the tensor may be disposed right after (a loader's batch, say).
/// A notebook renders it as HTML through the formatter that the workbook's kernel extension registers (a type
/// implementing ASP.NET's <c>IHtmlContent</c> would do the same, but the notebook hosts load an older
/// Microsoft.AspNetCore.Html.Abstractions than the one the library compiles against). Grey images show 0 as black
/// and 1 as white; values outside [0, 1] are clipped.
/// </remarks>
public sealed class ImageGrid
{
    const int PngGap = 2;
    const int SvgGap = 6;
    const int TitleHeight = 16;
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    readonly byte[] pixels;

    /// <summary>A grid of the images in <paramref name="images"/>.</summary>
    /// <param name="images">[N, 1, H, W], [N, 3, H, W] or [N, H, W], values in [0, 1].</param>
    /// <param name="titles">One title per image (null for none), shown above each image.</param>
    /// <param name="columns">Images per row (fewer when there are fewer images).</param>
    /// <param name="scale">Screen pixels per image pixel in the notebook picture.</param>
    /// <exception cref="ArgumentException">The shape is not one of those, or the number of titles differs from the number of images.</exception>
    public ImageGrid(Tensor images, IReadOnlyList<string>? titles = null, int columns = 8, double scale = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        (Count, Channels, Height, Width) = Layout(images);
        if (titles is not null && titles.Count != Count)
            throw new ArgumentException($"Got {Count} images but {titles.Count} titles; give one title per image, or none.", nameof(titles));
        TorchNative.EnsureLoaded();
        pixels = ToBytes(images, Count, Channels, Height, Width);
        Titles = titles?.ToArray() ?? [];
        Columns = Math.Min(columns, Count);
        Rows = (Count + Columns - 1) / Columns;
        Scale = scale;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>1 for grey images, 3 for colour.</summary>
    public int Channels { get; }

    /// <summary>Height of each image in pixels.</summary>
    public int Height { get; }

    /// <summary>Width of each image in pixels.</summary>
    public int Width { get; }

    /// <summary>Images per row.</summary>
    public int Columns { get; }

    /// <summary>Rows of images.</summary>
    public int Rows { get; }

    /// <summary>Screen pixels per image pixel in the notebook picture.</summary>
    public double Scale { get; }

    /// <summary>The titles, one per image, or empty.</summary>
    public IReadOnlyList<string> Titles { get; }

    /// <summary>
    /// The grid as one PNG with thin white gaps and without titles, each image pixel drawn as a
    /// <paramref name="scale"/> × <paramref name="scale"/> square (1: the images' own resolution).
    /// </summary>
    internal byte[] ToPng(int scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        var (tileWidth, tileHeight) = (Width * scale, Height * scale);
        var width = Columns * tileWidth + (Columns - 1) * PngGap;
        var height = Rows * tileHeight + (Rows - 1) * PngGap;
        var canvas = new byte[width * height * Channels];
        Array.Fill(canvas, (byte)255);
        for (var i = 0; i < Count; i++)
        {
            var (left, top) = (i % Columns * (tileWidth + PngGap), i / Columns * (tileHeight + PngGap));
            var tile = Tile(i);
            for (var y = 0; y < tileHeight; y++)
            for (var x = 0; x < tileWidth; x++)
                tile.Slice((y / scale * Width + x / scale) * Channels, Channels)
                    .CopyTo(canvas.AsSpan(((top + y) * width + left + x) * Channels));
        }
        return Png.Encode(canvas, width, height, Channels);
    }

    /// <summary>Writes <see cref="ToPng"/> to <paramref name="path"/> (for plain C# programs and reports).</summary>
    internal void SavePng(string path, int scale = 1) => File.WriteAllBytes(path, ToPng(scale));

    /// <summary>The grid as an SVG picture: each image a scaled PNG, each title a line of text above it.</summary>
    internal string ToSvg()
    {
        var (cellWidth, cellHeight) = (Width * Scale, Height * Scale);
        var titleHeight = Titles.Count > 0 ? TitleHeight : 0;
        var svgWidth = Columns * cellWidth + (Columns - 1) * SvgGap;
        var svgHeight = Rows * (titleHeight + cellHeight) + (Rows - 1) * SvgGap;
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{svgWidth:0.#}\" height=\"{svgHeight:0.#}\" ")
            .Append(Inv, $"viewBox=\"0 0 {svgWidth:0.#} {svgHeight:0.#}\" font-family=\"sans-serif\" font-size=\"11\">");
        for (var i = 0; i < Count; i++)
        {
            var x = i % Columns * (cellWidth + SvgGap);
            var y = i / Columns * (titleHeight + cellHeight + SvgGap);
            if (titleHeight > 0)
                svg.Append(Inv, $"<text x=\"{x + cellWidth / 2:0.#}\" y=\"{y + 12:0.#}\" text-anchor=\"middle\">")
                    .Append(WebUtility.HtmlEncode(Titles[i])).Append("</text>");
            var png = Convert.ToBase64String(Png.Encode(Tile(i), Width, Height, Channels));
            svg.Append(Inv, $"<image x=\"{x:0.#}\" y=\"{y + titleHeight:0.#}\" width=\"{cellWidth:0.#}\" height=\"{cellHeight:0.#}\" ")
                .Append("preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" ")
                .Append("href=\"data:image/png;base64,").Append(png).Append("\"/>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>HTML for a notebook cell: the SVG picture in a div (what the notebook formatter writes).</summary>
    public string ToHtml() => "<div class=\"dlw-image-grid\">" + ToSvg() + "</div>";

    /// <inheritdoc />
    public override string ToString() =>
        $"ImageGrid: {Count} image{(Count == 1 ? "" : "s")} of {Height}×{Width}{(Channels == 3 ? " RGB" : "")} in {Rows} row{(Rows == 1 ? "" : "s")} of {Columns}";

    ReadOnlySpan<byte> Tile(int index) => pixels.AsSpan(index * Height * Width * Channels, Height * Width * Channels);

    static (int Count, int Channels, int Height, int Width) Layout(Tensor images)
    {
        var s = images.shape;
        return images.dim() switch
        {
            3 => ((int)s[0], 1, (int)s[1], (int)s[2]),
            4 when s[1] is 1 or 3 => ((int)s[0], (int)s[1], (int)s[2], (int)s[3]),
            _ => throw new ArgumentException(
                $"An image grid takes images shaped [N, 1, H, W], [N, 3, H, W] or [N, H, W]; got {images.ShapeText()}. "
                + "Reshape a flat batch such as [N, 784] first (X.reshape(-1, 1, 28, 28)); "
                + "give a single [H, W] image a leading 1 (image.unsqueeze(0)).", nameof(images)),
        } is var layout && layout.Item1 > 0 ? layout : throw new ArgumentException("An image grid needs at least one image.", nameof(images));
    }

    /// <summary>Pixels as bytes 0–255, image after image, each row-major with channels interleaved (the PNG order).</summary>
    static byte[] ToBytes(Tensor images, int count, int channels, int height, int width)
    {
        using var scope = NewDisposeScope();
        using Scalar black = 0.0.ToScalar(), white = 1.0.ToScalar(), levels = 255.0.ToScalar();
        var bytes = images.detach().cpu().to_type(ScalarType.Float32)
            .reshape(count, channels, height, width).permute(0, 2, 3, 1)
            .clamp(black, white).mul(levels).round().to_type(ScalarType.Byte).contiguous();
        return bytes.data<byte>().ToArray();
    }
}
