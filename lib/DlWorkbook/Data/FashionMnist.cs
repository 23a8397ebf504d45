using DlWorkbook.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT licence): 70,000 grey 28×28 images of clothing in 10 classes,
/// 60,000 for training and 10,000 for testing. Counterpart of d2l's <c>load_data_fashion_mnist</c>,
/// <c>get_fashion_mnist_labels</c> and <c>show_images</c> over <c>torchvision.datasets.FashionMNIST</c>
/// (<c>FashionMnist.ShowImages</c> draws, so Display, the layer above, declares it as an extension member).
/// </summary>
public static class FashionMnist
{
    static readonly Lock Gate = new();
    static readonly Dictionary<string, (ImageSet Train, ImageSet Test)> Shared = [];

    /// <summary>The class names in label order, as d2l writes them (<c>get_fashion_mnist_labels</c>).</summary>
    public static IReadOnlyList<string> TextLabels { get; } =
        ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"];

    /// <summary>The class names of the given labels (any shape), d2l's <c>get_fashion_mnist_labels(labels)</c>.</summary>
    /// <exception cref="ArgumentException">A label is outside 0–9.</exception>
    public static IReadOnlyList<string> GetLabels(Tensor labels)
    {
        using var flat = labels.detach().cpu().to_type(ScalarType.Int64).flatten();
        return GetLabels(flat.data<long>().ToArray());
    }

    /// <summary>The class names of the given label values.</summary>
    /// <exception cref="ArgumentException">A label is outside 0–9.</exception>
    public static IReadOnlyList<string> GetLabels(params long[] labels) =>
        labels.Select(l => l is >= 0 and < 10
            ? TextLabels[(int)l]
            : throw new ArgumentException($"Fashion-MNIST labels are 0 to 9; got {l}.", nameof(labels))).ToList();

    /// <summary>
    /// The training and test sets, read once per process and cache folder and shared after that: calling it
    /// again (re-running a notebook cell) returns the same tensors and costs no memory. Counterpart of
    /// <c>torchvision.datasets.FashionMNIST(root, train=True/False, transform=ToTensor())</c>.
    /// </summary>
    /// <remarks>
    /// Do not dispose the shared sets; if they are disposed anyway, the next call reads the files again.
    /// Use <see cref="Read"/> for a private copy that you dispose yourself.
    /// </remarks>
    /// <param name="cache">Where the files are (fetched on first use); <see cref="DataCache.Default"/> when null.</param>
    /// <exception cref="DataSetException">A file could not be fetched or is damaged.</exception>
    public static (ImageSet Train, ImageSet Test) Load(DataCache? cache = null)
    {
        cache ??= DataCache.Default;
        lock (Gate)
        {
            if (Shared.TryGetValue(cache.Folder, out var sets))
            {
                if (!sets.Train.IsDisposed && !sets.Test.IsDisposed) return sets;
                sets.Train.Dispose();
                sets.Test.Dispose();
            }
            sets = Read(cache);
            Shared[cache.Folder] = sets;
            return sets;
        }
    }

    /// <summary>
    /// Reads the four files anew into a training set and a test set that the caller owns and disposes
    /// (their tensors belong to no dispose scope). Images are [N, 1, 28, 28] float32 in [0, 1], labels [N] int64.
    /// </summary>
    /// <exception cref="DataSetException">A file could not be fetched or is damaged.</exception>
    public static (ImageSet Train, ImageSet Test) Read(DataCache? cache = null)
    {
        TorchNative.EnsureLoaded();
        cache ??= DataCache.Default;
        var paths = DataManifest.FashionMnistFiles.ToDictionary(f => f, cache.Fetch);
        // The training images are 85% of the work; reading them on a second thread hides the rest behind them.
        var train = Task.Run(() => ReadSet(paths[DataManifest.FashionMnistTrainImages], paths[DataManifest.FashionMnistTrainLabels]));
        ImageSet test;
        try
        {
            test = ReadSet(paths[DataManifest.FashionMnistTestImages], paths[DataManifest.FashionMnistTestLabels]);
        }
        catch
        {
            train.ContinueWith(t => t.Result.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);
            throw;
        }
        try
        {
            return (train.GetAwaiter().GetResult(), test);
        }
        catch
        {
            test.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loaders over the shared sets (<see cref="Load"/>): the training loader reshuffles every epoch, the test
    /// loader keeps the file order. Counterpart of <c>d2l.load_data_fashion_mnist(batch_size, resize=None)</c>.
    /// In quick mode (<see cref="Workbook.QuickMode"/>) they cover only the first <see cref="QuickTrainCount"/> training
    /// and <see cref="QuickTestCount"/> test images, so a notebook runs the same code in seconds.
    /// </summary>
    /// <param name="batchSize">Images per batch.</param>
    /// <param name="resize">Side length to resize each batch to (bilinear), for models that want larger inputs such as 224 for AlexNet.
    /// The stored images stay 28×28; only the batches are resized.</param>
    /// <param name="generator">Random source for shuffling; TorchSharp's default generator (seeded by <c>Workbook.Seed</c>) when null.</param>
    /// <param name="cache">Where the files are; <see cref="DataCache.Default"/> when null.</param>
    /// <exception cref="DataSetException">A file could not be fetched or is damaged.</exception>
    public static (TensorLoader Train, TensorLoader Test) LoadData(int batchSize, int? resize = null, Generator? generator = null, DataCache? cache = null)
    {
        var (train, test) = Load(cache);
        var transform = resize is { } side ? Resize(side) : null;
        var (trainCount, testCount) = Workbook.Pick((train.Count, test.Count), (QuickTrainCount, QuickTestCount));
        var (trainX, trainY) = First(train, trainCount);
        var (testX, testY) = First(test, testCount);
        return (new TensorLoader(trainX, trainY, batchSize, shuffle: true, generator, transform),
                new TensorLoader(testX, testY, batchSize, shuffle: false, transform: transform));
    }

    /// <summary>Training images the loaders of <see cref="LoadData"/> cover in quick mode.</summary>
    internal const int QuickTrainCount = 6_000;

    /// <summary>Test images the loaders of <see cref="LoadData"/> cover in quick mode.</summary>
    internal const int QuickTestCount = 1_000;

    /// <summary>The first <paramref name="count"/> examples of a stored set (views, outside any dispose scope).</summary>
    static (Tensor Images, Tensor Labels) First(ImageSet set, long count) => count >= set.Count
        ? (set.Images, set.Labels)
        : (set.Images[..(int)count].DetachFromDisposeScope(), set.Labels[..(int)count].DetachFromDisposeScope());

    static Func<Tensor, Tensor> Resize(int side)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(side, "resize");
        return x => nn.functional.interpolate(x, size: [side, side], mode: InterpolationMode.Bilinear, align_corners: false);
    }

    static ImageSet ReadSet(string imagesPath, string labelsPath)
    {
        var set = ImageSet.ReadIdx(imagesPath, labelsPath);
        set.Images.DetachFromDisposeScope();
        set.Labels.DetachFromDisposeScope();
        return set;
    }
}
