using DlWorkbook.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Display;

public static partial class Plots
{
    /// <summary>Fashion-MNIST's pictures (Display's side of <see cref="FashionMnist"/>, which sits below it).</summary>
    extension(FashionMnist)
    {
        /// <summary>
        /// An image grid of <paramref name="images"/> titled with the class names of <paramref name="labels"/>, for a
        /// notebook cell: d2l's <c>show_images(X, num_rows, num_cols, titles=get_fashion_mnist_labels(y))</c>.
        /// </summary>
        /// <param name="images">[N, 1, H, W] or [N, H, W], values in [0, 1].</param>
        /// <param name="labels">[N] class indices.</param>
        /// <param name="columns">Images per row.</param>
        /// <param name="scale">Screen pixels per image pixel.</param>
        public static ImageGrid ShowImages(Tensor images, Tensor labels, int columns = 9, double scale = 2) =>
            new(images, FashionMnist.GetLabels(labels), columns, scale);
    }
}
