using NotebookRunner;
using Cli = WorkbookTool.Cli;
using Steps = WorkbookTool.Steps;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>
/// What README's test command runs once before <c>dotnet test</c> and the tests read: every notebook executed in quick
/// mode in both hosts, and every notebook's plain C# program run in quick mode (tools/Workbook, Steps.RunTestNotebooks).
/// A copy is used only when its run record says it is a finished run of the notebook as it is now, in that host,
/// against the library build in packages/; otherwise the test fails naming the command that makes a fresh one.
/// </summary>
static class TestRunOutputs
{
    /// <summary>README's test command.</summary>
    public static string Command => $"{Cli.Usage} test";

    /// <summary>What to do about a missing or stale copy or program run.</summary>
    public static string Fix =>
        $"The tests read the notebooks and programs that README's test command runs before them: run `{Command}`.";

    /// <summary>The notebooks of the workbook, by file name, in order.</summary>
    public static IReadOnlyList<string> Notebooks { get; } =
        Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb").Select(f => Path.GetFileName(f)).Where(n => !n.StartsWith('.'))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>The folder of the executed copies from <paramref name="host"/>.</summary>
    public static string NotebookFolder(NotebookHost host) =>
        Path.Combine(RepoPaths.Root, Steps.TestNotebooksOut + (host == NotebookHost.Repl ? "-repl" : ""));

    /// <summary>The folder of the programs and their run records.</summary>
    public static string ProgramFolder => Path.Combine(RepoPaths.Root, Steps.TestProgramsOut);

    /// <summary>
    /// The executed copy of <paramref name="notebook"/> (a file name in notebooks/) from <paramref name="host"/>, after
    /// checking that it is a finished run of the notebook as it is now against the library in packages/.
    /// </summary>
    public static string ExecutedCopy(string notebook, NotebookHost host)
    {
        NotebookSmokeTests.AssertPackageIsFresh();
        var copy = Path.Combine(NotebookFolder(host), notebook);
        var stale = RunRecord.StaleBecause(copy, Path.Combine(RepoPaths.Notebooks, notebook), host, quick: true,
            RunRecord.PackedLibrary(RepoPaths.Root));
        Assert.True(stale is null, $"{stale}. {Fix}");
        return copy;
    }
}
