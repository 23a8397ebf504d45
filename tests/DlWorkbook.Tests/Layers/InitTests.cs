using DlWorkbook.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Layers;

[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]   // one test reseeds the global generator
public class InitTests
{
    static Sequential Net() => nn.Sequential(nn.Linear(400, 300), nn.ReLU(), nn.Linear(300, 200));

    static double Std(Tensor t) => t.std().item<float>();

    [Fact]
    public void NormalSetsTheStandardDeviationAndZeroesBiases()
    {
        var net = Init.Normal(Net(), std: 0.01);
        foreach (var layer in net.children().OfType<Linear>())
        {
            Assert.Equal(0.01, Std(layer.weight!), 0.001);
            Assert.Equal(0, layer.bias!.abs().max().item<float>());
        }
    }

    [Fact]
    public void XavierAndHeFollowTheirVarianceFormulas()
    {
        var first = (Linear)Init.XavierNormal(Net()).children().First();
        Assert.Equal(Math.Sqrt(2.0 / (400 + 300)), Std(first.weight!), 0.003);

        first = (Linear)Init.He(Net()).children().First();
        Assert.Equal(Math.Sqrt(2.0 / 400), Std(first.weight!), 0.003);

        first = (Linear)Init.XavierUniform(Net()).children().First();
        var bound = Math.Sqrt(6.0 / (400 + 300));
        Assert.True(first.weight!.abs().max().item<float>() <= bound + 1e-6);
        Assert.Equal(bound / Math.Sqrt(3), Std(first.weight!), 0.003);
    }

    [Fact]
    public void XavierNormalIsNormalNotUniform()
    {
        // TorchSharp 0.107's nn.init.xavier_normal_ draws uniformly; a uniform sample has kurtosis 1.8, a normal one 3,
        // and a normal sample of 120,000 has values beyond the uniform bound √(6 / (n_in + n_out)).
        var weight = ((Linear)Init.XavierNormal(Net()).children().First()).weight!;
        var kurtosis = (weight.pow(4).mean() / weight.square().mean().square()).item<float>();
        Assert.InRange(kurtosis, 2.9, 3.1);
        Assert.True(weight.abs().max().item<float>() > Math.Sqrt(6.0 / (400 + 300)));
    }

    [Fact]
    public void XavierNormalDrawsStdTimesStandardNormalNumbers()
    {
        // A convolution's fans include the kernel size: n_in = 3·5·5, n_out = 6·5·5.
        var conv = nn.Conv2d(3, 6, kernel_size: 5);
        manual_seed(11);
        Init.XavierNormal(conv);
        manual_seed(11);
        var byHand = randn(6, 3, 5, 5) * Math.Sqrt(2.0 / (75 + 150));
        Assert.True(allclose(byHand, conv.weight!, rtol: 1e-6, atol: 1e-7));
    }

    [Fact]
    public void ReachesConvolutionsNestedInsideBlocks()
    {
        var net = nn.Sequential(new Residual(2, 4, use1x1Conv: true), nn.Flatten());
        Init.Apply(net, w => nn.init.constant_(w, 0.5));

        var convWeights = net.named_parameters().Where(p => p.name.Contains("conv") && p.name.EndsWith("weight")).ToList();
        Assert.Equal(3, convWeights.Count);
        Assert.All(convWeights, p => Assert.Equal(0.5f, p.parameter.mean().item<float>()));
        var batchNormWeight = net.named_parameters().First(p => p.name.Contains("bn1.weight")).parameter;
        Assert.Equal(1f, batchNormWeight.mean().item<float>());
    }
}
