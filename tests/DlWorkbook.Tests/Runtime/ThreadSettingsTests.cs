using System.Runtime.InteropServices;
using DlWorkbook.Runtime;

namespace DlWorkbook.Tests.Runtime;

/// <summary>Which variables the workbook sets before libtorch loads, when it adapts the thread count, and when the learner's own settings win.</summary>
public class ThreadSettingsTests
{
    // The environment as .NET sees it and as libgomp sees it; by default the two agree.
    static ThreadPlan Plan(Dictionary<string, string> environment, OSPlatform? os = null, Dictionary<string, string>? native = null) =>
        ThreadSettings.Plan(name => environment.GetValueOrDefault(name), name => (native ?? environment).GetValueOrDefault(name),
            os ?? OSPlatform.Linux);

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
    public void ABadWorkbookValueIsNamedWithTheFix(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => Plan(new() { ["DLWORKBOOK_THREADS"] = value }));
        Assert.Equal(
            $"DLWORKBOOK_THREADS is \"{value}\": set it to a whole number of threads (for example 1) or to \"libtorch\" "
            + "to keep libtorch's own settings, or remove it for the workbook's default.", e.Message);
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
    public void ElsewhereLibTorchKeepsItsOwnThreadCount(string os)
    {
        var platform = OSPlatform.Create(os);
        var plan = Plan([], platform);
        Assert.Empty(plan.Variables);
        Assert.False(plan.Adaptive);
        Assert.Equal("libtorch's own thread count (fewer threads on a busy machine needs Linux's /proc)", plan.Summary);
        // OMP_NUM_THREADS is standard OpenMP, read by Intel's and LLVM's runtimes as well.
        Assert.Equal(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" }, Plan(new() { ["DLWORKBOOK_THREADS"] = "1" }, platform).Variables);
    }

    [Fact]
    public void SetNativeReachesTheEnvironmentLibgompReads()
    {
        var name = "DLWORKBOOK_TEST_" + Guid.NewGuid().ToString("N");
        Assert.Null(ThreadSettings.NativeValue(name));
        ThreadSettings.SetNative(name, "42");
        Assert.Equal("42", ThreadSettings.NativeValue(name));
        Assert.Equal("42", Environment.GetEnvironmentVariable(name));
    }
}
