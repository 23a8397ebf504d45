using DlWorkbook.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Layers;

public class ResidualTests
{
    [Fact]
    public void WithoutTheOneByOneConvTheShapeIsKept()
    {
        var block = new Residual(3, 3);
        Assert.Equal([4L, 3, 6, 6], block.call(rand(4, 3, 6, 6)).shape);
        Assert.DoesNotContain(block.named_parameters(), p => p.name.StartsWith("conv3"));
    }

    [Fact]
    public void OneByOneConvWithStrideTwoHalvesHeightAndWidthAndChangesChannels()
    {
        var block = new Residual(3, 6, use1x1Conv: true, stride: 2);
        Assert.Equal([4L, 6, 3, 3], block.call(rand(4, 3, 6, 6)).shape);
        Assert.Contains(block.named_parameters(), p => p.name == "conv3.weight" && p.parameter.shape.SequenceEqual([6L, 3, 1, 1]));
    }

    [Fact]
    public void OneByOneConvAloneChangesOnlyTheChannels()
    {
        Assert.Equal([4L, 6, 6, 6], new Residual(3, 6, use1x1Conv: true).call(rand(4, 3, 6, 6)).shape);
    }

    [Fact]
    public void AShapeChangeWithoutTheOneByOneConvIsExplained()
    {
        var e = Assert.Throws<ArgumentException>(() => new Residual(3, 6, stride: 2));
        Assert.Contains("use1x1Conv: true", e.Message);
    }

    [Fact]
    public void OutputIsReluOfBranchPlusInput()
    {
        var block = new Residual(2, 2);
        // Zero conv weights and biases make the branch F(x) zero (batch norm in eval mode with fresh statistics keeps 0 at 0), so y = ReLU(x).
        Init.Apply(block, w => nn.init.zeros_(w));
        block.eval();
        var x = randn(1, 2, 3, 3);
        Assert.True(block.call(x).allclose(nn.functional.relu(x), atol: 1e-5));
    }

    [Fact]
    public void SmallResNetMapsImagesToClassScores()
    {
        var net = ResNet.Small();
        Assert.Equal([2L, 10], net.call(rand(2, 1, 28, 28)).shape);
        Assert.Equal([2L, 32, 14, 14], ResNet.Stage(16, 32, 2).call(rand(2, 16, 28, 28)).shape);
    }
}

public class LeNetTests
{
    [Fact]
    public void LayerShapesMatchD2l()
    {
        var net = LeNet.Create();
        var x = rand(2, 1, 28, 28);
        var shapes = new List<long[]>();
        foreach (var layer in net.children().Cast<nn.Module<Tensor, Tensor>>())
        {
            x = layer.call(x);
            shapes.Add(x.shape);
        }

        Assert.Equal([2L, 6, 28, 28], shapes[0]);
        Assert.Equal([2L, 6, 14, 14], shapes[2]);
        Assert.Equal([2L, 16, 10, 10], shapes[3]);
        Assert.Equal([2L, 16, 5, 5], shapes[5]);
        Assert.Equal([2L, 400], shapes[6]);
        Assert.Equal([2L, 10], shapes[^1]);
    }
}
