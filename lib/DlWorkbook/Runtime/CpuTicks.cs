using System.Globalization;
using System.Runtime.InteropServices;

namespace DlWorkbook.Runtime;

/// <summary>
/// CPU time from the system's own counters: the whole machine's busy time (Linux: /proc/stat; Windows: GetSystemTimes;
/// macOS: host_statistics) and this process's. Their difference over an interval is what other programs used, which is
/// how the workbook notices a busy machine.
/// </summary>
public static class CpuTicks
{
    /// <summary>USER_HZ, the unit of /proc's CPU times; 100 on every Linux architecture .NET runs on.</summary>
    public const double PerSecond = 100;

    /// <summary>Whether /proc can be read (Linux).</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/stat");

    /// <summary>Busy time of all cores together since boot in /proc's ticks, or null where /proc is missing.</summary>
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

    /// <summary>User and system time of one process (all its threads) from /proc, or 0 when it cannot be read (it ended).</summary>
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

    /// <summary>Cores' worth of CPU that other programs used between two readings (0 = none, 1 = one whole core).</summary>
    public static double ForeignCores(CpuReading before, CpuReading after)
    {
        var seconds = (after.At - before.At).TotalSeconds;
        return seconds <= 0 ? 0
            : Math.Max(0, (after.MachineBusySeconds - before.MachineBusySeconds - (after.OwnSeconds - before.OwnSeconds)) / seconds);
    }

    /// <summary>A reading now from this system's counters, or null where they cannot be read.</summary>
    public static CpuReading? Read()
    {
        var machine = OperatingSystem.IsLinux() ? MachineBusy() / PerSecond
            : OperatingSystem.IsWindows() ? WindowsMachineBusySeconds()
            : OperatingSystem.IsMacOS() ? MacMachineBusySeconds()
            : null;
        return machine is { } busy ? new CpuReading(DateTime.UtcNow, busy, Environment.CpuUsage.TotalTime.TotalSeconds) : null;
    }

    /// <summary>
    /// Windows' busy time from GetSystemTimes, in seconds: its kernel time includes the idle time, both in 100 ns units
    /// (FILETIME), summed over all cores.
    /// </summary>
    internal static double FromSystemTimes(long idle, long kernel, long user) => (kernel + user - idle) / 1e7;

    /// <summary>
    /// macOS' busy time from host_statistics(HOST_CPU_LOAD_INFO), in seconds: its user, system and nice ticks (the fourth
    /// counter is idle) summed over all cores, in clock ticks of <paramref name="ticksPerSecond"/>.
    /// </summary>
    internal static double FromCpuLoadInfo(uint user, uint system, uint nice, double ticksPerSecond) =>
        ((double)user + system + nice) / ticksPerSecond;

    static double? WindowsMachineBusySeconds() =>
        GetSystemTimes(out var idle, out var kernel, out var user) ? FromSystemTimes(idle, kernel, user) : null;

    static readonly Lazy<uint> MachHost = new(() => mach_host_self());

    static double? MacMachineBusySeconds()
    {
        try
        {
            var ticks = new uint[4];   // host_cpu_load_info: user, system, idle, nice
            var count = (uint)ticks.Length;
            if (host_statistics(MachHost.Value, HostCpuLoadInfo, ticks, ref count) != 0) return null;
            var perSecond = sysconf(MacClockTicks);
            return FromCpuLoadInfo(ticks[0], ticks[1], ticks[3], perSecond > 0 ? perSecond : 100);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    const int HostCpuLoadInfo = 3;   // HOST_CPU_LOAD_INFO
    const int MacClockTicks = 3;     // _SC_CLK_TCK on macOS

    [DllImport("kernel32.dll", SetLastError = true)]
    static extern bool GetSystemTimes(out long idleTime, out long kernelTime, out long userTime);

    [DllImport("libSystem.dylib")]
    static extern uint mach_host_self();

    [DllImport("libSystem.dylib")]
    static extern int host_statistics(uint host, int flavor, [Out] uint[] info, ref uint count);

    [DllImport("libSystem.dylib")]
    static extern long sysconf(int name);
}

/// <summary>One reading of CPU time: when, the whole machine's busy time and this process's, in seconds since some start.</summary>
/// <param name="At">When it was read.</param>
/// <param name="MachineBusySeconds">Busy time of all cores together.</param>
/// <param name="OwnSeconds">This process's user and system time.</param>
public readonly record struct CpuReading(DateTime At, double MachineBusySeconds, double OwnSeconds);
