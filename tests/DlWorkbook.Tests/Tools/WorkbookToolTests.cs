using System.Reflection;
using System.Runtime.InteropServices;
using DlWorkbook.Runtime;
using WorkbookTool;

namespace DlWorkbook.Tests.Tools;

public class InvocationTests
{
    [Fact]
    public void SetupTakesQuickAndPassesEverythingElseToTheNotebookRunner()
    {
        var invocation = Invocation.Parse(Commands.Setup, ["--quick", "--timeout", "600", "--host", "dotnet-interactive"]);
        Assert.True(invocation.Quick);
        Assert.Equal(["--out", "out/notebooks", "--quick", "--timeout", "600", "--host", "dotnet-interactive"],
            Steps.NotebookRunnerArguments(invocation));
    }

    [Fact]
    public void AFullSetupRunsTheRunnerWithoutQuick() =>
        Assert.Equal(["--out", "out/notebooks"], Steps.NotebookRunnerArguments(Invocation.Parse(Commands.Setup, [])));

    [Fact]
    public void TestPassesEveryArgumentToDotnetTest()
    {
        var invocation = Invocation.Parse(Commands.Test, ["--filter", "Runtime", "--quick"]);
        Assert.False(invocation.Quick);
        Assert.Equal(["--filter", "Runtime", "--quick"], invocation.PassThrough);
    }

    [Fact]
    public void DotnetTestUsesTheBuildTheNotebooksStepMadeUnlessAskedForAnother()
    {
        Assert.Equal([["test", "DlWorkbook.sln", "-nologo", "--no-build", "--logger", "trx", "--results-directory", "out/test-results", "--filter", "Runtime"]],
            Steps.DotnetTestRuns(Invocation.Parse(Commands.Test, ["--filter", "Runtime"])));
        Assert.Equal([["test", "DlWorkbook.sln", "-nologo", "--logger", "trx", "--results-directory", "out/test-results", "-c", "Release"]],
            Steps.DotnetTestRuns(Invocation.Parse(Commands.Test, ["-c", "Release"])));
    }

    [Fact]
    public void APlainTestRunPutsTheTestsThatRunAloneInAProcessOfTheirOwnBesideTheOthers() =>
        Assert.Equal(
        [
            ["test", "DlWorkbook.sln", "-nologo", "--no-build", "--logger", "trx", "--results-directory", "out/test-results/alone",
             "--filter", "Runs=alone", "--blame-hang-timeout", "20m"],
            ["test", "DlWorkbook.sln", "-nologo", "--no-build", "--logger", "trx", "--results-directory", "out/test-results/others",
             "--filter", "Runs!=alone", "--blame-hang-timeout", "20m"],
        ], Steps.DotnetTestRuns(Invocation.Parse(Commands.Test, ["--blame-hang-timeout", "20m"])));

    /// <summary>The test command's filter finds exactly the serial collection: a class in it without the trait would run
    /// beside other tests in their process, one with the trait outside it would lose its parallelism.</summary>
    [Fact]
    public void EveryClassOfTheSerialCollectionAndNoOtherCarriesTheTraitTheTestCommandFiltersOn()
    {
        static bool InSerial(Type type) => type.GetCustomAttributesData().Any(a =>
            a.AttributeType == typeof(CollectionAttribute) && (string?)a.ConstructorArguments[0].Value == SerialCollection.Name);
        static bool Alone(Type type) => type.GetCustomAttributesData().Any(a =>
            a.AttributeType == typeof(TraitAttribute) && a.ConstructorArguments.Select(c => (string?)c.Value)
                .SequenceEqual([Steps.AloneTraitName, Steps.AloneTraitValue]));
        var classes = typeof(SerialCollection).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract).ToList();

        Assert.Equal(classes.Where(InSerial).Select(t => t.Name).Order(), classes.Where(Alone).Select(t => t.Name).Order());
        Assert.True(classes.Count(InSerial) >= 20, $"only {classes.Count(InSerial)} classes found in the serial collection");
    }

    [Fact]
    public void TheRunsOfTheTestCommandWaitPassivelyForWorkUnlessAPolicyIsSet()
    {
        var workspace = new Workspace("repo", new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" });

        var passive = Steps.WithPassiveWaiting(workspace, _ => null);
        var chosen = Steps.WithPassiveWaiting(workspace, name => name == "OMP_WAIT_POLICY" ? "ACTIVE" : null);

        Assert.Equal(new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["OMP_WAIT_POLICY"] = "PASSIVE" }, passive.Environment);
        Assert.Same(workspace, chosen);
    }

    [Fact]
    public void PackRefusesArguments() =>
        Assert.Equal("Unrecognized command or argument '--quick'.",
            Assert.Throws<ArgumentException>(() => Invocation.Parse(Commands.PackLibrary, ["--quick"])).Message);

    [Fact]
    public void ProgressTakesResetAndNothingElse()
    {
        Assert.True(Invocation.Parse(Commands.ShowProgress, ["--reset"]).Has(Flag.Reset));
        Assert.False(Invocation.Parse(Commands.ShowProgress, []).Has(Flag.Reset));
        Assert.Equal("Unrecognized command or argument '--bogus'.",
            Assert.Throws<ArgumentException>(() => Invocation.Parse(Commands.ShowProgress, ["--bogus"])).Message);
    }

    [Fact]
    public void ADashDashPassesWhatFollowsOnAsItIs() =>
        Assert.Equal(["--timeout", "600", "--quick"], Invocation.Parse(Commands.Setup, ["--timeout", "600", "--", "--quick"]).PassThrough);

    [Fact]
    public void AnUnknownCommandIsNamedAndTheCommandsListedWithExitCodeTwo()
    {
        var error = new StringWriter();
        Assert.Equal(2, Cli.Run(["bogus"], new Workspace(Path.GetTempPath(), new Dictionary<string, string>()), TextWriter.Null, error));
        Assert.Contains("Unrecognized command or argument 'bogus'.", error.ToString());
        foreach (var command in Commands.All) Assert.Contains($"  {command.Name} ", error.ToString());
    }
}

public class CommandStepTests
{
    [Fact]
    public void SetupChecksThePlatformFirstThenWritesTheProgramsRunsTheNotebooksChecksTheirProseAndBuildsTheSite() =>
        Assert.Equal(["platform", "libstdc++", "tools", "pack", "natives", "apps", "notebooks", "prose", "site"], Commands.Setup.Steps.Select(s => s.Name));

    [Fact]
    public void TestPreparesLikeSetupRunsTheNotebooksAndProgramsOnceThenRunsTheTests() =>
        Assert.Equal(["platform", "libstdc++", "tools", "pack", "natives", "notebooks", "tests"], Commands.Test.Steps.Select(s => s.Name));

    [Fact]
    public void EveryCommandIsListedByName() =>
        Assert.Equal(["setup", "test", "pack", "prepare", "progress"], Commands.All.Select(c => c.Name));

    [Fact]
    public void PrepareDoesWhatANotebookNeedsWithoutRunningNotebooks() =>
        Assert.Equal(["platform", "libstdc++", "pack", "natives", "data"], Commands.PrepareOnly.Steps.Select(s => s.Name));
}

public class PlatformCheckTests
{
    [Theory]
    [InlineData("Linux", Architecture.X64)]
    [InlineData("Windows", Architecture.X64)]
    [InlineData("OSX", Architecture.Arm64)]
    public void TheThreeSupportedPlatformsPass(string os, Architecture architecture) =>
        Assert.Null(Checks.PlatformProblem(OSPlatform.Create(os), architecture, architecture));

    [Fact]
    public void AnIntelMacGetsTheLibrarysMessageNamingItAndTheAlternatives()
    {
        var message = Checks.PlatformProblem(OSPlatform.OSX, Architecture.X64, Architecture.X64);
        Assert.Equal(NativeLayout.UnsupportedMessage(OSPlatform.OSX, Architecture.X64, Architecture.X64), message);
        Assert.StartsWith("The workbook cannot run on macOS on x64 (an Intel Mac): ", message);
    }

    [Fact]
    public void WindowsOnArmIsUnsupported() =>
        Assert.StartsWith("The workbook cannot run on Windows on arm64: ",
            Checks.PlatformProblem(OSPlatform.Windows, Architecture.Arm64, Architecture.Arm64));
}

public sealed class PackTests : IDisposable
{
    readonly string cache = Directory.CreateTempSubdirectory("dlw-cache-").FullName;

    public void Dispose() => Directory.Delete(cache, recursive: true);

    [Fact]
    public void EveryPackGetsAUtcTimestampVersion() =>
        Assert.Equal("0.1.0-local.20261130024405", Pack.VersionAt(new DateTime(2026, 11, 30, 2, 44, 5, DateTimeKind.Utc)));

    [Fact]
    public void TheCacheKeepsTheNewestThreeBuilds()
    {
        string[] versions = ["0.1.0-local.20261130024405", "0.1.0-dev", "0.1.0-local.20261129235959", "0.1.0-local.20261130100000", "0.1.0-local.20261130024406"];
        foreach (var v in versions) Directory.CreateDirectory(Path.Combine(cache, v, "lib"));
        var removed = Pack.PruneCache(cache, keep: 3);
        Assert.Equal(["0.1.0-dev", "0.1.0-local.20261129235959"], removed.Select(Path.GetFileName));
        Assert.Equal(["0.1.0-local.20261130024405", "0.1.0-local.20261130024406", "0.1.0-local.20261130100000"],
            Directory.GetDirectories(cache).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AMissingCacheFolderIsLeftAlone() => Assert.Empty(Pack.PruneCache(Path.Combine(cache, "dlworkbook"), keep: 3));
}

public sealed class TestCountsTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("dlw-trx-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    void Trx(string name, int passed, int failed) => File.WriteAllText(Path.Combine(folder, name), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <ResultSummary outcome="{(failed > 0 ? "Failed" : "Completed")}">
            <Counters total="{passed + failed}" executed="{passed + failed}" passed="{passed}" failed="{failed}" error="0" timeout="0" aborted="0" inconclusive="0" />
          </ResultSummary>
        </TestRun>
        """);

    [Fact]
    public void CountsAreSummedOverEveryTestProject()
    {
        Trx("a.trx", passed: 190, failed: 2);
        Trx("b.trx", passed: 6, failed: 0);
        Assert.Equal(new TestCounts(196, 2), TestCounts.Read(folder));
    }

    [Fact]
    public void NoResultFileMeansTheRunDidNotHappen() => Assert.Null(TestCounts.Read(folder));
}

public sealed class RestoredTorchSharpTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("dlw-assets-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ThePackagesFolderAndTorchSharpVersionComeFromTheAssetsFile()
    {
        var assets = Path.Combine(folder, "project.assets.json");
        File.WriteAllText(assets, """
            {"version":3,"libraries":{"Deedle/8.1.0":{},"TorchSharp/0.107.0":{},"TorchSharp-cpu/0.107.0":{}},
             "packageFolders":{"/home/learner/.nuget/packages/":{}}}
            """);
        Assert.Equal(("/home/learner/.nuget/packages/", "0.107.0"), Checks.RestoredTorchSharp(assets));
    }

    [Fact]
    public void AnUnrestoredLibraryNamesTheFix()
    {
        var assets = Path.Combine(folder, "project.assets.json");
        var e = Assert.Throws<TorchNativeException>(() => Checks.RestoredTorchSharp(assets));
        Assert.Equal($"{assets} is missing: the course library was not restored. Fix: run `dotnet run --project tools/Workbook -- setup`.", e.Message);
    }
}
