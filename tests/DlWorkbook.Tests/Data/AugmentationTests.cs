using DlWorkbook.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Data;

public class AugmentationTests
{
    static Generator Seeded(long seed = 7) => new Generator().manual_seed(seed);

    static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    /// <summary>Images whose pixels are all different, so any rearrangement shows.</summary>
    static Tensor Distinct(long n, long channels, long height, long width) =>
        rand([n, channels, height, width], generator: Seeded(1));

    [Fact]
    public void HorizontalFlipAtProbabilityOneMirrorsEveryImageAndZeroLeavesThemAlone()
    {
        var x = Distinct(5, 1, 4, 6);

        Assert.Equal(0, MaxDifference(Augmentation.RandomHorizontalFlip(1, Seeded())(x), x.flip(3)));
        Assert.Equal(0, MaxDifference(Augmentation.RandomHorizontalFlip(0, Seeded())(x), x));
        Assert.Equal(0, MaxDifference(Augmentation.RandomVerticalFlip(1, Seeded())(x), x.flip(2)));
    }

    [Fact]
    public void HorizontalFlipAtOneHalfFlipsAboutHalfTheImagesEachWhole()
    {
        var x = Distinct(400, 1, 3, 5);

        var y = Augmentation.RandomHorizontalFlip(0.5, Seeded())(x);

        var unchanged = (y == x).all(3).all(2).all(1);
        var flipped = (y == x.flip(3)).all(3).all(2).all(1);
        Assert.True((unchanged | flipped).all().item<bool>(), "every image is either kept or mirrored as a whole");
        var count = flipped.sum().item<long>();
        Assert.InRange(count, 160, 240);
    }

    [Fact]
    public void RotationByNinetyDegreesTurnsASquareImageCounterClockwise()
    {
        var x = Distinct(3, 2, 6, 6);

        var y = Augmentation.RandomRotation(90, 90, Seeded())(x);

        Assert.True(MaxDifference(y, x.rot90(1, (2, 3))) < 1e-5);
    }

    [Fact]
    public void RotationOfANonSquareImageKeepsDistancesInPixels()
    {
        // A bright pixel 1.5 pixels right of and 0.5 above the centre of a 6×10 image lands 0.5 left of and 1.5 above
        // it after a quarter turn counter-clockwise: row 1, column 4. Without the aspect correction it would smear.
        var x = zeros(1, 1, 6, 10);
        x[0, 0, 2, 6] = tensor(1f);

        var y = Augmentation.RandomRotation(90, 90, Seeded())(x);

        Assert.Equal(1f, y[0, 0, 1, 4].item<float>(), 4);
        Assert.Equal(1f, y.sum().item<float>(), 4);
    }

    [Fact]
    public void RotationAnglesStayWithinTheRangeAndDiffer()
    {
        // A pixel 8 columns right of the centre of a 21×21 image moves along a circle; the angle of its centre of mass is the rotation.
        var x = zeros(50, 1, 21, 21);
        x[.., .., 10, 18] = tensor(1f);

        var y = Augmentation.RandomRotation(30, Seeded())(x);

        var rows = arange(21f).reshape(1, 1, 21, 1);
        var cols = arange(21f).reshape(1, 1, 1, 21);
        var mass = y.sum([1, 2, 3]);
        var dy = (y * rows).sum([1, 2, 3]) / mass - 10;
        var dx = (y * cols).sum([1, 2, 3]) / mass - 10;
        var degrees = atan2(-dy, dx) * (180 / Math.PI);
        Assert.True(degrees.abs().max().item<float>() <= 30.5f);
        Assert.True(degrees.std().item<float>() > 10, "the angles are spread over the range, not all the same");
    }

    [Fact]
    public void ResizedCropOfTheWholeImageIsTheIdentity()
    {
        var x = Distinct(4, 3, 8, 8);

        var y = Augmentation.RandomResizedCrop(1, 1, 1, 1, Seeded())(x);

        Assert.True(MaxDifference(y, x) < 1e-5);
    }

    [Fact]
    public void ResizedCropOfAQuarterOfTheAreaZoomsInTwofold()
    {
        // On a ramp that rises by 1 per column, a crop half as wide stretched to the full width rises by 0.5 per column
        // (bilinear interpolation of a linear ramp is exact away from the image border).
        var ramp = arange(16f).reshape(1, 1, 1, 16).expand(6, 1, 16, 16).contiguous();

        var y = Augmentation.RandomResizedCrop(0.25, 0.25, 1, 1, Seeded())(ramp);

        var steps = y[.., .., 2..14, 2..15] - y[.., .., 2..14, 1..14];
        Assert.True((steps - 0.5f).abs().max().item<float>() < 1e-4);
        Assert.True(y[.., 0, 8, 8].std().item<float>() > 0.5, "each image gets its own crop position");
    }

    [Fact]
    public void BrightnessScalesEachImageByAFactorWithinTheRange()
    {
        var x = full(200, 1, 4, 4, 0.4f);

        var y = Augmentation.ColorJitter(brightness: 0.5, generator: Seeded())(x);

        var perImage = y.mean([1, 2, 3]);
        Assert.True((y.amax([1, 2, 3]) - y.amin([1, 2, 3])).max().item<float>() < 1e-6, "one factor per image");
        Assert.InRange(perImage.min().item<float>(), 0.2f - 1e-6f, 0.25f);
        Assert.InRange(perImage.max().item<float>(), 0.55f, 0.6f + 1e-6f);
    }

    [Fact]
    public void ContrastKeepsTheMeanGreyAndScalesTheSpread()
    {
        var x = 0.4f + 0.2f * Distinct(100, 1, 5, 5);

        var y = Augmentation.ColorJitter(contrast: 0.5, generator: Seeded())(x);

        Assert.True(MaxDifference(y.mean([1, 2, 3]), x.mean([1, 2, 3])) < 1e-5);
        var ratio = y.std([1, 2, 3]) / x.std([1, 2, 3]);
        Assert.True(ratio.min().item<float>() >= 0.5f - 1e-4f && ratio.max().item<float>() <= 1.5f + 1e-4f);
        Assert.True(ratio.std().item<float>() > 0.1);
    }

    [Fact]
    public void SaturationLeavesGreyPixelsAndEachPixelsGreyLevelAlone()
    {
        var greyRgb = Distinct(10, 1, 4, 4).expand(10, 3, 4, 4).contiguous();
        var colour = 0.3f + 0.4f * Distinct(10, 3, 4, 4);
        var jitter = Augmentation.ColorJitter(saturation: 0.5, generator: Seeded());

        Assert.True(MaxDifference(jitter(greyRgb), greyRgb) < 1e-6);
        var y = jitter(colour);
        static Tensor Luma(Tensor t) => 0.299f * t[.., 0] + 0.587f * t[.., 1] + 0.114f * t[.., 2];
        Assert.True(MaxDifference(Luma(y), Luma(colour)) < 1e-5);
        Assert.True(MaxDifference(y, colour) > 0.01);
    }

    [Fact]
    public void TheSameSeedGivesTheSameAugmentationAndTheInputIsNotChanged()
    {
        var x = Distinct(8, 1, 12, 12);
        var copy = x.clone();
        Tensor Run() => Augmentation.Compose(
            Augmentation.RandomHorizontalFlip(generator: Seeded(3)),
            Augmentation.RandomRotation(20, Seeded(3)),
            Augmentation.RandomResizedCrop(0.5, 1, generator: Seeded(3)),
            Augmentation.ColorJitter(0.3, 0.3, generator: Seeded(3)))(x);

        var first = Run();
        var second = Run();

        Assert.Equal(0, MaxDifference(first, second));
        Assert.Equal(0, MaxDifference(x, copy));
        Assert.True(MaxDifference(first, x) > 0.01);
    }

    [Fact]
    public void ComposeRunsTheTransformsInOrderAndReturnsANewTensor()
    {
        var x = Distinct(2, 1, 3, 3);
        var twice = Augmentation.Compose(Augmentation.RandomVerticalFlip(1), Augmentation.RandomVerticalFlip(1));
        var none = Augmentation.Compose(Augmentation.ColorJitter());

        var y = twice(x);
        var z = none(x);

        Assert.Equal(0, MaxDifference(y, x));
        Assert.False(ReferenceEquals(z, x));
        Assert.Equal(0, MaxDifference(z, x));
    }

    [Fact]
    public void ALoaderAppliesTheAugmentationToEveryBatch()
    {
        var images = Distinct(10, 1, 4, 4);
        var loader = new TensorLoader(images, arange(10L), batchSize: 4, transform: Augmentation.RandomHorizontalFlip(1));

        var batches = loader.Select(b => b.X.clone()).ToList();

        Assert.Equal(0, MaxDifference(cat(batches, 0), images.flip(3)));
    }

    [Fact]
    public void WrongShapesAndSettingsAreExplained()
    {
        var single = Assert.Throws<ArgumentException>(() => Augmentation.RandomHorizontalFlip()(zeros(1, 28, 28)));
        Assert.Contains("[1, 28, 28]", single.Message);
        Assert.Contains("unsqueeze(0)", single.Message);

        var bytes = Assert.Throws<ArgumentException>(() => Augmentation.RandomRotation(10)(zeros([2, 1, 4, 4], ScalarType.Byte)));
        Assert.Contains("floating-point", bytes.Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => Augmentation.RandomHorizontalFlip(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Augmentation.RandomResizedCrop(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Augmentation.ColorJitter(brightness: -0.1));
        Assert.Throws<ArgumentException>(() => Augmentation.RandomRotation(20, 10));
    }
}
