using DlWorkbook.Runtime;
using DlWorkbook.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Data;

/// <summary>
/// Random image augmentations for whole batches [N, C, H, W] with values in [0, 1]: every image of the batch gets
/// its own random flip, angle, crop or colour change. Counterparts of <c>torchvision.transforms</c>
/// (<c>RandomHorizontalFlip</c>, <c>RandomVerticalFlip</c>, <c>RandomRotation</c>, <c>RandomResizedCrop</c>,
/// <c>ColorJitter</c>, <c>Compose</c>), which d2l uses in its image-augmentation section. Each method returns a
/// function that fits <see cref="TensorLoader"/>'s <c>transform</c> argument.
/// </summary>
/// <remarks>
/// Why not the TorchVision package: its transforms, like torchvision's, draw one random flip, angle or crop per call,
/// so a batch gets the same change on every image, and per-image augmentation would take one call per image (256 per
/// batch, on the training path). These draw a parameter per image and apply them all in one tensor operation
/// (<c>where</c>, or <c>affine_grid</c> with <c>grid_sample</c>).
/// Random numbers come from <c>generator</c>, or from TorchSharp's default generator when it is null, so
/// <c>Workbook.Seed</c> makes the augmentations repeatable. The input batch is left unchanged; the result is a new
/// tensor. Rotations and crops resample with bilinear interpolation and fill uncovered corners with 0 (black, the
/// background of Fashion-MNIST).
/// </remarks>
/// <example><code>
/// var augment = Augmentation.Compose(Augmentation.RandomHorizontalFlip(), Augmentation.RandomRotation(15));
/// var loader = new TensorLoader(train.Images, train.Labels, 256, shuffle: true, transform: augment);
/// </code></example>
public static class Augmentation
{
    /// <summary>Mirrors each image left to right with probability <paramref name="p"/> (<c>transforms.RandomHorizontalFlip(p)</c>).</summary>
    public static Func<Tensor, Tensor> RandomHorizontalFlip(double p = 0.5, Generator? generator = null) =>
        RandomFlip(p, 3, generator);

    /// <summary>Mirrors each image top to bottom with probability <paramref name="p"/> (<c>transforms.RandomVerticalFlip(p)</c>).</summary>
    public static Func<Tensor, Tensor> RandomVerticalFlip(double p = 0.5, Generator? generator = null) =>
        RandomFlip(p, 2, generator);

    /// <summary>
    /// Rotates each image about its centre by an angle drawn uniformly from [-<paramref name="degrees"/>, <paramref name="degrees"/>]
    /// (<c>transforms.RandomRotation(degrees)</c>). Positive angles turn the picture counter-clockwise, as in torchvision.
    /// </summary>
    public static Func<Tensor, Tensor> RandomRotation(double degrees, Generator? generator = null)
    {
        if (!(degrees >= 0))
            throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "Give the largest angle as a non-negative number of degrees, e.g. 15 for ±15°.");
        return RandomRotation(-degrees, degrees, generator);
    }

    /// <summary>Rotates each image by an angle drawn uniformly from [<paramref name="minDegrees"/>, <paramref name="maxDegrees"/>] (<c>transforms.RandomRotation((min, max))</c>).</summary>
    public static Func<Tensor, Tensor> RandomRotation(double minDegrees, double maxDegrees, Generator? generator = null)
    {
        CheckRange(minDegrees, maxDegrees, "minDegrees", "maxDegrees");
        return images => Resample(images, (n, height, width) =>
        {
            var radians = Uniform(n, minDegrees, maxDegrees, generator).deg2rad();
            var (cos, sin) = (radians.cos(), radians.sin());
            var zero = zeros_like(cos);
            // affine_grid works in coordinates scaled to [-1, 1] on each axis; the ratios keep a non-square image
            // from being sheared. Output pixel p samples the input at R(-angle) p, which turns the content by +angle.
            var aspect = Constant((double)height / width);
            return stack([stack([cos, -sin * aspect, zero], 1), stack([sin / aspect, cos, zero], 1)], 1);
        });
    }

    /// <summary>
    /// Cuts a random rectangle from each image and stretches it back to the full H×W (<c>transforms.RandomResizedCrop(size,
    /// scale, ratio)</c> with <c>size</c> = the input size). The rectangle covers a fraction of the image's area drawn from
    /// [<paramref name="minScale"/>, <paramref name="maxScale"/>], its width:height ratio is drawn (log-uniformly) from
    /// [<paramref name="minRatio"/>, <paramref name="maxRatio"/>], and its position is uniform over the places it fits.
    /// A small area zooms in; torchvision's defaults are scale (0.08, 1) and ratio (3/4, 4/3).
    /// </summary>
    public static Func<Tensor, Tensor> RandomResizedCrop(
        double minScale = 0.08, double maxScale = 1, double minRatio = 3.0 / 4, double maxRatio = 4.0 / 3, Generator? generator = null)
    {
        CheckRange(minScale, maxScale, "minScale", "maxScale");
        CheckRange(minRatio, maxRatio, "minRatio", "maxRatio");
        if (minScale <= 0 || maxScale > 1)
            throw new ArgumentOutOfRangeException(nameof(minScale), $"The area fractions must lie in (0, 1]; got [{minScale}, {maxScale}].");
        if (minRatio <= 0)
            throw new ArgumentOutOfRangeException(nameof(minRatio), minRatio, "Width:height ratios must be positive.");
        return images => Resample(images, (n, height, width) =>
        {
            var area = Uniform(n, minScale, maxScale, generator);
            var ratio = Uniform(n, Math.Log(minRatio), Math.Log(maxRatio), generator).exp();
            // Width and height of the crop as fractions of the image's width and height.
            var one = Constant(1);
            var cropWidth = minimum((area * ratio * Constant((double)height / width)).sqrt(), one);
            var cropHeight = minimum((area / ratio * Constant((double)width / height)).sqrt(), one);
            // In [-1, 1] coordinates the crop is centred at c and reaches c ± size, so c ranges over ±(1 - size).
            var centreX = Uniform(n, -1, 1, generator) * (one - cropWidth);
            var centreY = Uniform(n, -1, 1, generator) * (one - cropHeight);
            var zero = zeros_like(area);
            return stack([stack([cropWidth, zero, centreX], 1), stack([zero, cropHeight, centreY], 1)], 1);
        });
    }

    /// <summary>
    /// Changes brightness, contrast and (for colour images) saturation of each image by random factors
    /// (<c>transforms.ColorJitter(brightness, contrast, saturation)</c>, in that fixed order; torchvision's hue jitter is not
    /// included). A setting of 0.5 draws a factor from [0.5, 1.5]; 0 leaves that property alone. Brightness multiplies
    /// every pixel by the factor; contrast blends each image with its mean grey level; saturation blends each pixel with
    /// its own grey value (grey images have no saturation to change). Results are clipped to [0, 1].
    /// </summary>
    public static Func<Tensor, Tensor> ColorJitter(
        double brightness = 0, double contrast = 0, double saturation = 0, Generator? generator = null)
    {
        foreach (var (value, name) in new[] { (brightness, nameof(brightness)), (contrast, nameof(contrast)), (saturation, nameof(saturation)) })
            if (!(value >= 0)) throw new ArgumentOutOfRangeException(name, value, "Jitter strengths are non-negative (0 switches a property off).");
        return images =>
        {
            var (n, channels, _, _) = CheckBatch(images);
            using var scope = NewDisposeScope();
            var x = images;
            if (brightness > 0)
                x = Clip(x * Factor(n, brightness, generator));
            if (contrast > 0)
            {
                var meanGrey = Grey(x).mean([1, 2, 3], keepdim: true);
                x = Blend(x, meanGrey, Factor(n, contrast, generator));
            }
            if (saturation > 0 && channels == 3)
                x = Blend(x, Grey(x), Factor(n, saturation, generator));
            return (ReferenceEquals(x, images) ? images.clone() : x).MoveToOuterDisposeScope();
        };
    }

    /// <summary>Applies <paramref name="transforms"/> one after the other (<c>transforms.Compose([...])</c>), freeing the batches in between.</summary>
    public static Func<Tensor, Tensor> Compose(params Func<Tensor, Tensor>[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        if (transforms.Any(t => t is null)) throw new ArgumentException("One of the transforms is null.", nameof(transforms));
        return images =>
        {
            var x = images;
            foreach (var transform in transforms)
            {
                var next = transform(x);
                if (!ReferenceEquals(x, images) && !ReferenceEquals(next, x)) x.Dispose();
                x = next;
            }
            return ReferenceEquals(x, images) ? images.clone() : x;
        };
    }

    static Func<Tensor, Tensor> RandomFlip(double p, long dimension, Generator? generator)
    {
        if (!(p is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "The flip probability must lie between 0 and 1.");
        return images =>
        {
            var (n, _, _, _) = CheckBatch(images);
            using var scope = NewDisposeScope();
            var flip = rand(n, generator: generator).lt(Constant(p)).reshape(n, 1, 1, 1);
            return where(flip, images.flip(dimension), images).MoveToOuterDisposeScope();
        };
    }

    /// <summary>
    /// Samples each image through the 2×3 affine map that <paramref name="makeTheta"/> builds from (N, H, W): [N, 2, 3],
    /// mapping output coordinates in [-1, 1] to input coordinates (<c>F.affine_grid</c> then <c>F.grid_sample</c>).
    /// </summary>
    static Tensor Resample(Tensor images, Func<long, long, long, Tensor> makeTheta)
    {
        var (n, channels, height, width) = CheckBatch(images);
        using var scope = NewDisposeScope();
        var x = images.dtype == ScalarType.Float64 ? images : images.to_type(ScalarType.Float32);
        var theta = makeTheta(n, height, width).to_type(x.dtype).to(x.device);
        var grid = nn.functional.affine_grid(theta, [n, channels, height, width], align_corners: false);
        var result = nn.functional.grid_sample(x, grid, mode: GridSampleMode.Bilinear,
            padding_mode: GridSamplePaddingMode.Zeros, align_corners: false);
        return result.to_type(images.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>[N] numbers drawn uniformly from [from, to], in float64 so small ranges stay exact.</summary>
    static Tensor Uniform(long n, double from, double to, Generator? generator) =>
        rand(n, dtype: ScalarType.Float64, generator: generator) * Constant(to - from) + Constant(from);

    /// <summary>
    /// A number as a 0-dimensional float64 tensor of the current dispose scope: it broadcasts like a number, keeps the
    /// other operand's dtype, and is freed with the scope (a number in an operator would become a Scalar left to the
    /// finalizer).
    /// </summary>
    static Tensor Constant(double value) => tensor(value, ScalarType.Float64);

    /// <summary>Pixel values clipped to [0, 1].</summary>
    static Tensor Clip(Tensor x) => x.clamp(Constant(0).to_type(x.dtype), Constant(1).to_type(x.dtype));

    /// <summary>A factor per image from [max(0, 1 - strength), 1 + strength], shaped [N, 1, 1, 1] to scale whole images.</summary>
    static Tensor Factor(long n, double strength, Generator? generator) =>
        Uniform(n, Math.Max(0, 1 - strength), 1 + strength, generator).to_type(ScalarType.Float32).reshape(n, 1, 1, 1);

    /// <summary>Grey level of each pixel, [N, 1, H, W]: the channel itself for grey images, ITU-R 601 luma for colour (as torchvision).</summary>
    static Tensor Grey(Tensor x) =>
        x.size(1) == 3 ? (Constant(0.299) * x[.., 0..1] + Constant(0.587) * x[.., 1..2] + Constant(0.114) * x[.., 2..3]) : x;

    /// <summary>torchvision's <c>_blend</c>: factor·image + (1 − factor)·other, clipped to [0, 1].</summary>
    static Tensor Blend(Tensor image, Tensor other, Tensor factor) =>
        Clip(factor * image + (Constant(1) - factor) * other);

    static (long N, long Channels, long Height, long Width) CheckBatch(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        TorchNative.EnsureLoaded();
        if (images.dim() != 4)
            throw new ArgumentException(
                $"Augmentations take a batch of images shaped [N, C, H, W]; got {images.ShapeText()}. "
                + "Give a single image [C, H, W] a leading 1 (image.unsqueeze(0)); reshape a flat batch [N, 784] with reshape(-1, 1, 28, 28).",
                nameof(images));
        if (!images.is_floating_point())
            throw new ArgumentException($"Augmentations work on floating-point pixels in [0, 1]; got {images.dtype}. Convert with .to_type(torch.float32) / 255 first.", nameof(images));
        return (images.size(0), images.size(1), images.size(2), images.size(3));
    }

    static void CheckRange(double min, double max, string minName, string maxName)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            throw new ArgumentException($"Need finite {minName} ≤ {maxName}; got {min} and {max}.");
    }
}
