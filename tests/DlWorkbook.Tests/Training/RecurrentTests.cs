using DlWorkbook.Layers;
using DlWorkbook.Training;
using TorchSharp;
using TorchSharp.Modules;
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

        var history = Recurrent.Train(net, batches, optim.SGD(net.parameters(), 1), epochs: 30, sample: () => Recurrent.Predict("hel", 9, net, vocab));

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

    [Theory]
    [InlineData(false, new float[] { 0, 1, 2, 3 })]
    [InlineData(true, new float[] { 0, 0, 0, 0 })]
    public void SequentialBatchesCarryTheDetachedStateAndRandomOnesStartAfresh(bool randomSampling, float[] expected)
    {
        var (batches, vocab) = Synthetic.Text(Text, batchSize: 2, steps: 5);
        var probe = new StateProbe(vocab.Count);

        Recurrent.TrainEpoch(probe, batches.Take(4), optim.SGD(probe.parameters(), 0), randomSampling);

        Assert.Equal(expected, probe.Received);
        Assert.All(probe.ReceivedGradient, Assert.False); // detached: gradients stop at the batch boundary
    }

    [Fact]
    public void TheLoopClipsEveryGradientToTheGivenNormBeforeTheStep()
    {
        var (batches, vocab) = Synthetic.Text(Text, batchSize: 4, steps: 10);
        var net = new RnnScratch(vocab.Count, hiddenSize: 16);
        var norms = new List<double>();
        var measure = Updater.Custom(() => norms.Add(Math.Sqrt(net.parameters().Sum(p => p.grad!.square().sum().item<float>()))));

        Recurrent.TrainEpoch(net, batches, measure, clipNorm: 0.01);

        Assert.All(norms, n => Assert.InRange(n, 0, 0.01 + 1e-6));
        Assert.Contains(norms, n => n > 0.0099); // the unclipped norms are larger, so clipping brought them to the bound
    }

    [Fact]
    public void ADivergingPerplexityStopsTrainingAndSaysWhatToChange()
    {
        var (batches, vocab) = Synthetic.Text(Text, batchSize: 4, steps: 10);
        var net = new RnnScratch(vocab.Count, hiddenSize: 32);

        var history = Recurrent.Train(net, batches, optim.SGD(net.parameters(), 1e4), epochs: 10);

        Assert.True(history.Diverged);
        Assert.True(history.Count < 10);
        Assert.All(history, e => Assert.InRange(e.Perplexity, 1, 100 * vocab.Count));
        Assert.Matches($"^Training diverged in epoch {history.Divergence!.Epoch}: the perplexity reached ([0-9.E+]+|infinity), ",
            history.Divergence.Message);
        Assert.Contains($"far above the {vocab.Count} of guessing uniformly among the {vocab.Count} tokens", history.Divergence.Message);
        Assert.Contains("the learning rate 1E+04 is too large; try a smaller one, such as 1000", history.Divergence.Message);
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
    public void ClippingCatchesANormJustAboveTheBound()
    {
        var net = nn.Linear(1, 1, hasBias: false);
        net.call(ones(1, 1)).mul(1.5).sum().backward(); // gradient of the weight: exactly 1.5

        var norm = Recurrent.ClipGradients(net, maxNorm: 1);

        Assert.Equal(1.5, norm, 6);
        Assert.Equal(1.0, net.weight!.grad!.item<float>(), 6);
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
        var (_, vocab) = Synthetic.Text("abc", batchSize: 1, steps: 1);
        var e = Assert.Throws<ArgumentException>(() => Recurrent.Predict("", 5, new RnnScratch(vocab.Count, 4), vocab));
        Assert.Contains("prefix", e.Message);
    }

    static double[] Gradients(nn.Module net) =>
        net.parameters().SelectMany(p => p.grad!.data<float>().ToArray()).Select(v => (double)v).ToArray();

    /// <summary>A model whose state counts the batches it passed through, recording the state each batch starts from.</summary>
    sealed class StateProbe : RecurrentModel
    {
        readonly Parameter scale = new(ones(1));

        public StateProbe(int vocabSize) : base(nameof(StateProbe), vocabSize) => RegisterComponents();

        public List<float> Received { get; } = [];

        public List<bool> ReceivedGradient { get; } = [];

        public override Tensor BeginState(long batchSize, Device device) => zeros(batchSize, 1, device: device);

        public override (Tensor Output, Tensor State) forward(Tensor x, Tensor state)
        {
            Received.Add(state[0, 0].item<float>());
            ReceivedGradient.Add(state.requires_grad);
            return (OneHotTimeFirst(x).reshape(-1, VocabSize) * scale, state + scale);
        }
    }
}
