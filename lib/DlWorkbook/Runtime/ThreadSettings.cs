using System.Runtime.InteropServices;

namespace DlWorkbook.Runtime;

/// <summary>
/// How libtorch's worker threads behave on a busy machine, set in the process environment before libtorch loads.
/// </summary>
/// <remarks>
/// <para>libtorch runs its intra-op work on OpenMP (GNU libgomp on Linux) with one thread per core. A libgomp thread
/// that has finished its share spins for a while before it sleeps, so the next parallel region starts without a
/// wake-up; on a machine where other programs keep a core busy, those spinning threads take the CPU from the ones
/// still working and training runs at a fraction of its speed. libgomp reads its settings once, from the native
/// environment, when it loads; .NET's <c>Environment.SetEnvironmentVariable</c> does not reach that environment on
/// Linux, so the variables are set with libc's <c>setenv</c>.</para>
/// <para>A variable that is already set is never changed: the learner's (or the shell's) value wins, and
/// <c>torch.set_num_threads</c> called later wins over any thread count set here. The defaults apply only on Linux,
/// the platform where they were measured (benchmarks/ThreadBenchmarks); Windows (Intel OpenMP) and macOS (LLVM
/// OpenMP) keep libtorch's own settings.</para>
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

    /// <summary>
    /// The workbook's default on Linux: waiting threads spin for at most this many checks (libgomp's default is
    /// 300,000), then sleep. See benchmarks/ThreadBenchmarks/README.md for the measurements behind it.
    /// </summary>
    public const string DefaultSpinCount = "10000";

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
            return new(toSet, $"{WorkbookVariable}={LibTorchValue}: libtorch's own thread settings");
        var reasons = new List<string>();
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

        if (os != OSPlatform.Linux)
            reasons.Add("no wait setting: the workbook's default is measured for libgomp on Linux only");
        else if (Value(environment, WaitPolicyVariable) is { } policy)
            reasons.Add($"{WaitPolicyVariable}={policy} as set");
        else if (Value(environment, SpinCountVariable) is { } spins)
            reasons.Add($"{SpinCountVariable}={spins} as set");
        else
        {
            toSet[SpinCountVariable] = DefaultSpinCount;
            reasons.Add($"{SpinCountVariable}={DefaultSpinCount}, the workbook's default");
        }
        return new(toSet, string.Join("; ", reasons));
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
                + $"own settings hold. Planned: {plan.Summary}");
        foreach (var (name, value) in plan.Variables) SetNative(name, value);
        return Applied = plan;
    }

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
public sealed record ThreadPlan(IReadOnlyDictionary<string, string> Variables, string Summary)
{
    /// <inheritdoc />
    public override string ToString() => Summary;
}
