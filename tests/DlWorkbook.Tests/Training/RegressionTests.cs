using DlWorkbook.Data;
using DlWorkbook.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Training;

public class RegressionTests
{
    static readonly float[] TrueW = [2f, -3.4f];
    const float TrueB = 4.2f;

    [Fact]
    public void RecoversTheWeightsOfASyntheticLine()
    {
        var (x, y) = Synthetic.Line(1000, TrueW, TrueB);
        var net = nn.Linear(2, 1);

        var history = Regression.Train(net, Synthetic.Batches(x, y, 10), nn.MSELoss(), optim.SGD(net.parameters(), 0.03), epochs: 3);

        var w = net.weight!.detach().data<float>().ToArray();
        Assert.Equal(TrueW[0], w[0], 0.05);
        Assert.Equal(TrueW[1], w[1], 0.05);
        Assert.Equal(TrueB, net.bias!.item<float>(), 0.05);
        Assert.Equal(3, history.Count);
        Assert.True(history.Last.Loss < 1e-3, $"final loss {history.Last.Loss}");
    }

    [Fact]
    public void RecordsTheLossOverTheFullDataAfterEachEpoch()
    {
        var (x, y) = Synthetic.Line(200, TrueW, TrueB);
        var net = nn.Linear(2, 1);
        var loss = nn.MSELoss();
        var all = new[] { (x, y) };

        var history = Regression.Train(net, Synthetic.Batches(x, y, 20, shuffle: false), loss, optim.SGD(net.parameters(), 0.05),
            epochs: 2, evaluationData: all);

        using var noGrad = no_grad();
        Assert.Equal(loss.call(net.call(x), y).item<float>(), history.Last.Loss, 5);
    }

    [Fact]
    public void AcceptsATorchSharpDataLoaderThroughAsPairs()
    {
        var (x, y) = Synthetic.Line(100, TrueW, TrueB);
        var loader = utils.data.DataLoader(utils.data.TensorDataset(x, y), 20);
        var net = nn.Linear(2, 1);

        var history = Regression.Train(net, loader.AsPairs(), nn.MSELoss(), optim.SGD(net.parameters(), 0.1), epochs: 5);

        Assert.True(history.Last.Loss < history[0].Loss);
    }

    [Fact]
    public void ADivergentLearningRateStopsWithTheRateInTheMessage()
    {
        var (x, y) = Synthetic.Line(200, TrueW, TrueB);
        var net = nn.Linear(2, 1);

        var history = Regression.Train(net, Synthetic.Batches(x, y, 20), nn.MSELoss(), optim.SGD(net.parameters(), 10), epochs: 50);

        Assert.True(history.Diverged);
        Assert.True(history.Count < 50);
        Assert.Contains("learning rate 10 is too large", history.Divergence!.Message);
        Assert.Contains($"epoch {history.Divergence.Epoch}", history.Divergence.Message);
        Assert.All(history, e => Assert.True(double.IsFinite(e.Loss)));
    }
}
