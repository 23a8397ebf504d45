using DlWorkbook.Runtime;

namespace DlWorkbook.Benchmarks;

/// <summary>
/// CPU time on this machine, split into what the benchmark's own processes used and what everybody else used
/// ("foreign" load), from <c>/proc/stat</c> and <c>/proc/&lt;pid&gt;/stat</c>. On a machine shared with other work a
/// speed is only worth something next to the foreign load it was measured under. Linux only; elsewhere every
/// reading is null.
/// </summary>
internal sealed class CpuLoad(IReadOnlyCollection<int> ownPids)
{
    public static bool Available => CpuTicks.Available;

    /// <summary>A reading to subtract from a later one.</summary>
    public Snapshot Take() => new(DateTime.UtcNow, CpuTicks.MachineBusy(), ownPids.Sum(CpuTicks.Process));

    /// <summary>Cores' worth of CPU used by processes other than ours between two readings (0 = none, 1 = one full core).</summary>
    public static double? ForeignCores(Snapshot before, Snapshot after)
    {
        if (before.MachineBusy is not { } b0 || after.MachineBusy is not { } b1) return null;
        var seconds = (after.At - before.At).TotalSeconds;
        return seconds <= 0 ? null : CpuTicks.ForeignCores((b0, b1), (before.OwnTicks, after.OwnTicks), seconds);
    }

    /// <summary>The busiest processes other than ours over <paramref name="seconds"/>: "pid name cores".</summary>
    public IReadOnlyList<string> TopForeign(double seconds, int count = 3)
    {
        if (!Available) return [];
        var before = AllProcesses();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        var after = AllProcesses();
        return after
            .Where(p => !ownPids.Contains(p.Key) && before.ContainsKey(p.Key))
            .Select(p => (Pid: p.Key, Cores: (p.Value - before[p.Key]) / CpuTicks.PerSecond / seconds))
            .Where(p => p.Cores >= 0.05)
            .OrderByDescending(p => p.Cores).Take(count)
            .Select(p => $"{p.Pid} {Name(p.Pid)} {p.Cores:F2}")
            .ToList();
    }

    public readonly record struct Snapshot(DateTime At, long? MachineBusy, long OwnTicks);

    static Dictionary<int, long> AllProcesses()
    {
        var result = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && CpuTicks.Process(pid) is var ticks and > 0)
                result[pid] = ticks;
        return result;
    }

    static string Name(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";   // the process ended since
        }
    }
}
