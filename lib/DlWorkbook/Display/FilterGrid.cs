using DlWorkbook.Runtime;
using DlWorkbook.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Display;

/// <summary>
/// What a convolutional layer has learned, as pictures: its kernels (<see cref="Filters"/>) and the feature maps it
/// computes for one image (<see cref="FeatureMaps"/>). Both return an <see cref="ImageGrid"/>, each tile scaled on
/// its own so that weak filters and maps stay visible. The counterpart of what d2l and the PyTorch tutorials draw
/// with <c>torchvision.utils.make_grid(conv.weight, normalize=True, scale_each=True)</c> and matplotlib.
/// </summary>
public static class FilterGrid
{
    /// <summary>
    /// The kernels of a convolution, one tile per (output channel, input channel) slice: row <c>o</c> of the grid
    /// holds the slices of output channel <c>o</c>, one per input channel (a first layer on grey images has one
    /// input channel, so its filters simply follow each other, <paramref name="columns"/> per row). Each slice is
    /// scaled by its largest absolute weight: mid-grey is 0, white the most positive weight, black its negative.
    /// </summary>
    /// <param name="weight">A convolution's weight, [c_out, c_in, k_h, k_w] (<c>conv.weight</c>).</param>
    /// <param name="titles">One title per tile (c_out · c_in of them), or null for none.</param>
    /// <param name="columns">Tiles per row; by default c_in, or 8 for a single input channel.</param>
    /// <param name="scale">Screen pixels per weight in the notebook picture.</param>
    /// <exception cref="ArgumentException">The weight is not 4-D, or one of its axes is empty.</exception>
    public static ImageGrid Filters(Tensor weight, IReadOnlyList<string>? titles = null, int? columns = null, double scale = 12)
    {
        ArgumentNullException.ThrowIfNull(weight);
        TorchNative.EnsureLoaded();
        if (weight.dim() != 4)
            throw new ArgumentException(
                $"Filters takes a convolution's weight shaped [out channels, in channels, kernel height, kernel width]; got {weight.ShapeText()}. "
                + "Pass the layer's weight, for example conv.weight (a Conv2d(1, 6, 5) has [6, 1, 5, 5]).", nameof(weight));
        RefuseEmpty(weight, "Filters", "filters", nameof(weight));
        var (outputs, inputs, height, width) = ((int)weight.shape[0], (int)weight.shape[1], (int)weight.shape[2], (int)weight.shape[3]);
        using var scope = NewDisposeScope();
        using var tiny = 1e-30f.ToScalar();
        using var two = 2f.ToScalar();
        using var half = 0.5f.ToScalar();
        var slices = weight.detach().cpu().to_type(ScalarType.Float32).reshape(outputs * inputs, height * width);
        var largest = slices.abs().amax([1], keepdim: true);
        // 0.5 + w / (2 max|w|): 0 is mid-grey; an all-zero slice stays grey instead of dividing by zero.
        var tiles = slices.div(largest.clamp_min(tiny).mul(two)).add(half).reshape(outputs * inputs, 1, height, width);
        return new ImageGrid(tiles, titles, columns ?? (inputs > 1 ? inputs : 8), scale);
    }

    /// <summary>
    /// The feature maps of one image, one tile per channel, each scaled from its own smallest value (black) to its
    /// largest (white); a map with a single value everywhere is drawn black.
    /// </summary>
    /// <param name="maps">One image's maps, [C, H, W], or [1, C, H, W] as a layer returns them for a batch of one.</param>
    /// <param name="titles">One title per channel, or null for none.</param>
    /// <param name="columns">Tiles per row.</param>
    /// <param name="scale">Screen pixels per map pixel in the notebook picture.</param>
    /// <exception cref="ArgumentException">The maps are not [C, H, W] or [1, C, H, W], or one of the axes is empty.</exception>
    public static ImageGrid FeatureMaps(Tensor maps, IReadOnlyList<string>? titles = null, int columns = 8, double scale = 3)
    {
        ArgumentNullException.ThrowIfNull(maps);
        TorchNative.EnsureLoaded();
        if (maps.dim() is not (3 or 4))
            throw new ArgumentException(
                $"FeatureMaps takes one image's maps shaped [channels, height, width] or [1, channels, height, width]; got {maps.ShapeText()}. "
                + "Run a convolution on a batch of one image, for example conv.call(images[..1]).", nameof(maps));
        RefuseEmpty(maps, "FeatureMaps", "feature maps", nameof(maps));
        if (maps.dim() == 4 && maps.shape[0] != 1)
            throw new ArgumentException(
                $"FeatureMaps shows the maps of one image; got a batch of {maps.shape[0]}, {maps.ShapeText()}. "
                + "Pick one image first, for example maps[0] (or run the layer on images[..1]).", nameof(maps));
        var s = maps.shape;
        var (channels, height, width) = ((int)s[^3], (int)s[^2], (int)s[^1]);
        using var scope = NewDisposeScope();
        using var tiny = 1e-30f.ToScalar();
        var flat = maps.detach().cpu().to_type(ScalarType.Float32).reshape(channels, height * width);
        var low = flat.amin([1], keepdim: true);
        var range = flat.amax([1], keepdim: true).sub(low);
        var tiles = flat.sub(low).div(range.clamp_min(tiny)).reshape(channels, 1, height, width);
        return new ImageGrid(tiles, titles, columns, scale);
    }

    static void RefuseEmpty(Tensor t, string method, string what, string parameter)
    {
        if (t.shape.Any(length => length == 0))
            throw new ArgumentException($"{method} got no {what}: one axis of {t.ShapeText()} is empty. "
                + "Check the slice or the layer that produced it.", parameter);
    }
}
