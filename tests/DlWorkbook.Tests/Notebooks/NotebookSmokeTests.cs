using NotebookRunner;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>
/// Runs every notebooks/*.ipynb headless in quick mode in both hosts — dotnet-interactive (the kernel VS Code
/// runs) and dotnet-repl — and fails with the notebook, cell number and text of any error, standard error
/// output or compiler warning, and on any saved output that refers to an external address. Needs the course
/// package packed (the test command does it).
/// </summary>
public class NotebookSmokeTests
{
    public static TheoryData<string, NotebookHost> Notebooks()
    {
        var data = new TheoryData<string, NotebookHost>();
        foreach (var name in Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb").Select(f => Path.GetFileName(f))
                                      .Where(name => !name.StartsWith('.')).Order())
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
        AssertPackageIsFresh();
        var result = NotebookRun.Execute(
            Path.Combine(RepoPaths.Notebooks, notebook),
            Path.Combine(RepoPaths.Root, "out", "smoke", host.ToString().ToLowerInvariant()),
            quick: true,
            // Generous: a busy machine (other builds beside the tests) can make a quick notebook take minutes.
            timeout: TimeSpan.FromMinutes(10),
            host,
            cellTimeout: TimeSpan.FromMinutes(5));
        Assert.True(result.Passed, string.Join("\n", result.Failures));
        Site.OfflineOutputs.AssertNoExternalUrls(result.ExecutedCopy);
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
