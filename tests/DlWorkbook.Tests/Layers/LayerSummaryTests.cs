using Deedle;
using DlWorkbook.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Layers;

public class LayerSummaryTests
{
    [Fact]
    public void LeNetRowsFollowOneImageThroughEveryLayerAndAddUpItsParameters()
    {
        var net = LeNet.Create();
        net.train();

        var table = LayerSummary.Of(net, rand(1, 1, 28, 28));

        var layers = table.GetColumn<string>("Layer").Values.ToList();
        var outputs = table.GetColumn<string>("Output").Values.ToList();
        var parameters = table.GetColumn<long>("Parameters").Values.ToList();
        Assert.Equal(["input", "0: Conv2d", "1: Sigmoid", "2: AvgPool2d"], layers.Take(4));
        Assert.Equal("total", layers[^1]);
        Assert.Equal(["[1, 1, 28, 28]", "[1, 6, 28, 28]", "[1, 6, 28, 28]", "[1, 6, 14, 14]"], outputs.Take(4));
        Assert.Equal("[1, 10]", outputs[^2]);
        Assert.Equal(6 * 25 + 6, parameters[1]);
        Assert.Equal(61_706, parameters[^1]);
        Assert.Equal(net.parameters().Sum(p => p.numel()), parameters[^1]);
        Assert.True(net.training, "the model's mode is restored");
    }
}
