using DlWorkbook.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Layers;

/// <summary>The options notebook 06 uses: a CPU-sized ResNet (one block per stage, pooled stem) with and without batch norm.</summary>
public class ResNetOptionsTests
{
    static long Parameters(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Fact]
    public void ABlockWithoutBatchNormIsReluOfTwoConvolutionsPlusTheSkipPath()
    {
        var block = new Residual(3, 6, use1x1Conv: true, stride: 2, batchNorm: false);
        var p = block.named_parameters().ToDictionary(n => n.name, n => n.parameter);
        Assert.DoesNotContain(p.Keys, name => name.StartsWith("bn"));

        var x = randn(2, 3, 6, 6);
        var f = nn.functional.conv2d(x, p["conv1.weight"], p["conv1.bias"], strides: [2, 2], padding: [1, 1]);
        f = nn.functional.conv2d(nn.functional.relu(f), p["conv2.weight"], p["conv2.bias"], padding: [1, 1]);
        var skip = nn.functional.conv2d(x, p["conv3.weight"], p["conv3.bias"], strides: [2, 2]);
        var expected = nn.functional.relu(f + skip);

        Assert.Equal([2L, 6, 3, 3], expected.shape);
        Assert.True(block.call(x).allclose(expected, atol: 1e-5));
    }

    [Fact]
    public void OneBlockPerStageWithAPooledStemHalvesTheImageFourTimesOver()
    {
        var net = ResNet.Small(blocksPerStage: 1, poolStem: true);
        var x = rand(2, 1, 28, 28);
        var sides = new List<long>();
        foreach (var layer in net.children().Cast<nn.Module<Tensor, Tensor>>())
        {
            x = layer.call(x);
            if (x.dim() == 4) sides.Add(x.shape[2]);
        }

        Assert.Equal([2L, 10], x.shape);
        Assert.Equal([28L, 28, 28, 14, 14, 7, 4, 1], sides);        // conv, BN, ReLU, max-pool, three stages, global pool
        Assert.Equal(3, net.modules().OfType<Residual>().Count());
        // stem 144+16 weights/biases + BN 32; stages 4,704 + 14,560 + 57,792; classifier 650
        Assert.Equal(77_898, Parameters(net));
    }

    [Fact]
    public void WithoutBatchNormThereIsNoBatchNormLayerAnywhere()
    {
        var net = ResNet.Small(blocksPerStage: 1, poolStem: true, batchNorm: false);

        Assert.Empty(net.modules().OfType<BatchNorm2d>());
        // the stem had one BN layer of 16 channels, each block two of 16, 32 and 64 channels: a gamma and a beta per channel
        Assert.Equal(77_898 - 2 * (16 + 2 * 16 + 2 * 32 + 2 * 64), Parameters(net));
        Assert.Equal([2L, 10], net.call(rand(2, 1, 28, 28)).shape);
    }

    [Fact]
    public void TheDefaultsStillBuildTwoBlocksPerStageAtFullResolution()
    {
        var net = ResNet.Small();

        Assert.Equal(6, net.modules().OfType<Residual>().Count());
        Assert.Empty(net.modules().OfType<MaxPool2d>());
        Assert.Equal(175_338, Parameters(net));
    }

    [Fact]
    public void ZeroBlocksPerStageIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNet.Small(blocksPerStage: 0));
}
