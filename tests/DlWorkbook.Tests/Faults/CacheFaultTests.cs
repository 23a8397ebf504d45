using System.Security.Cryptography;
using System.Text;
using DlWorkbook.Data;
using DlWorkbook.Runtime;
using DlWorkbook.Tests.Data;

namespace DlWorkbook.Tests.Faults;

/// <summary>Damaged, edited, missing and contended files in the cache and the mirror, on the real data files.</summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public sealed class CacheFaultTests : IDisposable
{
    readonly TempFolder cacheFolder = new();
    readonly DataCache cache;

    public CacheFaultTests() => cache = new DataCache(cacheFolder.Path, TestData.Mirror);

    public void Dispose() => cacheFolder.Dispose();

    [Fact]
    public void ACachedFileEditedInPlaceWithTheSameSizeIsFetchedAgainWithANote()
    {
        var path = cache.Fetch(DataManifest.FishCsv);
        var original = File.ReadAllBytes(path);
        var edited = original.ToArray();
        edited[original.AsSpan().IndexOf("Bream,242,"u8) + 8] = (byte)'3';   // 242 → 243, same size
        File.WriteAllBytes(path, edited);
        Assert.Equal(original.Length, new FileInfo(path).Length);

        var output = CaptureOut(() => Assert.Equal(242.0, FishMarket.Load(cache).GetColumn<double>("Weight")[0]));

        Assert.Contains($"the cached Fish market file {path} is not the original", output);
        Assert.Equal(original, File.ReadAllBytes(path));
    }

    [Fact]
    public void ACachedFileReplacedByOneOfAnotherSizeIsKeptAsideWithANote()
    {
        var path = cache.Fetch(DataManifest.FishCsv);
        const string own = "Species,Weight\nBream,1\n";   // a learner's own data saved over the cached copy
        File.WriteAllText(path, own);

        var output = CaptureOut(() => Assert.Equal(242.0, FishMarket.Load(cache).GetColumn<double>("Weight")[0]));

        Assert.Equal($"Note: the cached Fish market file {path} is not the original (23 bytes, expected 6,022): it was edited, "
                     + "replaced or damaged, so it is kept as Fish.csv.changed and a fresh copy is fetched." + Environment.NewLine, output);
        Assert.Equal(own, File.ReadAllText(path + ".changed"));
        Assert.Equal(DataManifest.FishCsv.Sha256, Sha256(path));
    }

    [Fact]
    public void AnEditInPlaceThatKeepsTheModificationTimeIsNoticed()
    {
        var path = cache.Fetch(DataManifest.FishCsv);
        var written = File.GetLastWriteTimeUtc(path);
        var edited = File.ReadAllBytes(path);
        edited[edited.AsSpan().IndexOf("Bream,242,"u8) + 8] = (byte)'3';   // 242 → 243, same size
        File.WriteAllBytes(path, edited);
        File.SetLastWriteTimeUtc(path, written);                            // as `touch -r` or an editor that keeps the time

        var output = CaptureOut(() => Assert.Equal(242.0, FishMarket.Load(cache).GetColumn<double>("Weight")[0]));

        Assert.StartsWith($"Note: the cached Fish market file {path} is not the original (the same size, but its SHA-256 is "
                          + Convert.ToHexStringLower(SHA256.HashData(edited)) + $", expected {DataManifest.FishCsv.Sha256})", output);
        Assert.Equal(edited, File.ReadAllBytes(path + ".changed"));
    }

    [Fact]
    public void OnlyTheImageArchivesAreLargeEnoughToTrustTheirStamp()
    {
        // The rule above costs a hash of the small files at every load: 0.2 MB in all.
        var small = DataManifest.All.Where(f => f.Size < DataCache.AlwaysHashedBelow).ToList();
        Assert.Equal([DataManifest.FashionMnistTestImages, DataManifest.FashionMnistTrainImages],
            DataManifest.All.Except(small).OrderBy(f => f.Size));
        Assert.InRange(small.Sum(f => f.Size), 200_000, 250_000);
    }

    [Fact]
    public void AnEditedCachedFileWithoutAStampIsFoundByItsHash()
    {
        // A cache filled before stamps existed, or a stamp deleted: the first load hashes the file.
        var path = cache.Fetch(DataManifest.TimeMachine);
        File.Delete(path + ".verified");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace("The Time Machine", "The Time Mach1ne"));

        var output = CaptureOut(() => Assert.Equal("the time machine by h g wells", TimeMachine.ReadLines(cache)[0]));

        Assert.Contains("is not the original", output);
        Assert.True(File.Exists(path + ".verified"));
    }

    [Fact]
    public void AnIntactCachedFileIsNeitherCopiedNorHashedAgain()
    {
        var path = cache.Fetch(DataManifest.FishCsv);
        var written = File.GetLastWriteTimeUtc(path);

        var output = CaptureOut(() => new DataCache(cacheFolder.Path, TestData.Mirror).Fetch(DataManifest.FishCsv));

        Assert.Equal("", output);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.True(cache.Contains(DataManifest.FishCsv));
    }

    [Fact]
    public void ATruncatedCachedFileIsFetchedAgain()
    {
        var path = cache.Fetch(DataManifest.FashionMnistTestLabels);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);

        Assert.False(cache.Contains(DataManifest.FashionMnistTestLabels));
        Assert.Equal(DataManifest.FashionMnistTestLabels.Sha256, Sha256(cache.Fetch(DataManifest.FashionMnistTestLabels)));
    }

    [Fact]
    public void ACorruptCachedFileOfTheRightSizeIsFetchedAgain()
    {
        var path = cache.Fetch(DataManifest.FashionMnistTestLabels);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(path, bytes);

        CaptureOut(() => Assert.Equal(DataManifest.FashionMnistTestLabels.Sha256, Sha256(cache.Fetch(DataManifest.FashionMnistTestLabels))));
    }

    [Fact]
    public void ATruncatedOrCorruptFileInTheMirrorIsRefusedAndNothingIsKept()
    {
        using var mirror = new TempFolder();
        var good = File.ReadAllBytes(Path.Combine(TestData.Mirror, "Fish.csv"));
        File.WriteAllBytes(mirror.File("Fish.csv"), good[..3000]);

        var truncated = Assert.Throws<DataSetException>(() => new DataCache(cacheFolder.Path, mirror.Path).Fetch(DataManifest.FishCsv));
        Assert.Contains("(3,000 bytes), expected", truncated.Message);
        Assert.Contains($"Replace {mirror.File("Fish.csv")} with the original", truncated.Message);

        good[100] = (byte)'#';
        File.WriteAllBytes(mirror.File("Fish.csv"), good);
        var corrupt = Assert.Throws<DataSetException>(() => new DataCache(cacheFolder.Path, mirror.Path).Fetch(DataManifest.FishCsv));
        Assert.Contains("is not the expected file", corrupt.Message);
        Assert.Empty(cacheFolder.Files());
    }

    [Fact]
    public void AWrongMirrorPathSaysWhereItLookedAndWhatToDo()
    {
        var wrong = Path.Combine(cacheFolder.Path, "no-such-mirror");

        var e = Assert.Throws<DataSetException>(() => new DataCache(cacheFolder.Path, wrong).Fetch(DataManifest.FishCsv));

        Assert.Contains($"{CacheFolder.MirrorVariable} is set to {wrong}", e.Message);
        Assert.Contains($"unset {CacheFolder.MirrorVariable} to download it", e.Message);
    }

    [Fact]
    public void ConcurrentFirstRunsIntoOneCacheAllGetTheWholeFile()
    {
        var files = new[] { DataManifest.FashionMnistTestImages, DataManifest.FishCsv, DataManifest.TimeMachine };
        var paths = Enumerable.Range(0, 6).AsParallel().WithDegreeOfParallelism(6)
            .SelectMany(_ => files.Select(f => new DataCache(cacheFolder.Path, TestData.Mirror).Fetch(f))).ToList();

        Assert.All(files, f => Assert.Equal(f.Sha256, Sha256(cache.PathOf(f))));
        Assert.Equal(3, paths.Distinct().Count());
        Assert.DoesNotContain(cacheFolder.Files(), f => f.EndsWith(".part"));
    }

    [Fact]
    public void AnUnwritableCacheFolderIsNamedWithTheWayToChooseAnother()
    {
        // Linux's /sys takes no new folders, not even from root (the tests run as root in CI).
        var e = Assert.Throws<DataSetException>(() => new DataCache("/sys/dlworkbook-cache", TestData.Mirror).Fetch(DataManifest.FishCsv));

        Assert.StartsWith("Cannot write to the data cache folder /sys/dlworkbook-cache (", e.Message);
        Assert.Contains(CacheFolder.DataVariable, e.Message);
        Assert.Contains("new DataCache(", e.Message);
    }

    [Fact]
    public void UnfinishedDownloadsOfAKilledRunAreRemovedButLiveOnesAreNot()
    {
        var folder = Path.GetDirectoryName(cache.PathOf(DataManifest.FashionMnistTestImages))!;
        Directory.CreateDirectory(folder);
        var killed = Part(folder, age: TimeSpan.FromMinutes(10));
        var recent = Part(folder, age: TimeSpan.Zero);
        var open = Part(folder, age: TimeSpan.FromMinutes(10));
        using (new FileStream(open, FileMode.Open, FileAccess.Write, FileShare.None))
            cache.Fetch(DataManifest.FashionMnistTestImages);

        Assert.False(File.Exists(killed));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(open));
    }

    static string Part(string folder, TimeSpan age)
    {
        var path = Path.Combine(folder, $"t10k-images-idx3-ubyte.gz.{Guid.NewGuid():N}.part");
        File.WriteAllBytes(path, new byte[100_000]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    internal static string CaptureOut(Action action)
    {
        var saved = Console.Out;
        var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            action();
        }
        finally
        {
            Console.SetOut(saved);
        }
        return writer.ToString();
    }
}
