using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookRunner;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>
/// The runner against the real hosts (dotnet-interactive and dotnet-repl from the tool manifest), with small
/// notebooks that fail on purpose: a throwing cell, a cell writing to standard error, a cell that kills the
/// kernel process and a cell that sleeps past its limit. Plain C# only, so no package is needed.
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
    }

    [Fact]
    public void AThrowingCellFailsUnderDotnetReplWithItsCellNumberAndText()
    {
        var notebook = Notebook("Console.WriteLine(\"fine\");", "throw new InvalidOperationException(\"boom from cell 2\");");

        var failure = Assert.Single(Run(notebook, NotebookHost.Repl).Failures);

        Assert.Equal(2, failure.Cell);
        Assert.Contains("boom from cell 2", failure.Message);
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
        var notebook = Notebook("Console.WriteLine(\"started\");", "System.Threading.Thread.Sleep(600_000);");
        var clock = Stopwatch.StartNew();

        // The first cell also waits for the kernel to warm up, so the limit leaves room for a busy machine.
        var result = Run(notebook, NotebookHost.Interactive, cellLimit: TimeSpan.FromSeconds(45));

        var failure = Assert.Single(result.Failures);
        Assert.Equal(2, failure.Cell);
        Assert.StartsWith("the cell did not finish within its limit of 45 s; the kernel was stopped.", failure.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public void ANotebookPastItsTimeLimitUnderDotnetReplIsStopped()
    {
        var notebook = Notebook("System.Threading.Thread.Sleep(600_000);");

        var result = Run(notebook, NotebookHost.Repl, notebookLimit: TimeSpan.FromSeconds(20));

        Assert.StartsWith("dotnet-repl did not finish within 20 s (stopped).", Assert.Single(result.Failures).Message);
    }
}
