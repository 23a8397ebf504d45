// Measures the Fashion-MNIST path of the course library against the goals of the [Data] issue:
// load from the cache ≤ 0.4 s, a shuffled epoch ≤ 1.5 × one index_select of the whole shuffled set,
// and loading twice without doubling the process's memory; and against the [Robust] issue: checking that the
// cached files are the originals adds ≤ 0.1 s to a first load.
using System.Diagnostics;
using System.Globalization;
using DlWorkbook;
using DlWorkbook.Data;
using DlWorkbook.Runtime;
using TorchSharp;
using static TorchSharp.torch;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const int Runs = 7;
const int BatchSize = 256;

TorchNative.EnsureLoaded();
var cache = DataCache.Default;
Console.WriteLine($"cache: {cache.Folder}  (mirror: {cache.Mirror ?? "none, downloads"})");
// First thing in a fresh process: the check every first load does (a stamp per file, or a hash where there is none).
var firstCheck = Time(() => FetchAll(cache));
Console.WriteLine($"torch threads: {get_num_threads()}, cores: {Environment.ProcessorCount}");
Console.WriteLine();

// The worst case: every file's time changed (copied cache, edited file), so each is hashed again once.
var hashCpu = new List<double>();
var hashAll = Median(Runs, () =>
{
    foreach (var file in DataManifest.FashionMnistFiles) File.SetLastWriteTimeUtc(cache.PathOf(file), DateTime.UtcNow);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var wall = Time(() => FetchAll(cache));
    hashCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    return wall;
});
var stampedAgain = Time(() => FetchAll(new DataCache(cache.Folder, cache.Mirror)));
Console.WriteLine("Checking that the four cached Fashion-MNIST files are the originals (31 MB)");
Console.WriteLine($"  first load of this process             {firstCheck:F4} s   (stamps valid: a stat and a stamp read per file)");
Console.WriteLine($"  files' times changed: hash all four    {hashAll:F4} s   goal <= 0.100 s  {Verdict(hashAll <= 0.1)}"
                  + $"   (CPU time {hashCpu.Order().ElementAt(Runs / 2):F4} s: on a busy machine the wall time is longer)");
Console.WriteLine($"  later loads in the same process        {stampedAgain:F4} s");
Console.WriteLine();

var cold = Time(() => Release(FashionMnist.Read(cache)));

// Memory first, before the timing runs leave the allocators warm.
var baseline = Memory.Now();
var (train, _) = FashionMnist.Load(cache);
var afterLoad = Memory.Now();
FashionMnist.Load(cache);
var afterSecondLoad = Memory.Now();
Release(FashionMnist.Read(cache));
var afterReadAndDispose = Memory.Now();
var privateCopy = FashionMnist.Read(cache);
var afterSecondRead = Memory.Now();
Release(privateCopy);
var afterRelease = Memory.Now();

var warm = Median(Runs, () => Time(() => Release(FashionMnist.Read(cache))));
Console.WriteLine("Load all of Fashion-MNIST from the cache into tensors (70,000 images + labels)");
Console.WriteLine($"  first run (cold, includes JIT)     {cold:F3} s");
Console.WriteLine($"  median of {Runs} warm runs            {warm:F3} s   goal <= 0.400 s  {Verdict(warm <= 0.4)}");
Console.WriteLine();

var loader = new TensorLoader(train.Images, train.Labels, BatchSize, shuffle: true);
Epoch(loader);
var epoch = Median(Runs, () => Time(() => Epoch(loader)));
Gather(train.Images);
var gather = Median(Runs, () => Time(() => Gather(train.Images)));
var dataLoader = Time(() => TorchSharpDataLoaderEpoch(train));
Console.WriteLine($"One shuffled training epoch, batches of {BatchSize} ({loader.Count} batches)");
Console.WriteLine($"  TensorLoader epoch (median)        {epoch:F4} s");
Console.WriteLine($"  single index_select of all 60,000  {gather:F4} s");
Console.WriteLine($"  ratio epoch / gather               {epoch / gather:F2}     goal <= 1.50  {Verdict(epoch / gather <= 1.5)}");
Console.WriteLine($"  for reference, TorchSharp DataLoader over a TensorDataset: {dataLoader:F3} s");
Console.WriteLine();

Console.WriteLine("Process memory (RSS = resident set; managed = GC heap)");
Console.WriteLine($"  before loading                         {baseline}");
Console.WriteLine($"  after Load() once                      {afterLoad}");
Console.WriteLine($"  after Load() twice (shared copy)       {afterSecondLoad}");
Console.WriteLine($"  after a private Read() and Dispose()   {afterReadAndDispose}");
Console.WriteLine($"  after a second private Read()          {afterSecondRead}");
Console.WriteLine($"  after disposing it                     {afterRelease}");
var loadCost = afterLoad.Rss - baseline.Rss;
var secondLoadCost = afterSecondLoad.Rss - afterLoad.Rss;
var leftAfterDispose = afterReadAndDispose.Rss - afterSecondLoad.Rss;
Console.WriteLine($"  first Load() added {loadCost / 1e6:F0} MB (the tensors hold 220 MB); second Load() added {secondLoadCost / 1e6:F0} MB; "
                  + $"a disposed Read() left {leftAfterDispose / 1e6:F0} MB  "
                  + Verdict(secondLoadCost < loadCost / 4 && leftAfterDispose < loadCost / 4));

static void FetchAll(DataCache cache)
{
    foreach (var file in DataManifest.FashionMnistFiles) cache.Fetch(file);
}

static void Release((ImageSet Train, ImageSet Test) sets)
{
    sets.Train.Dispose();
    sets.Test.Dispose();
}

static void Epoch(TensorLoader loader)
{
    foreach (var _ in loader) { }
}

static void Gather(Tensor images)
{
    using var order = randperm(images.shape[0]);
    using var all = images.index_select(0, order);
}

static void TorchSharpDataLoaderEpoch(ImageSet train)
{
    using var dataset = utils.data.TensorDataset(train.Images, train.Labels);
    using var loader = utils.data.DataLoader(dataset, BatchSize, shuffle: true, disposeDataset: false);
    foreach (var _ in loader) { }
}

static double Time(Action action)
{
    var clock = Stopwatch.StartNew();
    action();
    return clock.Elapsed.TotalSeconds;
}

static double Median(int runs, Func<double> measure)
{
    var times = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToList();
    return times[runs / 2];
}

static string Verdict(bool met) => met ? "[met]" : "[NOT met]";

readonly record struct Memory(long Rss, long Managed)
{
    public static Memory Now()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new Memory(Environment.WorkingSet, GC.GetGCMemoryInfo().HeapSizeBytes);
    }

    public override string ToString() => $"RSS {Rss / 1e6,5:F0} MB   managed {Managed / 1e6,5:F1} MB";
}
