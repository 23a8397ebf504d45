using DlWorkbook.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Benchmarks;

/// <summary>
/// One training step of a workbook model in a bare loop (forward, loss, backward, SGD step, the loss read back as
/// the training loops do), on random data of the notebooks' shapes: what is measured is libtorch's speed, not
/// what the model learns.
/// </summary>
/// <param name="Key">Short name for the command line.</param>
/// <param name="Name">Name in the table.</param>
/// <param name="Unit">What one step processes: examples (images) or tokens.</param>
/// <param name="ItemsPerStep">Examples or tokens per step.</param>
/// <param name="Build">Builds the model, optimizer and data; returns one training step.</param>
internal sealed record Workload(string Key, string Name, string Unit, int ItemsPerStep, Func<Action> Build)
{
    const int ImageBatch = 256, TextBatch = 32, Steps = 35, Vocab = 28, Hidden = 256;

    public static IReadOnlyList<Workload> All { get; } =
    [
        Images("softmax", "softmax regression", () => nn.Sequential(nn.Flatten(), nn.Linear(784, 10)), lr: 0.1),
        Images("mlp", "MLP 784-256-10", () => nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)), lr: 0.1),
        Images("lenet", "LeNet (sigmoid, avg-pool)", () => LeNet.Create(), lr: 0.9),
        Images("lenet-relu", "LeNet (ReLU, max-pool)", ModernLeNet, lr: 0.05),
        Images("resnet", "ResNet stage", ResNetStage, lr: 0.05),
        Text("rnn-scratch", "char RNN from scratch", () => new RnnScratch(Vocab, Hidden)),
        Text("rnn", "char RNN with nn.RNN", () => new RnnModel(Vocab, Hidden)),
    ];

    // Notebook 05's LeNet with ReLU and max pooling.
    static nn.Module<Tensor, Tensor> ModernLeNet() => nn.Sequential(
        nn.Conv2d(1, 6, kernel_size: 5, padding: 2), nn.ReLU(), nn.MaxPool2d(kernel_size: 2, stride: 2),
        nn.Conv2d(6, 16, kernel_size: 5), nn.ReLU(), nn.MaxPool2d(kernel_size: 2, stride: 2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10));

    // Notebook 06's network up to its second stage: the stem (3x3 conv to 16 channels, batch norm, ReLU, max pooling,
    // 28x28 -> 14x14), then one stage of one Residual block from 16 to 32 channels with the 1x1 conv and stride 2
    // (14x14 -> 7x7), then global average pooling and the classifier.
    static nn.Module<Tensor, Tensor> ResNetStage() => nn.Sequential(
        nn.Conv2d(1, 16, kernel_size: 3, padding: 1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1),
        ResNet.Stage(16, 32, residuals: 1),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10));

    // Batch 256 of [1, 28, 28] images, SGD; four different batches in turn.
    static Workload Images(string key, string name, Func<nn.Module<Tensor, Tensor>> build, double lr) =>
        new(key, name, "examples/s", ImageBatch, () =>
        {
            var net = build();
            var loss = nn.CrossEntropyLoss();
            var sgd = optim.SGD(net.parameters(), lr);
            var batches = Enumerable.Range(0, 4).Select(_ => (X: rand(ImageBatch, 1, 28, 28), Y: randint(0, 10, [ImageBatch]))).ToArray();
            var next = 0;
            return () =>
            {
                using var scope = NewDisposeScope();
                var (x, y) = batches[next++ % batches.Length];
                var l = loss.call(net.call(x), y);
                sgd.zero_grad();
                l.backward();
                sgd.step();
                l.item<float>();
            };
        });

    // d2l's character RNN: batch 32 x 35 steps over a 28-token vocabulary, hidden 256, sequential batches (the state
    // carries over, detached), gradients clipped to norm 1, SGD with learning rate 1.
    static Workload Text(string key, string name, Func<RecurrentModel> build) =>
        new(key, name, "tokens/s", TextBatch * Steps, () =>
        {
            var net = build();
            var loss = nn.CrossEntropyLoss();
            var sgd = optim.SGD(net.parameters(), 1);
            var batches = Enumerable.Range(0, 4).Select(_ => (X: randint(0, Vocab, [TextBatch, Steps]), Y: randint(0, Vocab, [TextBatch, Steps]))).ToArray();
            var state = net.BeginState(TextBatch, CPU);
            var next = 0;
            return () =>
            {
                using var scope = NewDisposeScope();
                var (x, y) = batches[next++ % batches.Length];
                var (output, newState) = net.call(x, state.detach());
                var l = loss.call(output, y.T.reshape(-1));
                sgd.zero_grad();
                l.backward();
                nn.utils.clip_grad_norm_(net.parameters(), 1);
                sgd.step();
                l.item<float>();
                state.Dispose();
                state = newState.detach().MoveToOuterDisposeScope();
            };
        });
}
