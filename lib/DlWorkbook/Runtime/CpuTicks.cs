using System.Globalization;

namespace DlWorkbook.Runtime;

/// <summary>
/// CPU time from Linux's /proc, in clock ticks: the whole machine's busy time and one process's own. Their
/// difference over an interval is what other programs used, which is how the workbook notices a busy machine.
/// </summary>
public static class CpuTicks
{
    /// <summary>USER_HZ, the unit of /proc's CPU times; 100 on every Linux architecture .NET runs on.</summary>
    public const double PerSecond = 100;

    /// <summary>Whether /proc can be read (Linux).</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/stat");

    /// <summary>Busy time of all cores together since boot, or null where /proc is missing.</summary>
    public static long? MachineBusy()
    {
        if (!Available) return null;
        try
        {
            // cpu  user nice system idle iowait irq softirq steal ...: everything but idle and iowait is busy.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return ticks.Sum() - ticks[3] - ticks[4];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>User and system time of one process (all its threads), or 0 when it cannot be read (it ended).</summary>
    public static long Process(int pid)
    {
        try
        {
            // "pid (name) state ppid ...": utime and stime are fields 14 and 15, the 12th and 13th after the name.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException
                                     or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>Cores' worth of CPU that other programs used between two readings (0 = none, 1 = one whole core).</summary>
    /// <param name="machineBusy">Machine busy ticks at the two readings.</param>
    /// <param name="ownBusy">This program's ticks at the two readings.</param>
    /// <param name="seconds">Time between the readings.</param>
    public static double ForeignCores((long Before, long After) machineBusy, (long Before, long After) ownBusy, double seconds) =>
        seconds <= 0 ? 0 : Math.Max(0, (machineBusy.After - machineBusy.Before - (ownBusy.After - ownBusy.Before)) / PerSecond / seconds);
}
