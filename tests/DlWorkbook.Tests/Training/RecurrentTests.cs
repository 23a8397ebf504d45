using DlWorkbook.Layers;
using DlWorkbook.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Training;

public class RecurrentTests
{
    static readonly string Text = string.Concat(Enumerable.Repeat("hello world ", 40));

    [Fact]
    public void PerplexityFallsOnARepeatedTextAndPredictionContinuesIt()
    {
        var (batches, vocab) = Synthetic.Text(Text, batchSize: 4, steps: 10);
        var net = new RnnScratch(vocab.Count, hiddenSize: 32);

        var history = Recurrent.Train(net, batches, learningRate: 1, epochs: 30,
            sample: () => Recurrent.Predict("hel", 9, net, vocab, vocab.IndexOf));

        Assert.False(history.Diverged);
        Assert.True(history[0].Perplexity > 3, $"first perplexity {history[0].Perplexity}");
        Assert.True(history.Last.Perplexity < 1.5, $"last perplexity {history.Last.Perplexity}");
        Assert.True(history.Last.TokensPerSecond > 0);
        Assert.Equal("hello world ", history.Last.Sample);
    }

    [Fact]
    public void RandomSamplingResetsTheStateAndStillLearns()
    {
        var (batches, vocab) = Synthetic.Text(Text, batchSize: 4, steps: 10);
        var net = new RnnModel(vocab.Count, hiddenSize: 32);

        var first = Recurrent.TrainEpoch(net, batches, optim.SGD(net.parameters(), 1), randomSampling: true);
        for (var epoch = 2; epoch < 20; epoch++)
            Recurrent.TrainEpoch(net, batches, optim.SGD(net.parameters(), 1), randomSampling: true, epoch: epoch);
        var last = Recurrent.TrainEpoch(net, batches, optim.SGD(net.parameters(), 1), randomSampling: true);

        Assert.Equal(batches.Sum(b => b.X.numel()), last.Tokens);
        Assert.True(last.Perplexity < first.Perplexity / 2, $"perplexity {first.Perplexity} -> {last.Perplexity}");
    }

    [Fact]
    public void ClippingBoundsTheGlobalNormAndKeepsTheDirection()
    {
        var net = nn.Linear(4, 3);
        (net.call(ones(2, 4) * 100).square().sum()).backward();
        var before = Gradients(net);

        var norm = Recurrent.ClipGradients(net, maxNorm: 1);

        var after = Gradients(net);
        Assert.True(norm > 1, $"the test needs a large gradient, got norm {norm}");
        Assert.Equal(1.0, Math.Sqrt(after.Sum(g => g * g)), 4);
        for (var i = 0; i < before.Length; i++) Assert.Equal(before[i] / norm, after[i], 4);
    }

    [Fact]
    public void ClippingLeavesSmallGradientsAlone()
    {
        var net = nn.Linear(2, 1);
        (net.call(ones(1, 2) * 0.01).sum() * 0.01).backward();
        var before = Gradients(net);

        var norm = Recurrent.ClipGradients(net, maxNorm: 1);

        Assert.True(norm < 1);
        Assert.Equal(before, Gradients(net));
    }

    [Fact]
    public void PredictNeedsAPrefix()
    {
        var net = new RnnScratch(3, 4);
        var e = Assert.Throws<ArgumentException>(() => Recurrent.Predict("", 5, net, ["a", "b", "c"], _ => 0));
        Assert.Contains("prefix", e.Message);
    }

    static double[] Gradients(nn.Module net) =>
        net.parameters().SelectMany(p => p.grad!.data<float>().ToArray()).Select(v => (double)v).ToArray();
}
