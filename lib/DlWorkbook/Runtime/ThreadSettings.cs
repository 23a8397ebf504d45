using System.Runtime.InteropServices;
using TorchSharp;

namespace DlWorkbook.Runtime;

/// <summary>
/// How many threads libtorch computes with: its own count (one per core) on an idle machine, fewer while other
/// programs keep cores busy, rechecked before every training epoch; and the learner's settings, which always win.
/// </summary>
/// <remarks>
/// <para>libtorch runs its intra-op work on OpenMP with one thread per core. Beside another busy program that
/// stalls: a parallel region waits for its slowest thread, which now shares a core (measured in
/// benchmarks/ThreadBenchmarks: 14–45% of the idle speed beside one busy process on two cores). One thread fewer per
/// busy core keeps 56–107% instead, while an idle machine keeps libtorch's own count, the fastest there for most
/// models. The load is what other programs used since the last check (Linux's /proc: the machine's busy time minus
/// this process's), so the training loops call <see cref="AdaptToLoad"/> before every epoch.</para>
/// <para>A learner's choice is never overridden: <c>DLWORKBOOK_THREADS</c> (a whole number, or <c>libtorch</c> for
/// libtorch's own settings), <c>OMP_NUM_THREADS</c>, or a call to <c>torch.set_num_threads</c> (from then on the
/// workbook leaves the count alone). OpenMP's own variables are passed to the native environment libgomp reads when
/// it loads, since .NET's <c>Environment.SetEnvironmentVariable</c> does not reach that environment on Linux.</para>
/// </remarks>
public static class ThreadSettings
{
    /// <summary>The workbook's own variable: a whole number of intra-op threads, or <see cref="LibTorchValue"/>.</summary>
    public const string WorkbookVariable = "DLWORKBOOK_THREADS";

    /// <summary>The value of <see cref="WorkbookVariable"/> that leaves libtorch's own settings alone.</summary>
    public const string LibTorchValue = "libtorch";

    /// <summary>OpenMP's wait policy: ACTIVE (spin) or PASSIVE (sleep at once).</summary>
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>libgomp's own spin count: how many times a waiting thread checks for work before it sleeps.</summary>
    public const string SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>OpenMP's thread count, which libtorch uses as its intra-op thread count.</summary>
    public const string ThreadCountVariable = "OMP_NUM_THREADS";

    static readonly string[] OpenMpVariables = [WaitPolicyVariable, SpinCountVariable, ThreadCountVariable];

    /// <summary>What <see cref="Apply"/> did in this process, or null before it ran.</summary>
    public static ThreadPlan? Applied { get; private set; }

    /// <summary>
    /// Works out the variables to set from the environment: <paramref name="environment"/> is what .NET sees
    /// (<c>Environment.GetEnvironmentVariable</c>), <paramref name="native"/> what libgomp will see.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="WorkbookVariable"/> is neither a positive whole number nor
    /// <see cref="LibTorchValue"/>; the message says what to write.</exception>
    public static ThreadPlan Plan(Func<string, string?> environment, Func<string, string?> native, OSPlatform os)
    {
        var toSet = new Dictionary<string, string>(StringComparer.Ordinal);
        // Values the learner set through .NET alone (for example Environment.SetEnvironmentVariable in a program
        // before its first torch call) are passed on, so that libgomp sees them too.
        foreach (var name in OpenMpVariables)
            if (Value(environment, name) is { } value && native(name) != value)
                toSet[name] = value;

        var workbook = Value(environment, WorkbookVariable);
        if (workbook is not null && workbook.Equals(LibTorchValue, StringComparison.OrdinalIgnoreCase))
            return new(toSet, $"{WorkbookVariable}={LibTorchValue}: libtorch's own thread settings", Adaptive: false);
        var reasons = new List<string>();
        var adaptive = false;
        if (workbook is not null)
        {
            if (!int.TryParse(workbook, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var threads) || threads < 1)
                throw new ArgumentException(
                    $"{WorkbookVariable} is \"{workbook}\": set it to a whole number of threads (for example 1) "
                    + $"or to \"{LibTorchValue}\" to keep libtorch's own settings, or remove it for the workbook's default.");
            if (Value(environment, ThreadCountVariable) is { } ompThreads)
                reasons.Add($"{ThreadCountVariable}={ompThreads} is set, so {WorkbookVariable}={workbook} is not used");
            else
            {
                toSet[ThreadCountVariable] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
                reasons.Add($"{threads} intra-op thread{(threads == 1 ? "" : "s")} ({WorkbookVariable})");
            }
        }
        else if (Value(environment, ThreadCountVariable) is { } ompThreads)
            reasons.Add($"{ThreadCountVariable}={ompThreads} as set");
        else if (os != OSPlatform.Linux)
            reasons.Add("libtorch's own thread count (fewer threads on a busy machine needs Linux's /proc)");
        else
        {
            adaptive = true;
            reasons.Add("libtorch's thread count, one fewer for each core other programs keep busy (checked before every epoch)");
        }
        foreach (var name in new[] { WaitPolicyVariable, SpinCountVariable })
            if (Value(environment, name) is { } value)
                reasons.Add($"{name}={value} as set");
        return new(toSet, string.Join("; ", reasons), adaptive);
    }

    /// <summary>
    /// Sets the planned variables in this process's native environment. Called by <see cref="TorchNative.EnsureLoaded"/>
    /// before the natives load; once libtorch's OpenMP runtime is loaded the variables would have no effect, so then
    /// nothing is set and <see cref="Applied"/> says so.
    /// </summary>
    public static ThreadPlan Apply()
    {
        var plan = Plan(Environment.GetEnvironmentVariable, NativeValue, CurrentOs);
        if (OpenMpAlreadyLoaded())
            plan = new(new Dictionary<string, string>(),
                $"not applied: libtorch was loaded before the course library (a torch call came first), so libtorch's "
                + $"own settings hold. Planned: {plan.Summary}", plan.Adaptive);
        foreach (var (name, value) in plan.Variables) SetNative(name, value);
        return Applied = plan;
    }

    static readonly object Gate = new();
    static int? libTorchThreads, lastSet;
    static (DateTime At, long Machine, long Own)? lastReading;
    static bool learnerChose;

    /// <summary>The shortest time between two readings that a thread count is decided on (/proc counts in hundredths).</summary>
    const double MinimumInterval = 0.5;

    /// <summary>Called once libtorch has loaded: its own thread count, the most the workbook ever uses.</summary>
    internal static void RecordLibTorchThreads(int threads) => libTorchThreads = threads;

    /// <summary>
    /// Sets libtorch's thread count for the load other programs put on the machine since the last decision (at least
    /// half a second ago; the first call only starts measuring), when the workbook decides the count (<see cref="ThreadPlan.Adaptive"/>) and the
    /// learner has not called <c>torch.set_num_threads</c>. The training loops call it before every epoch.
    /// </summary>
    /// <returns>The thread count from now on.</returns>
    public static int AdaptToLoad()
    {
        TorchNative.EnsureLoaded();
        lock (Gate)
        {
            var current = torch.get_num_threads();
            if (Applied is not { Adaptive: true } || learnerChose || libTorchThreads is not { } most) return current;
            if (current != (lastSet ?? most))
            {
                learnerChose = true;   // torch.set_num_threads was called: the learner's count stands
                return current;
            }
            var now = Reading();
            if (now is null) return current;
            if (lastReading is not { } before)
            {
                lastReading = now;     // the first epoch runs with libtorch's count and is the first measurement
                return current;
            }
            if ((now.Value.At - before.At).TotalSeconds < MinimumInterval) return current;   // too short to judge
            var foreign = CpuTicks.ForeignCores((before.Machine, now.Value.Machine), (before.Own, now.Value.Own),
                (now.Value.At - before.At).TotalSeconds);
            lastReading = now;
            var threads = ThreadsFor(most, foreign);
            if (threads != current) torch.set_num_threads(threads);
            lastSet = threads;
            return threads;
        }
    }

    /// <summary>One thread fewer than libtorch's count for each core other programs keep busy, at least one.</summary>
    /// <param name="most">libtorch's own thread count.</param>
    /// <param name="foreignCores">Cores' worth of CPU other programs used.</param>
    public static int ThreadsFor(int most, double foreignCores) =>
        Math.Clamp(most - (int)Math.Round(foreignCores, MidpointRounding.AwayFromZero), 1, Math.Max(1, most));

    static (DateTime At, long Machine, long Own)? Reading() =>
        CpuTicks.MachineBusy() is { } machine ? (DateTime.UtcNow, machine, CpuTicks.Process(Environment.ProcessId)) : null;

    /// <summary>The variable's value in the native environment (the one libgomp reads), or null when it is not set.</summary>
    public static string? NativeValue(string name)
    {
        if (OperatingSystem.IsWindows()) return Environment.GetEnvironmentVariable(name);
        var value = getenv(name);
        return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
    }

    internal static void SetNative(string name, string value)
    {
        // On Windows .NET's call sets the process environment, which Intel OpenMP reads; elsewhere .NET keeps its own copy.
        Environment.SetEnvironmentVariable(name, value);
        if (!OperatingSystem.IsWindows() && setenv(name, value, 1) != 0)
            throw new InvalidOperationException($"setenv({name}) failed with error {Marshal.GetLastPInvokeError()}.");
    }

    static string? Value(Func<string, string?> environment, string name) =>
        environment(name) is { } value && value.Trim().Length > 0 ? value.Trim() : null;

    static OSPlatform CurrentOs =>
        OperatingSystem.IsLinux() ? OSPlatform.Linux
        : OperatingSystem.IsWindows() ? OSPlatform.Windows
        : OperatingSystem.IsMacOS() ? OSPlatform.OSX
        : OSPlatform.Create(RuntimeInformation.OSDescription);

    // libgomp (Linux) mapped into this process already: its settings are fixed.
    static bool OpenMpAlreadyLoaded()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return File.ReadLines("/proc/self/maps").Any(l => l.Contains("libgomp", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    [DllImport("libc", CharSet = CharSet.Ansi)]
    static extern IntPtr getenv(string name);

    [DllImport("libc", CharSet = CharSet.Ansi, SetLastError = true)]
    static extern int setenv(string name, string value, int overwrite);
}

/// <summary>The thread settings for one process: the variables to set in its native environment, and why.</summary>
/// <param name="Variables">Name and value of each variable to set; empty when nothing changes.</param>
/// <param name="Summary">One line for a learner: what holds and where it comes from.</param>
/// <param name="Adaptive">Whether the workbook lowers the thread count while other programs keep cores busy.</param>
public sealed record ThreadPlan(IReadOnlyDictionary<string, string> Variables, string Summary, bool Adaptive = false)
{
    /// <inheritdoc />
    public override string ToString() => Summary;
}
