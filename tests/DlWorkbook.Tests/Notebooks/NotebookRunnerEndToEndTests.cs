using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookRunner;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>
/// The runner against the real hosts (dotnet-interactive and dotnet-repl from the tool manifest), with small
/// notebooks that fail on purpose: a throwing cell, a cell writing to standard error, a cell that kills the
/// kernel process and a cell that sleeps past its limit; and the run record each copy carries, with a runner stopped
/// halfway. Plain C# only, so no package is needed.
/// </summary>
public class NotebookRunnerEndToEndTests
{
    static string Notebook(params string[] sources)
    {
        var cells = new JsonArray();
        foreach (var source in sources)
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                ["outputs"] = new JsonArray(),
                ["source"] = source,
            });
        var notebook = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = JsonNode.Parse("""
                {"kernelspec":{"display_name":".NET (C#)","language":"C#","name":".net-csharp"},"language_info":{"name":"polyglot-notebook"}}
                """),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(Directory.CreateTempSubdirectory("dlw-e2e-").FullName, "probe.ipynb");
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    static NotebookResult Run(string notebook, NotebookHost host, TimeSpan? notebookLimit = null, TimeSpan? cellLimit = null) =>
        NotebookRun.Execute(notebook, Path.Combine(Path.GetDirectoryName(notebook)!, "out"), quick: true,
            notebookLimit ?? TimeSpan.FromMinutes(5), host, cellLimit ?? TimeSpan.FromMinutes(3));

    static JsonArray Outputs(NotebookResult result, int cell) =>
        NotebookDocument.Load(result.ExecutedCopy).Cells[cell - 1]!["outputs"]!.AsArray();

    [Fact]
    public void AThrowingCellAndACellWritingToStandardErrorFailWithTheirCellNumbersAndText()
    {
        var notebook = Notebook(
            "Console.WriteLine(\"fine\");",
            "throw new InvalidOperationException(\"boom from cell 2\");",
            "Console.Error.WriteLine(\"careful from cell 3\");");

        var result = Run(notebook, NotebookHost.Interactive);

        Assert.Equal([2, 3], result.Failures.Select(f => f.Cell));
        Assert.Contains("boom from cell 2", result.Failures[0].Message);
        Assert.Equal("wrote to standard error: careful from cell 3", result.Failures[1].Message);
        Assert.Equal("fine\n", string.Concat(Outputs(result, 1)[0]!["text"]!.AsArray().Select(l => l!.GetValue<string>())));

        // The copy records what produced it and how the run ended; it stands for the notebook only while nothing changed.
        var record = RunRecord.Read(result.ExecutedCopy)!;
        var library = RunRecord.PackedLibrary(NotebookRun.ToolManifestRoot());
        Assert.Equal(("dotnet-interactive", true, library), (record.Host, record.Quick, record.Library));
        Assert.Equal(result.Failures, record.Failures);
        Assert.Null(RunRecord.StaleBecause(result.ExecutedCopy, notebook, NotebookHost.Interactive, quick: true, library));
        Assert.Equal($"{result.ExecutedCopy} was run in dotnet-interactive, not dotnet-repl",
            RunRecord.StaleBecause(result.ExecutedCopy, notebook, NotebookHost.Repl, quick: true, library));
        Assert.Equal($"{result.ExecutedCopy} was run against the course library build {library ?? "(none)"}, but packages/ holds 9.9.9",
            RunRecord.StaleBecause(result.ExecutedCopy, notebook, NotebookHost.Interactive, quick: true, "9.9.9"));
        File.AppendAllText(notebook, " ");
        Assert.Equal($"{result.ExecutedCopy} was run from an earlier version of {notebook}",
            RunRecord.StaleBecause(result.ExecutedCopy, notebook, NotebookHost.Interactive, quick: true, library));
    }

    [Fact]
    public void AThrowingCellFailsUnderDotnetReplWithItsCellNumberAndText()
    {
        var notebook = Notebook("Console.WriteLine(\"fine\");", "throw new InvalidOperationException(\"boom from cell 2\");");

        var result = Run(notebook, NotebookHost.Repl);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(2, failure.Cell);
        Assert.Contains("boom from cell 2", failure.Message);
        var record = RunRecord.Read(result.ExecutedCopy)!;
        Assert.Equal("dotnet-repl", record.Host);
        Assert.Equal([failure], record.Failures);
        Assert.Null(RunRecord.StaleBecause(result.ExecutedCopy, notebook, NotebookHost.Repl, quick: true, record.Library));
    }

    [Theory]
    [InlineData(NotebookHost.Interactive)]
    [InlineData(NotebookHost.Repl)]
    public void EachCellTwiceRunsEveryCellAgainKeepsTheSecondOutputsAndNamesASecondRunThatFails(NotebookHost host)
    {
        var notebook = Notebook(
            "var runs = new List<int>();",
            "runs.Add(runs.Count); Console.WriteLine($\"cell 2 has run {runs.Count} times\");",
            "runs.Add(0); if (runs.Count > 3) throw new InvalidOperationException(\"this cell assumes it runs once\");");

        var result = NotebookRun.Execute(notebook, Path.Combine(Path.GetDirectoryName(notebook)!, "out"), quick: true,
            TimeSpan.FromMinutes(5), host, TimeSpan.FromMinutes(3), eachCellTwice: true);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(3, failure.Cell);
        Assert.StartsWith("run a second time (as a learner who runs the cell again): ", failure.Message);
        Assert.Contains("this cell assumes it runs once", failure.Message);
        var copy = NotebookDocument.Load(result.ExecutedCopy);
        Assert.Equal(3, copy.Cells.Count);
        Assert.Equal("cell 2 has run 2 times\n", string.Concat(Outputs(result, 2)[0]!["text"]!.AsArray().Select(l => l!.GetValue<string>())));
        var record = RunRecord.Read(result.ExecutedCopy)!;
        Assert.True(record.EachCellTwice);
        Assert.Equal([failure], record.Failures);
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(result.ExecutedCopy)!, ".each-cell-twice")));
    }

    [Fact]
    public void AKernelThatDiesFailsWithTheCellAndItsLastOutputAndTheCopyKeepsTheOutputsSoFar()
    {
        var notebook = Notebook(
            "Console.WriteLine(\"before the crash\");",
            "Console.WriteLine(\"about to abort\"); Environment.FailFast(\"simulated native abort\");",
            "Console.WriteLine(\"never\");");

        var result = Run(notebook, NotebookHost.Interactive);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(2, failure.Cell);
        Assert.Contains("the kernel died while running this cell", failure.Message);
        Assert.Contains("about to abort", failure.Message);
        Assert.Contains("simulated native abort", failure.Message);
        Assert.Equal("before the crash\n", string.Concat(Outputs(result, 1)[0]!["text"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.Empty(Outputs(result, 3));
    }

    [Fact]
    public void AKernelThatDiesUnderDotnetReplFailsInsteadOfHanging()
    {
        var notebook = Notebook("Console.WriteLine(\"x\");", "Environment.FailFast(\"simulated native abort\");");

        var result = Run(notebook, NotebookHost.Repl);

        var message = Assert.Single(result.Failures).Message;
        Assert.StartsWith("dotnet-repl wrote no executed copy (exit code 134; the kernel may have died).", message);
        Assert.Contains("simulated native abort", message);
    }

    [Fact]
    public void ACellPastItsTimeLimitIsStoppedAndNamed()
    {
        var notebook = Notebook("System.Threading.Thread.Sleep(600_000);");
        var clock = Stopwatch.StartNew();

        // The kernel's start has a limit of its own, so the cell's limit can be short.
        var result = Run(notebook, NotebookHost.Interactive, cellLimit: TimeSpan.FromSeconds(3));

        var failure = Assert.Single(result.Failures);
        Assert.Equal(1, failure.Cell);
        Assert.StartsWith("the cell did not finish within its limit of 3 s; the kernel was stopped.", failure.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public void ANotebookPastItsTimeLimitUnderDotnetReplIsStopped()
    {
        var notebook = Notebook("System.Threading.Thread.Sleep(600_000);");

        var result = Run(notebook, NotebookHost.Repl, notebookLimit: TimeSpan.FromSeconds(5));

        Assert.StartsWith("dotnet-repl did not finish within 5 s (stopped).", Assert.Single(result.Failures).Message);
    }

    [Fact]
    public void ARunnerStoppedHalfwayLeavesNoCopyThatPassesForAFreshRun()
    {
        var notebook = Notebook("System.Threading.Thread.Sleep(600_000);");
        var output = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(notebook)!, "out")).FullName;
        var copy = Path.Combine(output, "probe.ipynb");
        var library = RunRecord.PackedLibrary(NotebookRun.ToolManifestRoot());
        // What an earlier, finished run of the same notebook left: a fresh copy.
        File.Copy(notebook, copy);
        new RunRecord("dotnet-interactive", true, RunRecord.Sha256Of(notebook), library, [], 1).SaveInto(copy);
        Assert.Null(RunRecord.StaleBecause(copy, notebook, NotebookHost.Interactive, quick: true, library));

        // The next run is stopped while it works on the notebook, as Ctrl+C or a cancelled CI job stops it.
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll"), "--quick", "--out", output, notebook })
            psi.ArgumentList.Add(arg);
        using var runner = Process.Start(psi)!;
        var clock = Stopwatch.StartNew();
        while (File.Exists(copy) && clock.Elapsed < TimeSpan.FromMinutes(2) && !runner.HasExited) Thread.Sleep(50);
        runner.Kill(entireProcessTree: true);
        runner.WaitForExit();

        Assert.Equal($"there is no executed copy {copy}", RunRecord.StaleBecause(copy, notebook, NotebookHost.Interactive, quick: true, library));
    }
}
