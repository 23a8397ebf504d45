using NotebookRunner;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>
/// Runs every notebooks/*.ipynb headless with dotnet-repl in quick mode and fails with the notebook,
/// cell number and error text of any failing cell. Needs the course package packed (scripts/test.sh does it).
/// </summary>
public class NotebookSmokeTests
{
    public static TheoryData<string> Notebooks() =>
        new(Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb").Select(f => Path.GetFileName(f))
              .Where(name => !name.StartsWith('.')).Order());

    [Fact]
    public void TheWorkbookHasNotebooks() => Assert.NotEmpty(Notebooks());

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void RunsCleanInQuickMode(string notebook)
    {
        AssertPackageIsFresh();
        var result = NotebookRun.Execute(
            Path.Combine(RepoPaths.Notebooks, notebook),
            Path.Combine(RepoPaths.Root, "out", "smoke"),
            quick: true,
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.Passed, string.Join("\n", result.Failures));
    }

    /// <summary>A notebook must never run against a package older than the library sources.</summary>
    static void AssertPackageIsFresh()
    {
        var package = Directory.GetFiles(RepoPaths.Packages, "DlWorkbook.*.nupkg").Select(f => new FileInfo(f))
            .OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault();
        Assert.True(package is not null, "No DlWorkbook package in packages/. Run `bash scripts/pack.sh` (scripts/test.sh does it).");
        var newestSource = Directory.GetFiles(Path.Combine(RepoPaths.Root, "lib"), "*.cs*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => new FileInfo(f)).MaxBy(f => f.LastWriteTimeUtc)!;
        Assert.True(package.LastWriteTimeUtc >= newestSource.LastWriteTimeUtc,
            $"packages/{package.Name} is older than {Path.GetRelativePath(RepoPaths.Root, newestSource.FullName)}. " +
            "Run `bash scripts/pack.sh` so the notebooks test the current library.");
    }
}

public class NotebookCheckTests
{
    static string Write(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nb-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void AnErrorOutputNamesTheNotebookCellAndMessage()
    {
        var path = Write("""
            {"cells":[{"cell_type":"markdown","source":"# t"},
                      {"cell_type":"code","outputs":[{"output_type":"display_data","data":{"text/plain":"1"}}]},
                      {"cell_type":"code","outputs":[{"output_type":"error","ename":"Error","evalue":"(1,1): error CS0103: The name 'x' does not exist"}]}]}
            """);
        var failures = NotebookRun.Check(path, "02-demo.ipynb");
        Assert.Equal("02-demo.ipynb, cell 3: (1,1): error CS0103: The name 'x' does not exist", Assert.Single(failures).ToString());
    }

    [Fact]
    public void ARunWithoutAnyOutputFails()
    {
        var path = Write("""{"cells":[{"cell_type":"code","outputs":[]}]}""");
        Assert.Equal("x.ipynb: the run produced no output at all", Assert.Single(NotebookRun.Check(path, "x.ipynb")).ToString());
    }

    [Fact]
    public void ANotebookWithoutCodeCellsFailsBeforeRunning()
    {
        var path = Write("""{"cells":[{"cell_type":"markdown","source":"only prose"}]}""");
        var result = NotebookRun.Execute(path, Path.Combine(Path.GetTempPath(), "dlw-out"), quick: true, TimeSpan.FromSeconds(5));
        Assert.Equal($"{Path.GetFileName(path)}: the notebook has no code cells", Assert.Single(result.Failures).ToString());
    }
}

public class NotebookRunnerEndToEndTests
{
    [Fact]
    public void AThrowingCellFailsWithItsMessageAndCellNumber()
    {
        var folder = Directory.CreateTempSubdirectory("dlw-nb-").FullName;
        var notebook = Path.Combine(folder, "throws.ipynb");
        File.WriteAllText(notebook, """
            {"cells":[
              {"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["1 + 1"]},
              {"cell_type":"code","metadata":{"polyglot_notebook":{"kernelName":"csharp"}},"outputs":[],"source":["throw new InvalidOperationException(\"boom from cell 2\");"]}],
             "metadata":{"kernelspec":{"display_name":".NET (C#)","language":"C#","name":".net-csharp"},"language_info":{"name":"polyglot-notebook"}},
             "nbformat":4,"nbformat_minor":5}
            """);
        var result = NotebookRun.Execute(notebook, Path.Combine(folder, "out"), quick: true, TimeSpan.FromMinutes(2));
        var failure = Assert.Single(result.Failures);
        Assert.True(failure.Cell == 2, failure.ToString());
        Assert.Contains("boom from cell 2", failure.Message);
    }
}
