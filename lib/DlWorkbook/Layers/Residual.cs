using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DlWorkbook.Layers;

/// <summary>
/// A residual block (notebook 06, §6.1), counterpart of <c>d2l.Residual</c>: 3x3 conv → batch norm → ReLU →
/// 3x3 conv → batch norm, plus the input (through a 1x1 conv with the same stride when
/// <c>use1x1Conv</c> is set), then ReLU: y = ReLU(F(x) + x). With <c>batchNorm: false</c> the two batch-norm
/// layers are left out (identities), for comparing training with and without batch normalisation (§7.4).
/// </summary>
/// <example><code>
/// var block = new Residual(3, 6, use1x1Conv: true, stride: 2);
/// block.call(torch.rand(4, 3, 6, 6)).shape;   // [4, 6, 3, 3]
/// </code></example>
public sealed class Residual : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv1, conv2;
    readonly Conv2d? conv3;
    readonly nn.Module<Tensor, Tensor> bn1, bn2;

    /// <summary>
    /// A block from <paramref name="inputChannels"/> to <paramref name="outputChannels"/>. The first conv uses
    /// <paramref name="stride"/>; the skip path needs the 1x1 conv whenever the channel count or the stride changes
    /// the shape, since F(x) and x must have the same shape to be added. <paramref name="batchNorm"/> false replaces
    /// both batch-norm layers by identities (the parameter names bn1 and bn2 stay, without parameters).
    /// </summary>
    public Residual(int inputChannels, int outputChannels, bool use1x1Conv = false, int stride = 1, bool batchNorm = true)
        : base(nameof(Residual))
    {
        if (!use1x1Conv && (inputChannels != outputChannels || stride != 1))
            throw new ArgumentException(
                $"Without the 1x1 conv the input is added unchanged, so it must already have the output's shape; "
                + $"here {inputChannels} → {outputChannels} channels with stride {stride} changes it. Pass use1x1Conv: true.");
        conv1 = nn.Conv2d(inputChannels, outputChannels, kernel_size: 3, padding: 1, stride: stride);
        conv2 = nn.Conv2d(outputChannels, outputChannels, kernel_size: 3, padding: 1);
        conv3 = use1x1Conv ? nn.Conv2d(inputChannels, outputChannels, kernel_size: 1, stride: stride) : null;
        bn1 = batchNorm ? nn.BatchNorm2d(outputChannels) : nn.Identity();
        bn2 = batchNorm ? nn.BatchNorm2d(outputChannels) : nn.Identity();
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

/// <summary>A small ResNet for 28x28 grey images (notebook 06, §6.4), built from <see cref="Residual"/> blocks as in d2l §7.6.</summary>
public static class ResNet
{
    /// <summary>
    /// A stage of <paramref name="residuals"/> blocks; unless it is the first stage, its first block halves height
    /// and width and changes the channels with a 1x1 conv. Counterpart of d2l's <c>resnet_block</c>.
    /// <paramref name="batchNorm"/> false builds the blocks without batch norm.
    /// </summary>
    public static Sequential Stage(int inputChannels, int outputChannels, int residuals, bool firstStage = false, bool batchNorm = true) =>
        nn.Sequential(Enumerable.Range(0, residuals).Select(i => i == 0 && !firstStage
            ? new Residual(inputChannels, outputChannels, use1x1Conv: true, stride: 2, batchNorm: batchNorm)
            : new Residual(outputChannels, outputChannels, batchNorm: batchNorm)).ToArray<nn.Module<Tensor, Tensor>>());

    /// <summary>
    /// A ResNet small enough to train on a CPU: a 3x3 conv stem with <paramref name="width"/> channels, three stages of
    /// <paramref name="blocksPerStage"/> blocks (width, 2·width, 4·width channels; each stage after the first halves
    /// height and width), global average pooling and a linear classifier. With the defaults a 28x28 image goes
    /// 28x28 → 14x14 → 7x7. d2l's ResNet-18 has the same structure with a 7x7 stem, max pooling and four stages of
    /// two blocks up to 512 channels.
    /// </summary>
    /// <param name="classes">Outputs of the classifier.</param>
    /// <param name="width">Channels of the stem and the first stage.</param>
    /// <param name="inputChannels">Channels of the input images (1 for grey).</param>
    /// <param name="blocksPerStage">Residual blocks in each of the three stages (d2l's ResNet-18: 2).</param>
    /// <param name="poolStem">Follow the stem with d2l's 3x3 max pooling of stride 2 and padding 1, which halves height and
    /// width before the first stage (28x28 → 14x14 → 7x7 → 4x4) and makes the network about four times cheaper.</param>
    /// <param name="batchNorm">False leaves out every batch-norm layer (stem and blocks), to compare training without it.</param>
    /// <example><code>
    /// var net = ResNet.Small(blocksPerStage: 1, poolStem: true);                      // a CPU-sized network for Fashion-MNIST
    /// var plain = ResNet.Small(blocksPerStage: 1, poolStem: true, batchNorm: false);  // the same without batch norm
    /// </code></example>
    public static Sequential Small(
        int classes = 10, int width = 16, int inputChannels = 1, int blocksPerStage = 2, bool poolStem = false, bool batchNorm = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocksPerStage);
        var layers = new List<nn.Module<Tensor, Tensor>> { nn.Conv2d(inputChannels, width, kernel_size: 3, padding: 1) };
        if (batchNorm) layers.Add(nn.BatchNorm2d(width));
        layers.Add(nn.ReLU());
        if (poolStem) layers.Add(nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1));
        layers.AddRange([
            Stage(width, width, blocksPerStage, firstStage: true, batchNorm),
            Stage(width, 2 * width, blocksPerStage, batchNorm: batchNorm),
            Stage(2 * width, 4 * width, blocksPerStage, batchNorm: batchNorm),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(4 * width, classes)]);
        return nn.Sequential(layers.ToArray());
    }
}
