using System.Globalization;
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
    // USER_HZ, the unit of /proc's CPU times; 100 on every Linux architecture .NET runs on.
    const double TicksPerSecond = 100;

    public static bool Available => File.Exists("/proc/stat");

    /// <summary>A reading to subtract from a later one.</summary>
    public Snapshot Take() => new(DateTime.UtcNow, BusyTicks(), ownPids.Sum(ProcessTicks));

    /// <summary>Cores' worth of CPU used by processes other than ours between two readings (0 = none, 1 = one full core).</summary>
    public static double? ForeignCores(Snapshot before, Snapshot after)
    {
        if (before.MachineBusy is not { } b0 || after.MachineBusy is not { } b1) return null;
        var seconds = (after.At - before.At).TotalSeconds;
        if (seconds <= 0) return null;
        var foreign = (b1 - b0) - (after.OwnTicks - before.OwnTicks);
        return Math.Max(0, foreign / TicksPerSecond / seconds);
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
            .Select(p => (Pid: p.Key, p.Value.Name, Cores: (p.Value.Ticks - before[p.Key].Ticks) / TicksPerSecond / seconds))
            .Where(p => p.Cores >= 0.05)
            .OrderByDescending(p => p.Cores).Take(count)
            .Select(p => $"{p.Pid} {p.Name} {p.Cores:F2}")
            .ToList();
    }

    public readonly record struct Snapshot(DateTime At, long? MachineBusy, long OwnTicks);

    static long? BusyTicks() => CpuTicks.MachineBusy();

    static long ProcessTicks(int pid) => CpuTicks.Process(pid);

    static Dictionary<int, (string Name, long Ticks)> AllProcesses()
    {
        var result = new Dictionary<int, (string, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ReadProcess(pid) is { } p)
                result[pid] = p;
        return result;
    }

    // /proc/<pid>/stat: "pid (name) state ppid ..."; utime and stime are fields 14 and 15 (the 12th and 13th after the name).
    static (string Name, long Ticks)? ReadProcess(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var open = text.IndexOf('(');
            var close = text.LastIndexOf(')');
            var rest = text[(close + 2)..].Split(' ');
            return (text[(open + 1)..close], long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return null; // the process ended between listing and reading
        }
    }
}
