using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Benchmarks;

/// <summary>
/// Candidate speed-ups for the convolutional notebooks (05 and 06), each against the way they train and evaluate
/// now: training with batches of 128 or 512 instead of 256, the channels-last memory layout, and for evaluation
/// <c>inference_mode</c> instead of <c>no_grad</c>, batches of 1,024 and channels-last. Every variant starts from the
/// same initial weights and runs once per round, round after round, so that all of them see the same machine load.
/// </summary>
internal static class ConvVariants
{
    /// <summary>One timed way to train or evaluate: its name and the examples it handles per second in one window.</summary>
    sealed record Variant(string Name, Func<double> ExamplesPerSecond)
    {
        public List<double> Speeds { get; } = [];
    }

    /// <summary>
    /// Prints each variant's best and median examples/s over <paramref name="rounds"/> rounds and its median speed-up
    /// against the first variant of its kind (training at batch 256, evaluation under no_grad at batch 256).
    /// </summary>
    public static void Compare(string name, Func<nn.Module<Tensor, Tensor>> build, Tensor images, Tensor labels, int rounds)
    {
        using var loss = nn.CrossEntropyLoss();
        var training = new[]
        {
            new Variant("train, batch 256", () => Train(build, images, labels, loss, 256, channelsLast: false)),
            new Variant("train, batch 128", () => Train(build, images, labels, loss, 128, channelsLast: false)),
            new Variant("train, batch 512", () => Train(build, images, labels, loss, 512, channelsLast: false)),
            new Variant("train, batch 256, channels-last", () => Train(build, images, labels, loss, 256, channelsLast: true)),
        };
        var evaluation = new[]
        {
            new Variant("evaluate, no_grad, batch 256", () => Evaluate(build, images, 256, inference: false, channelsLast: false)),
            new Variant("evaluate, inference_mode, batch 256", () => Evaluate(build, images, 256, inference: true, channelsLast: false)),
            new Variant("evaluate, no_grad, batch 1024", () => Evaluate(build, images, 1024, inference: false, channelsLast: false)),
            new Variant("evaluate, no_grad, batch 256, channels-last", () => Evaluate(build, images, 256, inference: false, channelsLast: true)),
        };
        foreach (var variant in training.Concat(evaluation)) variant.ExamplesPerSecond();   // warm-up: first-call costs
        for (var round = 0; round < rounds; round++)
            foreach (var variant in training.Concat(evaluation)) variant.Speeds.Add(variant.ExamplesPerSecond());
        Console.WriteLine($"{name}, {images.shape[0]:N0} examples per window, {rounds} rounds:");
        foreach (var kind in new[] { training, evaluation })
            foreach (var variant in kind)
            {
                var ratios = variant.Speeds.Zip(kind[0].Speeds, (v, b) => v / b).ToList();
                Console.WriteLine($"  {variant.Name,-46} best {variant.Speeds.Max(),8:N0}/s, median {Statistics.Median(variant.Speeds),8:N0}/s"
                                  + (variant == kind[0] ? "" : $", median of paired ratios {Statistics.Median(ratios):0.00}x"));
            }
    }

    static double Train(Func<nn.Module<Tensor, Tensor>> build, Tensor images, Tensor labels,
        nn.Module<Tensor, Tensor, Tensor> loss, int batchSize, bool channelsLast)
    {
        using var net = Prepared(build, channelsLast);
        net.train();
        using var sgd = optim.SGD(net.parameters(), 0.05);
        var watch = Stopwatch.StartNew();
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = TensorIndex.Slice(start, Math.Min(start + batchSize, images.shape[0]));
            var x = Layout(images[batch], channelsLast);
            sgd.zero_grad();
            loss.call(net.call(x), labels[batch]).backward();
            sgd.step();
        }
        return images.shape[0] / watch.Elapsed.TotalSeconds;
    }

    static double Evaluate(Func<nn.Module<Tensor, Tensor>> build, Tensor images, int batchSize, bool inference, bool channelsLast)
    {
        using var net = Prepared(build, channelsLast);
        net.eval();
        var watch = Stopwatch.StartNew();
        using (inference ? inference_mode() : no_grad())
        {
            for (long start = 0; start < images.shape[0]; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var x = Layout(images[TensorIndex.Slice(start, Math.Min(start + batchSize, images.shape[0]))], channelsLast);
                _ = net.call(x).argmax(1).sum().item<long>();   // reads every prediction back, as an accuracy would
            }
        }
        return images.shape[0] / watch.Elapsed.TotalSeconds;
    }

    /// <summary>A fresh network with the same initial weights every time, its 4-D weights in channels-last if asked.</summary>
    static nn.Module<Tensor, Tensor> Prepared(Func<nn.Module<Tensor, Tensor>> build, bool channelsLast)
    {
        Workbook.Seed(0);
        var net = build();
        if (channelsLast)
        {
            using var noGrad = no_grad();
            foreach (var weight in net.parameters().Where(p => p.dim() == 4)) weight.set_(ChannelsLast(weight));
        }
        return net;
    }

    static Tensor Layout(Tensor x, bool channelsLast) => channelsLast ? ChannelsLast(x) : x;

    /// <summary>
    /// The same [N, C, H, W] values stored channel by channel for each pixel (PyTorch's <c>channels_last</c>):
    /// TorchSharp 0.107 has no <c>memory_format</c> argument, so the strides are made by a permuted copy.
    /// </summary>
    static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
