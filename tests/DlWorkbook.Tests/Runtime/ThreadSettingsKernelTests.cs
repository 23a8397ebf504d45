using System.Text.Json.Nodes;
using NotebookRunner;

namespace DlWorkbook.Tests.Runtime;

/// <summary>
/// Thread settings a learner gets wrong, in the real kernel: the course library still loads, each value is named in one
/// line, libgomp says nothing on standard error (the runner would fail the cell), and the count in force is reported.
/// </summary>
public class ThreadSettingsKernelTests
{
    [Fact]
    public void BadThreadValuesNeverStopTheLibraryLoadingAndALaterCountIsApplied()
    {
        // Inside the repository, so that `#r "nuget: DlWorkbook, *-*"` finds packages/ through nuget.config.
        var folder = Path.Combine(RepoPaths.Root, "out", "test", "thread-settings");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var notebook = Path.Combine(folder, "threads.ipynb");
        // A learner who set nothing else: the wait policy the test command gives its runs is removed first.
        File.WriteAllText(notebook, Notebook(
            "Environment.SetEnvironmentVariable(\"OMP_WAIT_POLICY\", null);\nEnvironment.SetEnvironmentVariable(\"GOMP_SPINCOUNT\", null);\n"
            + "Environment.SetEnvironmentVariable(\"DLWORKBOOK_THREADS\", \"abc\");\nEnvironment.SetEnvironmentVariable(\"OMP_NUM_THREADS\", \"abc\");",
            "#r \"nuget: DlWorkbook, *-*\"",
            "DlWorkbook.Runtime.ThreadSettings.Applied.Summary",
            "TorchSharp.torch.ones(3).sum().item<float>().ToString()",
            "Environment.SetEnvironmentVariable(\"DLWORKBOOK_THREADS\", \"1\");\nDlWorkbook.Runtime.ThreadSettings.AdaptToLoad().ToString()",
            "DlWorkbook.Runtime.ThreadSettings.Applied.ToString()"));

        var result = NotebookRun.Execute(notebook, Path.Combine(folder, "out"), quick: true, TimeSpan.FromMinutes(5),
            NotebookHost.Interactive, TimeSpan.FromMinutes(3));

        Assert.True(result.Passed, string.Join("\n", result.Failures));
        var cells = NotebookDocument.Load(result.ExecutedCopy).Cells;
        var loadOutput = Text(cells[1]!);
        Assert.Contains("Threads: OMP_NUM_THREADS is \"abc\", which OpenMP cannot read, so it was removed;", loadOutput);
        Assert.Contains("Threads: DLWORKBOOK_THREADS is \"abc\", not a whole number of threads, so the workbook's default holds;", loadOutput);
        Assert.Equal("libtorch's thread count, one fewer for each core other programs keep busy (checked before every epoch)", Text(cells[2]!));
        Assert.Equal("3", Text(cells[3]!));
        Assert.Equal("1", Text(cells[4]!));
        Assert.Equal("1 intra-op thread (DLWORKBOOK_THREADS) (1 thread in force)", Text(cells[5]!));
    }

    /// <summary>The plain text of a cell's outputs: its console text and the text/plain of its values.</summary>
    static string Text(JsonNode cell) => string.Concat(cell["outputs"]!.AsArray().Select(o =>
        o!["text"] is JsonArray text ? string.Concat(text.Select(l => l!.GetValue<string>()))
        : o["data"]?["text/plain"] is JsonNode plain ? (plain is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : plain.GetValue<string>())
        : "")).Trim();

    static string Notebook(params string[] sources)
    {
        var cells = new JsonArray();
        foreach (var source in sources)
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = source,
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
            });
        return new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = JsonNode.Parse("""
                {"kernelspec":{"display_name":".NET (C#)","language":"C#","name":".net-csharp"},"language_info":{"name":"polyglot-notebook"}}
                """),
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        }.ToJsonString();
    }
}
