using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using TorchSharp;

namespace DlWorkbook.Benchmarks;

/// <summary>
/// Starts the busy processes for each load and one child process per (setting, load), waits for a quiet machine
/// before each child (other people's builds and notebooks would make the numbers worthless), reruns a child whose
/// windows were disturbed, and prints the table.
/// </summary>
internal static class Driver
{
    const int Attempts = 3;

    public static int Run(Options options)
    {
        var started = Stopwatch.StartNew();
        var output = options.Output ?? Path.Combine("out", "thread-benchmarks.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, {Environment.ProcessorCount} cores, "
                          + $"{(CpuLoad.Available ? "foreign load from /proc" : "foreign load unknown on this system")}");
        Console.WriteLine($"settings {string.Join(", ", options.Settings)}; busy processes {string.Join(", ", options.Loads)}; "
                          + $"median of {options.Windows} windows of {options.WindowSeconds} s after a warm-up; "
                          + $"a window counts when others used <= {options.CleanForeignCores} cores");
        var results = new List<ChildResult>();
        foreach (var busy in options.Loads)
        {
            var spinners = Enumerable.Range(0, busy).Select(_ => StartSelf(["--spin", "--parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)], null)).ToList();
            try
            {
                var ownPids = spinners.Select(s => s.Id).Append(Environment.ProcessId).ToList();
                foreach (var setting in options.Settings)
                    results.AddRange(Measure(options, Candidate.Find(setting), busy, ownPids));
            }
            finally
            {
                foreach (var spinner in spinners) Stop(spinner);
            }
        }
        File.WriteAllLines(output, results.Select(r => JsonSerializer.Serialize(r, ChildResult.Json)));
        var table = Table.Markdown(results, options);
        File.WriteAllText(Path.ChangeExtension(output, ".md"), table);
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine($"results: {output} and {Path.ChangeExtension(output, ".md")}; {started.Elapsed.TotalMinutes:F1} minutes");
        return 0;
    }

    static IReadOnlyList<ChildResult> Measure(Options options, Candidate candidate, int busy, IReadOnlyList<int> ownPids)
    {
        var probe = new CpuLoad(ownPids);
        IReadOnlyList<ChildResult> results = [];
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var quiet = WaitForQuiet(options, probe);
            Log($"{candidate.Key}, {busy} busy (attempt {attempt}; foreign load before {Cores(quiet)})");
            results = RunChild(options, candidate, busy, ownPids.Where(p => p != Environment.ProcessId));
            foreach (var r in results)
                Log($"  {r.Model,-12} {Table.Speed(r.Speed),8} {r.Unit,-10} clean windows {r.CleanWindows}/{r.Windows}, "
                    + $"foreign load {Cores(r.ForeignCores)} (max {Cores(r.MaxForeignCores)}); threads {r.Threads}");
            if (results.All(r => r.CleanWindows >= Math.Max(1, options.Windows / 2 + 1))) return results;
            Log($"  disturbed by other programs ({string.Join("; ", probe.TopForeign(1))}); measuring this setting again");
        }
        Log($"  still disturbed after {Attempts} attempts: keeping the last numbers, marked in the table");
        return results;
    }

    // Samples two seconds at a time until other programs use at most the clean threshold, for at most MaxWaitSeconds.
    static double? WaitForQuiet(Options options, CpuLoad probe)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var before = probe.Take();
            Thread.Sleep(2000);
            var foreign = CpuLoad.ForeignCores(before, probe.Take());
            if (foreign is null || foreign <= options.CleanForeignCores) return foreign;
            if (waited.Elapsed.TotalSeconds >= options.MaxWaitSeconds)
            {
                Log($"machine still busy after {waited.Elapsed.TotalSeconds:F0} s ({Cores(foreign)}): measuring anyway");
                return foreign;
            }
            Log($"waiting: other programs use {Cores(foreign)} ({string.Join("; ", probe.TopForeign(1))})");
            Thread.Sleep(8000);
        }
    }

    static IReadOnlyList<ChildResult> RunChild(Options options, Candidate candidate, int busy, IEnumerable<int> busyPids)
    {
        using var child = StartSelf(options.ChildArguments(candidate.Key, busy, busyPids), candidate.Environment, redirect: true);
        var stderr = child.StandardError.ReadToEndAsync();
        var results = new List<ChildResult>();
        while (child.StandardOutput.ReadLine() is { } line)
            if (line.StartsWith('{')) results.Add(JsonSerializer.Deserialize<ChildResult>(line, ChildResult.Json)!);
        child.WaitForExit();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"The child for {candidate.Key}, {busy} busy, exited with {child.ExitCode}:\n{stderr.Result}");
        return results;
    }

    static Process StartSelf(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, bool redirect = false)
    {
        var (file, prefix) = SelfCommand();
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = redirect, RedirectStandardError = redirect };
        foreach (var a in prefix.Concat(arguments)) info.ArgumentList.Add(a);
        // The child starts from this process's environment without the variables the settings are about, so that
        // only the candidate's own values reach libgomp.
        foreach (var name in new[] { "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS", Runtime.ThreadSettings.WorkbookVariable })
            info.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
    }

    // The apphost when there is one, else `dotnet ThreadBenchmarks.dll`.
    static (string File, string[] Prefix) SelfCommand()
    {
        var process = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (process, [Assembly.GetEntryAssembly()!.Location])
            : (process, []);
    }

    static void Stop(Process process)
    {
        try
        {
            process.Kill();
            process.WaitForExit();
        }
        catch (InvalidOperationException) { } // already gone
        process.Dispose();
    }

    static string Cores(double? cores) => cores is { } c && !double.IsNaN(c) ? $"{c:F2} cores" : "unknown";

    static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
