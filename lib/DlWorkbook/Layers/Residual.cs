using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DlWorkbook.Layers;

/// <summary>
/// A residual block (curriculum §7.1), counterpart of <c>d2l.Residual</c>: 3x3 conv → batch norm → ReLU →
/// 3x3 conv → batch norm, plus the input (through a 1x1 conv with the same stride when
/// <c>use1x1Conv</c> is set), then ReLU: y = ReLU(F(x) + x).
/// </summary>
/// <example><code>
/// var block = new Residual(3, 6, use1x1Conv: true, stride: 2);
/// block.call(torch.rand(4, 3, 6, 6)).shape;   // [4, 6, 3, 3]
/// </code></example>
public sealed class Residual : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv1, conv2;
    readonly Conv2d? conv3;
    readonly BatchNorm2d bn1, bn2;

    /// <summary>
    /// A block from <paramref name="inputChannels"/> to <paramref name="outputChannels"/>. The first conv uses
    /// <paramref name="stride"/>; the skip path needs the 1x1 conv whenever the channel count or the stride changes
    /// the shape, since F(x) and x must have the same shape to be added.
    /// </summary>
    public Residual(int inputChannels, int outputChannels, bool use1x1Conv = false, int stride = 1) : base(nameof(Residual))
    {
        if (!use1x1Conv && (inputChannels != outputChannels || stride != 1))
            throw new ArgumentException(
                $"Without the 1x1 conv the input is added unchanged, so it must already have the output's shape; "
                + $"here {inputChannels} → {outputChannels} channels with stride {stride} changes it. Pass use1x1Conv: true.");
        conv1 = nn.Conv2d(inputChannels, outputChannels, kernel_size: 3, padding: 1, stride: stride);
        conv2 = nn.Conv2d(outputChannels, outputChannels, kernel_size: 3, padding: 1);
        conv3 = use1x1Conv ? nn.Conv2d(inputChannels, outputChannels, kernel_size: 1, stride: stride) : null;
        bn1 = nn.BatchNorm2d(outputChannels);
        bn2 = nn.BatchNorm2d(outputChannels);
        RegisterComponents();
    }

    /// <summary>ReLU(bn2(conv2(ReLU(bn1(conv1(x))))) + skip(x)), where skip is the 1x1 conv or the identity.</summary>
    public override Tensor forward(Tensor x)
    {
        var y = nn.functional.relu(bn1.call(conv1.call(x)));
        y = bn2.call(conv2.call(y));
        return nn.functional.relu(y + (conv3 is null ? x : conv3.call(x)));
    }
}

/// <summary>A small ResNet for 28x28 grey images (curriculum §7.4), built from <see cref="Residual"/> blocks as in d2l §7.6.</summary>
public static class ResNet
{
    /// <summary>
    /// A stage of <paramref name="residuals"/> blocks; unless it is the first stage, its first block halves height
    /// and width and changes the channels with a 1x1 conv. Counterpart of d2l's <c>resnet_block</c>.
    /// </summary>
    public static Sequential Stage(int inputChannels, int outputChannels, int residuals, bool firstStage = false) =>
        nn.Sequential(Enumerable.Range(0, residuals).Select(i => i == 0 && !firstStage
            ? new Residual(inputChannels, outputChannels, use1x1Conv: true, stride: 2)
            : new Residual(outputChannels, outputChannels)).ToArray<nn.Module<Tensor, Tensor>>());

    /// <summary>
    /// A ResNet small enough to train on a CPU: a 3x3 conv stem with <paramref name="width"/> channels, three stages of
    /// two blocks (width, 2·width, 4·width channels; 28x28 → 14x14 → 7x7), global average pooling and a linear classifier.
    /// d2l's ResNet-18 has the same structure with a 7x7 stem, max pooling and four stages up to 512 channels.
    /// </summary>
    public static Sequential Small(int classes = 10, int width = 16, int inputChannels = 1) =>
        nn.Sequential(
            nn.Conv2d(inputChannels, width, kernel_size: 3, padding: 1), nn.BatchNorm2d(width), nn.ReLU(),
            Stage(width, width, 2, firstStage: true),
            Stage(width, 2 * width, 2),
            Stage(2 * width, 4 * width, 2),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(4 * width, classes));
}
