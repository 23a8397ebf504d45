using System.Diagnostics;
using System.Text.Json;
using DlWorkbook.Runtime;
using TorchSharp;

namespace DlWorkbook.Benchmarks;

/// <summary>
/// The measuring process: loads libtorch under the environment the driver gave it, then times each workload in
/// windows of about <see cref="Options.WindowSeconds"/> after a warm-up, and prints one JSON line per workload.
/// A window during which other programs used more than <see cref="Options.CleanForeignCores"/> of a core does not
/// count; it keeps measuring until it has <see cref="Options.Windows"/> clean windows or has tried three times as many.
/// </summary>
internal static class Child
{
    public static int Run(Options options, Candidate candidate)
    {
        Workbook.Seed(0); // loads the natives through the library, as a notebook or a learner's program does
        if (candidate.Threads is { } threads) torch.set_num_threads(threads);
        var probe = new CpuLoad([Environment.ProcessId, .. options.BusyPids]);
        foreach (var workload in Workload.All.Where(w => options.Models.Contains(w.Key)))
        {
            var step = workload.Build();
            // Where the workbook decides the thread count, it does so before every epoch; here a window stands for one.
            ThreadSettings.AdaptToLoad();
            var perWindow = WarmUp(step, options.WindowSeconds);
            var windows = new List<WindowResult>();
            for (var tries = 0; tries < 3 * options.Windows && windows.Count(w => w.Clean) < options.Windows; tries++)
            {
                ThreadSettings.AdaptToLoad();
                var before = probe.Take();
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < perWindow; i++) step();
                var seconds = watch.Elapsed.TotalSeconds;
                var foreign = CpuLoad.ForeignCores(before, probe.Take());
                windows.Add(new(perWindow * workload.ItemsPerStep / seconds, foreign, foreign is null || foreign <= options.CleanForeignCores));
            }
            var clean = windows.Count(w => w.Clean);
            var counted = clean > 0 ? windows.Where(w => w.Clean).ToList() : windows;
            var result = new ChildResult(
                candidate.Key, options.Busy, workload.Key, workload.Unit,
                Median(counted.Select(w => w.Speed)), clean, windows.Count,
                windows.Select(w => w.ForeignCores).OfType<double>().DefaultIfEmpty(double.NaN).Max(),
                counted.Select(w => w.ForeignCores).OfType<double>().DefaultIfEmpty(double.NaN).Average(),
                torch.get_num_threads(), ThreadSettings.NativeValue("OMP_WAIT_POLICY"), ThreadSettings.NativeValue("GOMP_SPINCOUNT"),
                ThreadSettings.NativeValue("OMP_NUM_THREADS"));
            Console.WriteLine(JsonSerializer.Serialize(result, ChildResult.Json));
        }
        return 0;
    }

    // Runs steps for about a second (at least three), then returns how many steps fill one window at the speed of the last ones.
    static int WarmUp(Action step, double windowSeconds)
    {
        var watch = Stopwatch.StartNew();
        var times = new List<double>();
        while (times.Count < 3 || watch.Elapsed.TotalSeconds < Math.Min(1, 2 * windowSeconds))
        {
            var t = Stopwatch.StartNew();
            step();
            times.Add(t.Elapsed.TotalSeconds);
        }
        var recent = Median(times.TakeLast(Math.Max(3, times.Count / 2)));
        return Math.Max(1, (int)Math.Round(windowSeconds / recent));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return double.NaN;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    readonly record struct WindowResult(double Speed, double? ForeignCores, bool Clean);
}

/// <summary>One workload measured under one setting and load: the JSON line a child prints.</summary>
/// <param name="Setting">The candidate's key.</param>
/// <param name="Busy">Busy processes beside it.</param>
/// <param name="Model">The workload's key.</param>
/// <param name="Unit">examples/s or tokens/s.</param>
/// <param name="Speed">Median over the clean windows (over all windows when none was clean).</param>
/// <param name="CleanWindows">Windows with little foreign load.</param>
/// <param name="Windows">Windows measured.</param>
/// <param name="MaxForeignCores">Highest foreign load in any window, in cores.</param>
/// <param name="ForeignCores">Mean foreign load over the windows the speed comes from, in cores.</param>
/// <param name="Threads">torch.get_num_threads() in the child.</param>
/// <param name="WaitPolicy">OMP_WAIT_POLICY in the child's native environment.</param>
/// <param name="SpinCount">GOMP_SPINCOUNT in the child's native environment.</param>
/// <param name="OmpThreads">OMP_NUM_THREADS in the child's native environment.</param>
internal sealed record ChildResult(
    string Setting, int Busy, string Model, string Unit, double Speed, int CleanWindows, int Windows,
    double MaxForeignCores, double ForeignCores, int Threads, string? WaitPolicy, string? SpinCount, string? OmpThreads)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
