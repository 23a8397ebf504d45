using System.Runtime.InteropServices;
using DlWorkbook.Runtime;

namespace DlWorkbook.Tests.Runtime;

/// <summary>Which variables the workbook sets before libtorch loads, and when the learner's own settings win.</summary>
public class ThreadSettingsTests
{
    // The environment as .NET sees it and as libgomp sees it; by default the two agree.
    static ThreadPlan Plan(Dictionary<string, string> environment, OSPlatform? os = null, Dictionary<string, string>? native = null) =>
        ThreadSettings.Plan(name => environment.GetValueOrDefault(name), name => (native ?? environment).GetValueOrDefault(name),
            os ?? OSPlatform.Linux);

    [Fact]
    public void OnLinuxWithNothingSetTheSpinCountIsLimited()
    {
        var plan = Plan([]);
        Assert.Equal(new Dictionary<string, string> { ["GOMP_SPINCOUNT"] = "10000" }, plan.Variables);
        Assert.Equal(ThreadSettings.DefaultSpinCount, plan.Variables["GOMP_SPINCOUNT"]);
        Assert.Equal("GOMP_SPINCOUNT=10000, the workbook's default", plan.Summary);
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
        Assert.Equal($"{name}={value} as set", plan.Summary);
    }

    [Fact]
    public void AThreadCountFromTheEnvironmentIsLeftAndTheSpinCountStillApplies()
    {
        var plan = Plan(new() { ["OMP_NUM_THREADS"] = "1" });
        Assert.Equal(new Dictionary<string, string> { ["GOMP_SPINCOUNT"] = "10000" }, plan.Variables);
    }

    [Theory]
    [InlineData("libtorch")]
    [InlineData("LibTorch")]
    [InlineData(" libtorch ")]
    public void LibTorchValueSetsNothing(string value)
    {
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = value });
        Assert.Empty(plan.Variables);
        Assert.Equal("DLWORKBOOK_THREADS=libtorch: libtorch's own thread settings", plan.Summary);
    }

    [Fact]
    public void AWorkbookThreadCountBecomesOmpNumThreads()
    {
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = "1" });
        Assert.Equal(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1", ["GOMP_SPINCOUNT"] = "10000" }, plan.Variables);
        Assert.Equal("1 intra-op thread (DLWORKBOOK_THREADS); GOMP_SPINCOUNT=10000, the workbook's default", plan.Summary);
    }

    [Fact]
    public void OmpNumThreadsWinsOverTheWorkbookVariable()
    {
        var plan = Plan(new() { ["DLWORKBOOK_THREADS"] = "2", ["OMP_NUM_THREADS"] = "4" });
        Assert.Equal(new Dictionary<string, string> { ["GOMP_SPINCOUNT"] = "10000" }, plan.Variables);
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
        Assert.Equal(new Dictionary<string, string> { ["GOMP_SPINCOUNT"] = "10000" }, plan.Variables);
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
    public void ElsewhereTheWaitSettingIsLeftToTheOpenMpRuntime(string os)
    {
        var platform = OSPlatform.Create(os);
        var plan = Plan([], platform);
        Assert.Empty(plan.Variables);
        Assert.Equal("no wait setting: the workbook's default is measured for libgomp on Linux only", plan.Summary);
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
