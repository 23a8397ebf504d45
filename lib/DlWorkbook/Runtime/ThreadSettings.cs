using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace DlWorkbook.Runtime;

/// <summary>
/// How many threads libtorch computes with: its own count (one per core) on an idle machine, fewer while other
/// programs keep cores busy, rechecked before every training epoch; and the learner's settings, which always win.
/// </summary>
/// <remarks>
/// <para>libtorch runs its intra-op work on OpenMP with one thread per core. Beside another busy program that
/// stalls: a parallel region waits for its slowest thread, which now shares a core. One thread fewer per busy core
/// keeps most of the idle speed, while an idle machine keeps libtorch's own count, the fastest there for most models
/// (the figures: benchmarks/ThreadBenchmarks/README.md). The load is what other programs used since the last check (the system's CPU counters, see
/// <see cref="CpuTicks"/>: the machine's busy time minus this process's), so the training loops call
/// <see cref="AdaptToLoad"/> before every epoch.</para>
/// <para>A learner's choice is never overridden: <c>DLWORKBOOK_THREADS</c> (a whole number, or <c>libtorch</c> for
/// libtorch's own settings; read again before every epoch, so a later cell can change it), <c>OMP_NUM_THREADS</c>, or a
/// call to <c>torch.set_num_threads</c> (from then on the workbook leaves the count alone). A value that cannot be read
/// is named in one line and the workbook's default holds; nothing here ever stops the library from loading. OpenMP's
/// own variables are passed to the native environment libgomp reads when it loads, since .NET's
/// <c>Environment.SetEnvironmentVariable</c> does not reach that environment on Linux.</para>
/// </remarks>
public static class ThreadSettings
{
    /// <summary>The workbook's own variable: a whole number of intra-op threads, or <see cref="LibTorchValue"/>.</summary>
    public const string WorkbookVariable = "DLWORKBOOK_THREADS";

    /// <summary>The value of <see cref="WorkbookVariable"/> that leaves libtorch's own settings alone.</summary>
    public const string LibTorchValue = "libtorch";

    /// <summary>OpenMP's wait policy: ACTIVE (spin) or PASSIVE (sleep at once).</summary>
    internal const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>libgomp's own spin count: how many times a waiting thread checks for work before it sleeps.</summary>
    internal const string SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>OpenMP's thread count, which libtorch uses as its intra-op thread count.</summary>
    internal const string ThreadCountVariable = "OMP_NUM_THREADS";

    static readonly string[] OpenMpVariables = [WaitPolicyVariable, SpinCountVariable, ThreadCountVariable];

    /// <summary>What holds in this process: set when the natives load, updated when the learner's settings change; null before.</summary>
    public static ThreadPlan? Applied { get; private set; }

    /// <summary>
    /// Works out the thread settings from the environment: <paramref name="environment"/> is what .NET sees
    /// (<c>Environment.GetEnvironmentVariable</c>), <paramref name="native"/> what libgomp will see, <paramref name="cores"/>
    /// the machine's logical cores. Never throws: a value that cannot be read becomes a note and counts as unset.
    /// </summary>
    internal static ThreadPlan Plan(Func<string, string?> environment, Func<string, string?> native, OSPlatform os, int cores)
    {
        var toSet = new Dictionary<string, string>(StringComparer.Ordinal);
        var toUnset = new List<string>();
        var notes = new List<string>();
        // Values the learner set through .NET alone (for example Environment.SetEnvironmentVariable in a program
        // before its first torch call) are passed on, so that libgomp sees them too.
        foreach (var name in OpenMpVariables)
            if (Value(environment, name) is { } value && native(name) != value)
                toSet[name] = value;

        var ompThreads = Value(environment, ThreadCountVariable);
        int? ompCount = null;
        if (ompThreads is not null)
        {
            ompCount = OpenMpThreadCount(ompThreads);
            if (ompCount is null)
            {
                // libgomp would complain on stderr and fall back to its default: removed before it loads, and said here.
                toSet.Remove(ThreadCountVariable);
                toUnset.Add(ThreadCountVariable);
                notes.Add($"{ThreadCountVariable} is \"{ompThreads}\", which OpenMP cannot read, so it was removed; set it to a whole "
                          + "number of threads (for example 1) or remove it.");
                ompThreads = null;
            }
        }

        var workbook = Value(environment, WorkbookVariable);
        if (workbook is not null && workbook.Equals(LibTorchValue, StringComparison.OrdinalIgnoreCase))
            return new(toSet, $"{WorkbookVariable}={LibTorchValue}: libtorch's own thread settings", Adaptive: false, Notes: notes, Unset: toUnset);
        int? workbookCount = null;
        if (workbook is not null)
        {
            workbookCount = WorkbookThreadCount(workbook);
            if (workbookCount is null)
            {
                notes.Add($"{WorkbookVariable} is \"{workbook}\", not a whole number of threads, so the workbook's default holds; set "
                          + $"it to a whole number (for example 1) or to \"{LibTorchValue}\" for libtorch's own settings, or remove it.");
                workbook = null;
            }
        }

        var reasons = new List<string>();
        var adaptive = false;
        int? requested = null;
        if (workbookCount is { } threads)
        {
            if (ompThreads is not null)
            {
                reasons.Add($"{ThreadCountVariable}={ompThreads} is set, so {WorkbookVariable}={workbook} is not used");
                requested = ompCount;
            }
            else
            {
                requested = Math.Min(threads, Math.Max(1, cores));
                if (requested != threads)
                    notes.Add($"{WorkbookVariable}={threads} is more threads than this machine's {cores} cores, so {requested} are used.");
                toSet[ThreadCountVariable] = requested.Value.ToString(CultureInfo.InvariantCulture);
                reasons.Add($"{requested} intra-op thread{(requested == 1 ? "" : "s")} ({WorkbookVariable})");
            }
        }
        else if (ompThreads is not null)
        {
            reasons.Add($"{ThreadCountVariable}={ompThreads} as set");
            requested = ompCount;
        }
        else if (!LoadIsReadable(os))
            reasons.Add("libtorch's own thread count (this system's CPU load cannot be read)");
        else
        {
            adaptive = true;
            reasons.Add("libtorch's thread count, one fewer for each core other programs keep busy (checked before every epoch)");
        }
        foreach (var name in new[] { WaitPolicyVariable, SpinCountVariable })
            if (Value(environment, name) is { } value)
                reasons.Add($"{name}={value} as set");
        return new(toSet, string.Join("; ", reasons), adaptive, requested, notes, toUnset);
    }

    /// <summary>
    /// Sets the planned variables in this process's native environment and prints any note (a value that cannot be read,
    /// a setting that comes too late) as one line each. Called by <see cref="TorchNative.EnsureLoaded"/> before the natives
    /// load; once libtorch's OpenMP runtime is loaded the variables would have no effect, so then the thread count is
    /// applied with <c>torch.set_num_threads</c> after loading instead (<see cref="AfterLoad"/>).
    /// </summary>
    internal static ThreadPlan Apply()
    {
        var plan = Plan(Environment.GetEnvironmentVariable, NativeValue, CurrentOs, Environment.ProcessorCount);
        appliedWorkbookValue = Environment.GetEnvironmentVariable(WorkbookVariable);
        if (OpenMpAlreadyLoaded()) plan = AfterOpenMpLoaded(plan);
        foreach (var (name, value) in plan.Variables) SetNative(name, value);
        foreach (var name in plan.Unset) SetNative(name, null);
        foreach (var note in plan.Notes) Console.Out.WriteLine("Threads: " + note);
        return Applied = plan;
    }

    /// <summary>
    /// The plan once libtorch's OpenMP runtime has loaded (a torch call came before the course library): no variable can
    /// reach it any more. The thread count is applied after loading instead (<see cref="ThreadPlan.Requested"/>); every
    /// other variable is named in a note, with when to set it.
    /// </summary>
    internal static ThreadPlan AfterOpenMpLoaded(ThreadPlan plan)
    {
        var late = plan.Variables.Keys.Where(n => n != ThreadCountVariable).Order(StringComparer.Ordinal)
            .Select(n => $"{n}={plan.Variables[n]} came after libtorch had loaded (a torch call came first), so OpenMP never read it; "
                         + "set it before the first torch call, or in the shell that starts the program or VS Code.");
        return plan with { Variables = new Dictionary<string, string>(), Notes = [.. plan.Notes, .. late], Unset = [] };
    }

    static readonly object Gate = new();
    static int? libTorchThreads, lastSet;
    static string? appliedWorkbookValue;
    static bool learnerChose;
    static readonly LoadGovernor Governor = new(CpuTicks.Read);

    /// <summary>
    /// Called once libtorch has loaded: records its own thread count (the most the workbook ever uses), applies the
    /// requested count when OpenMP had loaded before the variables could reach it, and records the count in force.
    /// </summary>
    internal static void AfterLoad()
    {
        lock (Gate)
        {
            libTorchThreads = torch.get_num_threads();
            if (Applied is { Requested: { } requested } && libTorchThreads != requested) torch.set_num_threads(requested);
            RecordInForce();
        }
    }

    static void RecordInForce()
    {
        if (Applied is null) return;
        var inForce = torch.get_num_threads();
        if (Applied.Requested is { } requested && requested != inForce)
            Console.Out.WriteLine($"Threads: {requested} asked for, but libtorch runs {inForce}.");
        Applied = Applied with { InForce = inForce };
    }

    /// <summary>
    /// Sets libtorch's thread count for the load other programs put on the machine since the last decision (at least
    /// half a second ago; the first call only starts measuring), when the workbook decides the count (<see cref="ThreadPlan.Adaptive"/>) and the
    /// learner has not called <c>torch.set_num_threads</c>. Applies a changed <see cref="WorkbookVariable"/> first. The
    /// training loops call it before every epoch.
    /// </summary>
    /// <returns>The thread count from now on.</returns>
    public static int AdaptToLoad()
    {
        TorchNative.EnsureLoaded();
        lock (Gate)
        {
            FollowWorkbookVariable();
            var current = torch.get_num_threads();
            if (Applied is not { Adaptive: true } || learnerChose || libTorchThreads is not { } most) return current;
            if (current != (lastSet ?? most))
            {
                learnerChose = true;   // torch.set_num_threads was called: the learner's count stands
                return current;
            }
            if (Governor.Next(most) is not { } threads) return current;
            if (threads != current) torch.set_num_threads(threads);
            lastSet = threads;
            Applied = Applied with { InForce = threads };
            return threads;
        }
    }

    /// <summary>A <see cref="WorkbookVariable"/> set or changed after loading (in a later cell) takes effect at the next epoch.</summary>
    static void FollowWorkbookVariable()
    {
        var value = Environment.GetEnvironmentVariable(WorkbookVariable);
        if (value == appliedWorkbookValue || libTorchThreads is not { } most) return;
        appliedWorkbookValue = value;
        var plan = Plan(Environment.GetEnvironmentVariable, NativeValue, CurrentOs, Environment.ProcessorCount);
        foreach (var note in plan.Notes) Console.Out.WriteLine("Threads: " + note);
        // Without a count of the learner's: libtorch's own (one per core), or the adapted count from the next epoch on.
        var threads = plan.Requested ?? (Applied?.Requested is null ? most : Environment.ProcessorCount);
        if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
        lastSet = plan.Adaptive ? threads : null;
        learnerChose = false;
        Applied = plan with { Variables = new Dictionary<string, string>(), Unset = [] };
        RecordInForce();
    }

    /// <summary>One thread fewer than libtorch's count for each core other programs keep busy, at least one.</summary>
    /// <param name="most">libtorch's own thread count.</param>
    /// <param name="foreignCores">Cores' worth of CPU other programs used.</param>
    internal static int ThreadsFor(int most, double foreignCores) =>
        Math.Clamp(most - (int)Math.Round(foreignCores, MidpointRounding.AwayFromZero), 1, Math.Max(1, most));

    /// <summary>The variable's value in the native environment (the one libgomp reads), or null when it is not set.</summary>
    public static string? NativeValue(string name)
    {
        if (OperatingSystem.IsWindows()) return Environment.GetEnvironmentVariable(name);
        var value = getenv(name);
        return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
    }

    /// <summary>Sets (or, with null, removes) a variable in .NET's and the native environment.</summary>
    internal static void SetNative(string name, string? value)
    {
        // On Windows .NET's call sets the process environment, which Intel OpenMP reads; elsewhere .NET keeps its own copy.
        Environment.SetEnvironmentVariable(name, value);
        if (OperatingSystem.IsWindows()) return;
        if ((value is null ? unsetenv(name) : setenv(name, value, 1)) != 0)
            throw new InvalidOperationException($"{(value is null ? "unsetenv" : "setenv")}({name}) failed with error {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>A whole number of threads, at least 1, or null.</summary>
    static int? WorkbookThreadCount(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var threads) && threads >= 1 ? threads : null;

    /// <summary>OpenMP's form: a whole number, or a comma-separated list per nesting level (the first is libtorch's); else null.</summary>
    static int? OpenMpThreadCount(string value)
    {
        var levels = value.Split(',', StringSplitOptions.TrimEntries);
        return levels.All(l => WorkbookThreadCount(l) is not null) ? WorkbookThreadCount(levels[0]) : null;
    }

    static bool LoadIsReadable(OSPlatform os) => os == OSPlatform.Linux || os == OSPlatform.Windows || os == OSPlatform.OSX;

    static string? Value(Func<string, string?> environment, string name) =>
        environment(name) is { } value && value.Trim().Length > 0 ? value.Trim() : null;

    static OSPlatform CurrentOs =>
        OperatingSystem.IsLinux() ? OSPlatform.Linux
        : OperatingSystem.IsWindows() ? OSPlatform.Windows
        : OperatingSystem.IsMacOS() ? OSPlatform.OSX
        : OSPlatform.Create(RuntimeInformation.OSDescription);

    // The OpenMP runtime mapped into this process already (libtorch loaded): its settings are fixed.
    static bool OpenMpAlreadyLoaded()
    {
        if (OperatingSystem.IsLinux()) return MappedFiles.Current().Any(f => f.Path.Contains("libgomp", StringComparison.Ordinal));
        var name = OperatingSystem.IsWindows() ? "libiomp5md.dll" : OperatingSystem.IsMacOS() ? "libomp.dylib" : null;
        try
        {
            return name is not null && System.Diagnostics.Process.GetCurrentProcess().Modules.Cast<System.Diagnostics.ProcessModule>()
                .Any(m => string.Equals(m.ModuleName, name, StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or NotSupportedException or InvalidOperationException)
        {
            return false;
        }
    }

    [DllImport("libc", CharSet = CharSet.Ansi)]
    static extern IntPtr getenv(string name);

    [DllImport("libc", CharSet = CharSet.Ansi, SetLastError = true)]
    static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", CharSet = CharSet.Ansi, SetLastError = true)]
    static extern int unsetenv(string name);
}

/// <summary>
/// Decides the thread count from successive CPU readings: the first reading only starts measuring; later ones, at least
/// <see cref="MinimumInterval"/> apart, give one thread fewer than libtorch's count per core other programs kept busy.
/// </summary>
/// <param name="read">The system's counters (<see cref="CpuTicks.Read"/>); tests inject readings.</param>
internal sealed class LoadGovernor(Func<CpuReading?> read)
{
    /// <summary>The shortest interval a thread count is decided on (Linux counts in hundredths of a second).</summary>
    internal const double MinimumInterval = 0.5;

    CpuReading? last;

    /// <summary>The thread count for the load since the last decision, or null to keep the current one.</summary>
    /// <param name="most">libtorch's own thread count.</param>
    public int? Next(int most)
    {
        if (read() is not { } now) return null;
        if (last is not { } before)
        {
            last = now;     // the first epoch runs with libtorch's count and is the first measurement
            return null;
        }
        if ((now.At - before.At).TotalSeconds < MinimumInterval) return null;   // too short to judge
        last = now;
        return ThreadSettings.ThreadsFor(most, CpuTicks.ForeignCores(before, now));
    }
}

/// <summary>The thread settings for one process: the variables to set in its native environment, and why.</summary>
/// <param name="Variables">Name and value of each variable to set; empty when nothing changes.</param>
/// <param name="Summary">One line for a learner: what holds and where it comes from.</param>
/// <param name="Adaptive">Whether the workbook lowers the thread count while other programs keep cores busy.</param>
/// <param name="Requested">The thread count the learner's variables ask for (capped at the cores), or null.</param>
/// <param name="Notes">One line for each value that could not be used as given, and why.</param>
/// <param name="Unset">Variables removed from the native environment (a value OpenMP cannot read).</param>
/// <param name="InForce">libtorch's thread count once it has loaded (<c>torch.get_num_threads()</c>), or null before.</param>
public sealed record ThreadPlan(
    IReadOnlyDictionary<string, string> Variables, string Summary, bool Adaptive = false, int? Requested = null,
    IReadOnlyList<string>? Notes = null, IReadOnlyList<string>? Unset = null, int? InForce = null)
{
    /// <summary>One line for each value that could not be used as given; empty when there is none.</summary>
    public IReadOnlyList<string> Notes { get; init; } = Notes ?? [];

    /// <summary>Variables removed from the native environment; empty when there is none.</summary>
    public IReadOnlyList<string> Unset { get; init; } = Unset ?? [];

    /// <inheritdoc />
    public override string ToString() =>
        InForce is { } threads ? $"{Summary} ({threads} thread{(threads == 1 ? "" : "s")} in force)" : Summary;
}
