namespace DlWorkbook.Data;

/// <summary>
/// Every file the workbook downloads, with its upstream addresses, size and SHA-256
/// (the same values as the SHA256SUMS file of a data mirror, README "Data"). Counterpart of d2l's <c>DATA_HUB</c> dictionary.
/// </summary>
public static class DataManifest
{
    const string FashionMnistS3 = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    const string FashionMnistGitHub = "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/";

    /// <summary>Fish market (Kaggle, Aung Pyae; CC BY 4.0): 159 fish, species and six measurements.</summary>
    internal static readonly DataFile FishCsv = new(
        "Fish market", "Fish.csv", 6_022,
        "8dada2c9e9af1034667670120f6782fa9500320cc85461095554ac7e3aabbe0e",
        ["https://raw.githubusercontent.com/ahmedfgad/NumPyANN/master/Fish.csv"]);

    /// <summary>H. G. Wells, <i>The Time Machine</i>, as d2l serves it (<c>DATA_HUB['time_machine']</c>).</summary>
    public static readonly DataFile TimeMachine = new(
        "The Time Machine", "timemachine.txt", 178_979,
        "8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516",
        ["http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt"]);

    /// <summary>Fashion-MNIST training images (60,000 × 28 × 28, gzip'd IDX3), the files torchvision downloads.</summary>
    internal static readonly DataFile FashionMnistTrainImages = FashionMnist(
        "train-images-idx3-ubyte.gz", 26_421_880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84");

    /// <summary>Fashion-MNIST training labels (60,000 bytes 0–9, gzip'd IDX1).</summary>
    internal static readonly DataFile FashionMnistTrainLabels = FashionMnist(
        "train-labels-idx1-ubyte.gz", 29_515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845");

    /// <summary>Fashion-MNIST test images (10,000 × 28 × 28, gzip'd IDX3).</summary>
    internal static readonly DataFile FashionMnistTestImages = FashionMnist(
        "t10k-images-idx3-ubyte.gz", 4_422_102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073");

    /// <summary>Fashion-MNIST test labels (10,000 bytes 0–9, gzip'd IDX1).</summary>
    internal static readonly DataFile FashionMnistTestLabels = FashionMnist(
        "t10k-labels-idx1-ubyte.gz", 5_148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5");

    /// <summary>The four Fashion-MNIST files.</summary>
    public static IReadOnlyList<DataFile> FashionMnistFiles { get; } =
        [FashionMnistTrainImages, FashionMnistTrainLabels, FashionMnistTestImages, FashionMnistTestLabels];

    /// <summary>All files above, in a fixed order.</summary>
    public static IReadOnlyList<DataFile> All { get; } = [FishCsv, TimeMachine, .. FashionMnistFiles];

    static DataFile FashionMnist(string name, long size, string sha256) =>
        new("Fashion-MNIST", "fashion-mnist/" + name, size, sha256, [FashionMnistS3 + name, FashionMnistGitHub + name]);
}
