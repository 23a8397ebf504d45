using System.Globalization;
using DlWorkbook.Tensors;
using static TorchSharp.torch;

namespace DlWorkbook.Data;

/// <summary>
/// Images and their class labels held as two tensors: <see cref="Images"/> [N, C, H, W] float32 and
/// <see cref="Labels"/> [N] int64. Counterpart of one split of <c>torchvision.datasets.FashionMNIST</c>
/// with <c>transform=ToTensor()</c>, stored whole instead of item by item.
/// </summary>
/// <remarks>The set owns both tensors; <see cref="Dispose"/> frees them.</remarks>
public sealed class ImageSet : IDisposable
{
    /// <summary>Wraps two tensors; the set takes ownership of them.</summary>
    /// <exception cref="ArgumentException">The shapes do not fit together: the message names both.</exception>
    public ImageSet(Tensor images, Tensor labels)
    {
        if (images.dim() != 4 || labels.dim() != 1 || images.shape[0] != labels.shape[0])
            throw new ArgumentException(
                $"An image set needs images shaped [N, C, H, W] and labels shaped [N] with the same N; got images "
                + $"{images.ShapeText()} and labels {labels.ShapeText()}.");
        Images = images;
        Labels = labels;
    }

    /// <summary>All images, [N, C, H, W] float32 in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>All labels, [N] int64 class indices.</summary>
    public Tensor Labels { get; }

    /// <summary>Number of examples (<c>len(mnist_train)</c>).</summary>
    public long Count => Labels.shape[0];

    /// <summary>
    /// Example <paramref name="index"/>: its image [C, H, W] (a view into <see cref="Images"/>) and its label,
    /// like <c>mnist_train[0]</c>.
    /// </summary>
    public (Tensor Image, long Label) this[long index] => (Images[index], Labels[index].item<long>());

    /// <summary>True after the tensors were disposed.</summary>
    public bool IsDisposed => Images.IsInvalid || Labels.IsInvalid;

    /// <summary>
    /// Reads a pair of IDX files (<see cref="Idx"/>) into a set, checking that they hold the same number of examples.
    /// </summary>
    /// <exception cref="DataSetException">A file is damaged or the counts differ.</exception>
    internal static ImageSet ReadIdx(string imagesPath, string labelsPath)
    {
        var images = Idx.ReadImages(imagesPath);
        try
        {
            var labels = Idx.ReadLabels(labelsPath);
            var labelCount = labels.shape[0];
            if (labelCount == images.shape[0]) return new ImageSet(images, labels);
            labels.Dispose();
            throw new DataSetException(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(imagesPath)} holds {images.shape[0]:N0} images but {Path.GetFileName(labelsPath)} holds "
                + $"{labelCount:N0} labels; they must be the two halves of one split."));
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsDisposed ? "ImageSet (disposed)" : $"ImageSet: {Count} images [{string.Join(", ", Images.shape.Skip(1))}]";
}
