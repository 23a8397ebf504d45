using NotebookRunner;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>
/// Every notebooks/*.ipynb as README's test command ran it before the tests, in quick mode in both hosts —
/// dotnet-interactive (the kernel VS Code runs) and dotnet-repl, where every code cell ran twice in a row: fails with the notebook, cell number and text of any
/// error, standard error output or compiler warning, on any saved output that refers to an external address, and on a
/// copy that is missing or stale (see <see cref="TestRunOutputs"/>).
/// </summary>
public class NotebookSmokeTests
{
    public static TheoryData<string, NotebookHost> Notebooks()
    {
        var data = new TheoryData<string, NotebookHost>();
        foreach (var name in TestRunOutputs.Notebooks)
        foreach (var host in new[] { NotebookHost.Interactive, NotebookHost.Repl })
            data.Add(name, host);
        return data;
    }

    [Fact]
    public void TheWorkbookHasNotebooks() => Assert.NotEmpty(Notebooks());

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void RunsCleanInQuickMode(string notebook, NotebookHost host)
    {
        var copy = TestRunOutputs.ExecutedCopy(notebook, host);
        var record = RunRecord.Read(copy)!;
        Assert.True(record.Passed, string.Join("\n", record.Failures));
        // dotnet-repl's run is also the re-run test: every code cell can be run again as it stands.
        Assert.True(record.EachCellTwice == (host == NotebookHost.Repl),
            $"{notebook} in {record.Host} was {(record.EachCellTwice ? "" : "not ")}run with each cell twice. {TestRunOutputs.Fix}");
        // The record holds what only the run could see (compiler warnings, the kernel process's standard error);
        // the copy itself must show no error or standard error either.
        Assert.Empty(NotebookRun.Check(copy, notebook));
        Site.OfflineOutputs.AssertNoExternalUrls(copy);
    }

    /// <summary>A notebook must never run against a package older than the library sources.</summary>
    internal static void AssertPackageIsFresh()
    {
        var package = Directory.GetFiles(RepoPaths.Packages, "DlWorkbook.*.nupkg").Select(f => new FileInfo(f))
            .OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault();
        Assert.True(package is not null, "No DlWorkbook package in packages/. Run `dotnet run --project tools/Workbook -- pack` (the test command does it).");
        var newestSource = Directory.GetFiles(Path.Combine(RepoPaths.Root, "lib"), "*.cs*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => new FileInfo(f)).MaxBy(f => f.LastWriteTimeUtc)!;
        Assert.True(package.LastWriteTimeUtc >= newestSource.LastWriteTimeUtc,
            $"packages/{package.Name} is older than {Path.GetRelativePath(RepoPaths.Root, newestSource.FullName)}. " +
            "Run `dotnet run --project tools/Workbook -- pack` so the notebooks test the current library.");
    }
}
