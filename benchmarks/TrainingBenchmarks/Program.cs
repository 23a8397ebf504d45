using System.Diagnostics;
using System.Globalization;
using DlWorkbook;
using DlWorkbook.Benchmarks;
using DlWorkbook.Layers;
using DlWorkbook.Training;
using TorchSharp;
using static TorchSharp.torch;

// Fashion-MNIST-shaped random tensors: what is measured is the cost of the loops, not what they learn.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Workbook.Seed(0);
var quick = Workbook.QuickMode;
var trainSize = quick ? 6_000 : 60_000;
var testSize = trainSize / 6;
var (xTrain, yTrain) = (rand(trainSize, 1, 28, 28), randint(0, 10, [trainSize]));
var (xTest, yTest) = (rand(testSize, 1, 28, 28), randint(0, 10, [testSize]));
var train = new ShuffledBatches(xTrain, yTrain, 256);
var test = new ShuffledBatches(xTest, yTest, 256, shuffle: false);

Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, {get_num_threads()} threads, {Environment.ProcessorCount} cores");
Console.WriteLine($"data: {trainSize:N0} training and {testSize:N0} test examples [1, 28, 28], batch 256, SGD; one epoch = train + test accuracy");
Console.WriteLine();

// Arguments pick parts (softmax, lenet, mlp, conv, rnn); without any, everything runs.
bool Wanted(string part) => args.Length == 0 || args.Contains(part, StringComparer.OrdinalIgnoreCase);
if (Wanted("softmax"))
    Compare("softmax regression", () => nn.Sequential(nn.Flatten(), nn.Linear(784, 10)), lr: 0.1, rounds: quick ? 2 : 15);
if (Wanted("lenet")) Compare("LeNet", () => LeNet.Create(), lr: 0.9, rounds: quick ? 1 : 5);
if (Wanted("mlp"))
    Speed("MLP 784-256-10", () => nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)),
        lr: 0.1, epochs: quick ? 1 : 5);
if (Wanted("conv"))
{
    // Windows of 6,144 and 2,048 examples: about a second each on two cores.
    ConvVariants.Compare("LeNet", () => LeNet.Create(), xTrain[..6_144], yTrain[..6_144], rounds: quick ? 1 : 5);
    ConvVariants.Compare("ResNet of notebook 06 (width 16, one block per stage, batch norm)",
        () => ResNet.Small(width: 16, blocksPerStage: 1, poolStem: true), xTrain[..2_048], yTrain[..2_048], rounds: quick ? 1 : 5);
}
if (Wanted("rnn"))
{
    CharRnn("char RNN from scratch (RnnScratch)", vocab => new RnnScratch(vocab, 256));
    CharRnn("char RNN with nn.RNN (RnnModel)", vocab => new RnnModel(vocab, 256));
}

// Library loop and bare loop on the same architecture, alternating epochs so that both see the same machine load.
// Other work on a shared machine only ever adds time, so the best epoch of each is the fairest measure of the code;
// the median of the paired ratios is printed beside it.
void Compare(string name, Func<nn.Module<Tensor, Tensor>> build, double lr, int rounds)
{
    var (libraryNet, bareNet) = (build(), build());
    using var loss = nn.CrossEntropyLoss();
    using var librarySgd = optim.SGD(libraryNet.parameters(), lr);
    using var bareSgd = optim.SGD(bareNet.parameters(), lr);
    var library = new List<double>();
    var bare = new List<double>();
    var examplesPerSecond = new List<double>();
    BareLoop.Epoch(bareNet, train, test, loss, bareSgd); // warm-up: first-call costs in TorchSharp and libtorch
    Silently(() => Classification.Train(libraryNet, train, test, loss, librarySgd, epochs: 1));
    for (var round = 0; round < rounds; round++)
    {
        bare.Add(Time(() => BareLoop.Epoch(bareNet, train, test, loss, bareSgd)));
        library.Add(Time(() => examplesPerSecond.Add(
            Silently(() => Classification.Train(libraryNet, train, test, loss, librarySgd, epochs: 1)).Last.ExamplesPerSecond)));
    }
    var bestOverhead = (library.Min() / bare.Min() - 1) * 100;
    var pairedOverhead = (Statistics.Median(library.Zip(bare, (l, b) => l / b).ToList()) - 1) * 100;
    Console.WriteLine($"{name}: seconds per epoch (train + test accuracy), best of {rounds}: library {library.Min():F3}, bare {bare.Min():F3} "
                      + $"-> overhead {bestOverhead:+0.0;-0.0}% (median of paired epochs {pairedOverhead:+0.0;-0.0}%); "
                      + $"training speed {examplesPerSecond.Max():N0} examples/s (median {Statistics.Median(examplesPerSecond):N0})");
}

void Speed(string name, Func<nn.Module<Tensor, Tensor>> build, double lr, int epochs)
{
    var net = build();
    using var loss = nn.CrossEntropyLoss();
    using var sgd = optim.SGD(net.parameters(), lr);
    var history = Silently(() => Classification.Train(net, train, test, loss, sgd, epochs));
    var speeds = history.Select(e => e.ExamplesPerSecond).ToList();
    Console.WriteLine($"{name}: training speed {speeds.Max():N0} examples/s, best of {epochs} epochs (median {Statistics.Median(speeds):N0})");
}

// 10,000 characters over a 28-token vocabulary, batch 32, 35 steps, sequential batches as d2l's train_ch8 default.
void CharRnn(string name, Func<int, RecurrentModel> build)
{
    const int vocab = 28, batchSize = 32, steps = 35, length = 10_000;
    var corpus = randint(0, vocab, [length]);
    var perRow = (length - 1) / batchSize;
    var xs = corpus[..(perRow * batchSize)].reshape(batchSize, perRow);
    var ys = corpus[1..(perRow * batchSize + 1)].reshape(batchSize, perRow);
    var batches = Enumerable.Range(0, perRow / steps)
        .Select(i => (xs[.., (i * steps)..((i + 1) * steps)].clone(), ys[.., (i * steps)..((i + 1) * steps)].clone()))
        .ToList();
    var net = build(vocab);
    var epochs = quick ? 2 : 6;
    using var sgd = optim.SGD(net.parameters(), 1);
    var history = Silently(() => Recurrent.Train(net, batches, sgd, epochs));
    var speeds = history.Skip(1).Select(e => e.TokensPerSecond).ToList();
    Console.WriteLine($"{name}, hidden 256: {speeds.Max():N0} tokens/s, best of {speeds.Count} epochs after the first "
                      + $"(median {Statistics.Median(speeds):N0}; {batches.Count * batchSize * steps:N0} tokens per epoch)");
}

static double Time(Action run)
{
    var watch = Stopwatch.StartNew();
    run();
    return watch.Elapsed.TotalSeconds;
}

// The library prints one line per epoch outside a notebook; the benchmark keeps that cost but not the clutter.
static T Silently<T>(Func<T> run)
{
    var console = Console.Out;
    Console.SetOut(new StringWriter());
    try { return run(); }
    finally { Console.SetOut(console); }
}
