using System.Runtime.InteropServices;
using DlWorkbook.Runtime;

namespace DlWorkbook.Tests.Runtime;

/// <summary>Which variables the workbook sets before libtorch loads, when it adapts the thread count, and when the learner's own settings win.</summary>
public class ThreadSettingsTests
{
    // The environment as .NET sees it and as libgomp sees it; by default the two agree.
    static ThreadPlan Plan(Dictionary<string, string> environment, OSPlatform? os = null, Dictionary<string, string>? native = null,
        int cores = 8) =>
        ThreadSettings.Plan(name => environment.GetValueOrDefault(name), name => (native ?? environment).GetValueOrDefault(name),
            os ?? OSPlatform.Linux, cores);

    [Fact]
    public void OnLinuxWithNothingSetTheWorkbookAdaptsTheThreadCountAndSetsNoVariable()
    {
        var plan = Plan([]);
        Assert.Empty(plan.Variables);
        Assert.True(plan.Adaptive);
        Assert.Equal("libtorch's thread count, one fewer for each core other programs keep busy (checked before every epoch)",
            plan.Summary);
    }

    [Theory]
    [InlineData(2, 0.0, 2)]
    [InlineData(2, 0.3, 2)]      // a browser and an editor: not worth a thread
    [InlineData(2, 0.5, 1)]
    [InlineData(2, 1.0, 1)]
    [InlineData(2, 2.0, 1)]      // never fewer than one
    [InlineData(8, 2.6, 5)]
    [InlineData(1, 1.0, 1)]
    public void OneThreadFewerForEachBusyCore(int most, double foreignCores, int expected) =>
        Assert.Equal(expected, ThreadSettings.ThreadsFor(most, foreignCores));

    [Fact]
    public void ForeignLoadIsTheMachinesBusyTimeLessOurOwn()
    {
        // Over 2 s the machine was busy 300 ticks, 100 of them ours: 200 ticks = 2 s of CPU = one core.
        Assert.Equal(1.0, CpuTicks.ForeignCores((1000, 1300), (50, 150), 2.0), 6);
        Assert.Equal(0, CpuTicks.ForeignCores((1000, 1100), (50, 160), 1.0));   // never negative
    }

    [Theory]
    [InlineData("OMP_WAIT_POLICY", "PASSIVE")]
    [InlineData("OMP_WAIT_POLICY", "active")]
    [InlineData("GOMP_SPINCOUNT", "300000")]
    [InlineData("GOMP_SPINCOUNT", "0")]
    public void AWaitSettingFromTheEnvironmentWins(string name, string value)
    {
        var plan = Plan(new() { [name] = value });
        Assert.Empty(plan.Variables);
        Assert.True(plan.Adaptive);
        Assert.EndsWith($"; {name}={value} as set", plan.Summary);
    }

    [Fact]
    public void AThreadCountFromTheEnvironmentStandsAndIsNotAdapted()
    {
        var plan = Plan(new() { ["OMP_NUM_THREADS"] = "1" });
        Assert.Empty(plan.Variables);
        Assert.False(plan.Adaptive);
        Assert.Equal("OMP_NUM_THREADS=1 as set", plan.Summary);
    }

    [Theory]
    [InlineData("libtorch")]
    [InlineData("LibTorch")]
    [InlineData(" libtorch ")]
    public void LibTorchValueSetsNothing(string value)
    {
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = value });
        Assert.Empty(plan.Variables);
        Assert.False(plan.Adaptive);
        Assert.Equal("DLWORKBOOK_THREADS=libtorch: libtorch's own thread settings", plan.Summary);
    }

    [Fact]
    public void AWorkbookThreadCountBecomesOmpNumThreads()
    {
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = "1" });
        Assert.Equal(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" }, plan.Variables);
        Assert.False(plan.Adaptive);
        Assert.Equal("1 intra-op thread (DLWORKBOOK_THREADS)", plan.Summary);
    }

    [Fact]
    public void OmpNumThreadsWinsOverTheWorkbookVariable()
    {
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = "2", ["OMP_NUM_THREADS"] = "4" });
        Assert.Empty(plan.Variables);
        Assert.False(plan.Adaptive);
        Assert.StartsWith("OMP_NUM_THREADS=4 is set, so DLWORKBOOK_THREADS=2 is not used", plan.Summary);
    }

    [Fact]
    public void AWorkbookThreadCountKeepsTheLearnersWaitPolicy()
    {
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = "3", ["OMP_WAIT_POLICY"] = "PASSIVE" });
        Assert.Equal(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "3" }, plan.Variables);
        Assert.Equal("3 intra-op threads (DLWORKBOOK_THREADS); OMP_WAIT_POLICY=PASSIVE as set", plan.Summary);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("two")]
    public void ABadWorkbookValueIsNamedWithTheFixAndTheDefaultHolds(string value)
    {
        // Never an exception: it would stop the course library from loading, and every later torch call would fail.
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = value });
        Assert.Equal(
            [$"DLWORKBOOK_THREADS is \"{value}\", not a whole number of threads, so the workbook's default holds; set it to a whole "
             + "number (for example 1) or to \"libtorch\" for libtorch's own settings, or remove it."], plan.Notes);
        Assert.True(plan.Adaptive);
        Assert.Empty(plan.Variables);
        Assert.Null(plan.Requested);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("4,x")]
    public void AnOpenMpThreadCountOpenMpCannotReadIsRemovedBeforeItLoadsAndNamed(string value)
    {
        // libgomp would print "Invalid value for environment variable OMP_NUM_THREADS" on stderr and go on with its default.
        var plan = Plan(new() { ["OMP_NUM_THREADS"] = value }, native: []);
        Assert.Equal(["OMP_NUM_THREADS"], plan.Unset);
        Assert.Empty(plan.Variables);
        Assert.True(plan.Adaptive);
        Assert.Equal([$"OMP_NUM_THREADS is \"{value}\", which OpenMP cannot read, so it was removed; set it to a whole number of "
                      + "threads (for example 1) or remove it."], plan.Notes);
    }

    [Fact]
    public void ABadOpenMpCountLetsAGoodWorkbookCountApply()
    {
        var plan = Plan(new() { ["OMP_NUM_THREADS"] = "many", ["DLWORKBOOK_THREADS"] = "2" });
        Assert.Equal(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "2" }, plan.Variables);
        Assert.Equal(["OMP_NUM_THREADS"], plan.Unset);
        Assert.Equal(2, plan.Requested);
    }

    [Fact]
    public void OpenMpsNestedFormGivesLibtorchTheFirstLevel()
    {
        var plan = Plan(new() { ["OMP_NUM_THREADS"] = "4,2" });
        Assert.Equal(4, plan.Requested);
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void MoreThreadsThanCoresAreCappedAndSaidSo()
    {
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = "1000" }, cores: 2);
        Assert.Equal(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "2" }, plan.Variables);
        Assert.Equal(2, plan.Requested);
        Assert.Equal("2 intra-op threads (DLWORKBOOK_THREADS)", plan.Summary);
        Assert.Equal(["DLWORKBOOK_THREADS=1000 is more threads than this machine's 2 cores, so 2 are used."], plan.Notes);
    }

    [Fact]
    public void TheCountInForceIsPartOfWhatHolds()
    {
        var plan = Plan(new() { ["OMP_NUM_THREADS"] = "1000" }, cores: 2) with { InForce = 2 };
        Assert.Equal(1000, plan.Requested);   // OpenMP's own variable is the learner's: not capped, and what runs is said
        Assert.Equal("OMP_NUM_THREADS=1000 as set (2 threads in force)", plan.ToString());
    }

    [Fact]
    public void AfterATorchCallCameFirstTheCountIsStillAppliedAndEveryOtherVariableIsNamed()
    {
        var plan = ThreadSettings.AfterOpenMpLoaded(Plan(new() { ["DLWORKBOOK_THREADS"] = "1", ["OMP_WAIT_POLICY"] = "PASSIVE" }, native: []));
        Assert.Empty(plan.Variables);
        Assert.Equal(1, plan.Requested);      // set with torch.set_num_threads once loaded
        Assert.Equal(["OMP_WAIT_POLICY=PASSIVE came after libtorch had loaded (a torch call came first), so OpenMP never read it; "
                      + "set it before the first torch call, or in the shell that starts the program or VS Code."], plan.Notes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AnEmptyVariableCountsAsUnset(string value)
    {
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = value, ["OMP_WAIT_POLICY"] = value, ["GOMP_SPINCOUNT"] = value });
        Assert.Empty(plan.Variables);
        Assert.True(plan.Adaptive);
    }

    [Fact]
    public void AValueSetOnlyThroughDotNetIsPassedOnToTheNativeEnvironment()
    {
        // Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE") in a program: .NET has it, libgomp would not.
        var plan = Plan(new() { ["OMP_WAIT_POLICY"] = "PASSIVE", ["OMP_NUM_THREADS"] = "2" }, native: new() { ["OMP_NUM_THREADS"] = "2" });
        Assert.Equal(new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "PASSIVE" }, plan.Variables);
    }

    [Fact]
    public void DotNetOnlyValuesArePassedOnEvenWhenTheWorkbookStandsAside()
    {
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = "libtorch", ["GOMP_SPINCOUNT"] = "5" }, native: []);
        Assert.Equal(new Dictionary<string, string> { ["GOMP_SPINCOUNT"] = "5" }, plan.Variables);
    }

    [Theory]
    [InlineData("WINDOWS")]
    [InlineData("OSX")]
    public void WindowsAndMacOSAdaptFromTheirOwnCounters(string os)
    {
        var platform = OSPlatform.Create(os);
        var plan = Plan([], platform);
        Assert.Empty(plan.Variables);
        Assert.True(plan.Adaptive);
        // OMP_NUM_THREADS is standard OpenMP, read by Intel's and LLVM's runtimes as well.
        Assert.Equal(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" }, Plan(new() { ["DLWORKBOOK_THREADS"] = "1" }, platform).Variables);
    }

    [Fact]
    public void ElsewhereLibTorchKeepsItsOwnThreadCount()
    {
        var plan = Plan([], OSPlatform.FreeBSD);
        Assert.False(plan.Adaptive);
        Assert.Equal("libtorch's own thread count (this system's CPU load cannot be read)", plan.Summary);
    }

    static CpuReading At(double seconds, double machine, double own) => new(DateTime.UnixEpoch.AddSeconds(seconds), machine, own);

    [Fact]
    public void TheGovernorDecidesFromInjectedReadings()
    {
        var readings = new Queue<CpuReading?>([
            At(0, 100, 10),      // first reading: only starts measuring
            At(0.2, 100.4, 10.4), // too soon to judge
            At(2, 104, 14),      // 4 s busy on the machine, 4 s ours: idle otherwise -> libtorch's 2
            At(4, 108, 16),      // 4 s busy, 2 s ours: one core of others -> 1
            At(6, 112, 18.9),    // 4 s busy, 2.9 s ours: 0.55 core of others -> rounds to one fewer
            null,                // counters unreadable: keep the count
            At(8, 115, 21.6),    // 3 s busy, 2.7 s ours since the last reading that worked: 0.15 core -> 2
        ]);
        var governor = new LoadGovernor(() => readings.Dequeue());
        Assert.Equal([null, null, 2, 1, 1, null, 2], Enumerable.Range(0, 7).Select(_ => governor.Next(2)).ToArray());
    }

    [Fact]
    public void WindowsSystemTimesAreBusyKernelPlusUserLessIdle() =>
        // FILETIME units of 100 ns; Windows' kernel time includes idle time.
        Assert.Equal(3.5, CpuTicks.FromSystemTimes(idle: 20_000_000, kernel: 30_000_000, user: 25_000_000), 9);

    [Fact]
    public void MacOSCpuLoadIsUserSystemAndNiceTicks() =>
        Assert.Equal(2.5, CpuTicks.FromCpuLoadInfo(user: 150, system: 90, nice: 10, ticksPerSecond: 100), 9);

    [Fact]
    public void ThisSystemsCountersGiveAReading()
    {
        // Linux here; the same call reads GetSystemTimes on Windows and host_statistics on macOS (the hosted CI legs).
        var first = CpuTicks.Read();
        Assert.NotNull(first);
        // Busy for a while (however little CPU a loaded machine gives this process), then read again.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        CpuReading second;
        do
        {
            Thread.SpinWait(1_000_000);
            second = CpuTicks.Read()!.Value;
        } while ((second.OwnSeconds - first.Value.OwnSeconds < 0.05 || clock.Elapsed < TimeSpan.FromSeconds(1))
                 && clock.Elapsed < TimeSpan.FromSeconds(20));
        Assert.True(second.OwnSeconds - first.Value.OwnSeconds >= 0.05, "this process's CPU time did not advance");
        var busy = second.MachineBusySeconds - first.Value.MachineBusySeconds;
        Assert.True(busy >= 0.04, $"the machine's busy time advanced {busy} s while this process alone used 0.05 s");
        // Seconds, not ticks or 100 ns units: about every core busy the whole time at most (a virtual machine's counters
        // can run ahead of the clock for a moment when its host is busy, hence the factor 2).
        var seconds = (second.At - first.Value.At).TotalSeconds;
        Assert.True(busy <= 2 * Environment.ProcessorCount * seconds + 0.1, $"{busy} s busy in {seconds} s on {Environment.ProcessorCount} cores");
    }

    [Fact]
    public void SetNativeReachesTheEnvironmentLibgompReads()
    {
        var name = "DLWORKBOOK_TEST_" + Guid.NewGuid().ToString("N");
        Assert.Null(ThreadSettings.NativeValue(name));
        ThreadSettings.SetNative(name, "42");
        Assert.Equal("42", ThreadSettings.NativeValue(name));
        Assert.Equal("42", Environment.GetEnvironmentVariable(name));
        ThreadSettings.SetNative(name, null);
        Assert.Null(ThreadSettings.NativeValue(name));
        Assert.Null(Environment.GetEnvironmentVariable(name));
    }
}

/// <summary>The cache folder outside a workbook clone: where each system keeps caches.</summary>
public class CacheFolderTests
{
    static string Folder(Environment.SpecialFolder folder) => folder switch
    {
        Environment.SpecialFolder.LocalApplicationData => @"C:\Users\ada\AppData\Local",
        Environment.SpecialFolder.UserProfile => "/home/ada",
        _ => throw new ArgumentOutOfRangeException(nameof(folder)),
    };

    [Fact]
    public void WindowsUsesLocalAppData() =>
        Assert.Equal(Path.Join(@"C:\Users\ada\AppData\Local", "dlworkbook"), CacheFolder.For(OSPlatform.Windows, Folder, _ => null));

    [Fact]
    public void MacOSUsesLibraryCaches() =>
        Assert.Equal(Path.Join("/home/ada", "Library", "Caches", "dlworkbook"), CacheFolder.For(OSPlatform.OSX, Folder, _ => null));

    [Fact]
    public void LinuxUsesXdgCacheHomeElseDotCache()
    {
        Assert.Equal(Path.Join("/home/ada", ".cache", "dlworkbook"), CacheFolder.For(OSPlatform.Linux, Folder, _ => null));
        Assert.Equal(Path.Join("/var/cache/ada", "dlworkbook"),
            CacheFolder.For(OSPlatform.Linux, Folder, name => name == "XDG_CACHE_HOME" ? "/var/cache/ada" : null));
        Assert.Equal(Path.Join("/home/ada", ".cache", "dlworkbook"),   // a relative XDG_CACHE_HOME is invalid by the spec
            CacheFolder.For(OSPlatform.Linux, Folder, name => name == "XDG_CACHE_HOME" ? "cache" : null));
    }
}
