using System.Text.Json;
using DlWorkbook.Exercises;
using DlWorkbook.Tests.Display;
using TorchSharp;
using ToolCommands = WorkbookTool.Commands;
using ToolInvocation = WorkbookTool.Invocation;
using ToolWorkspace = WorkbookTool.Workspace;

namespace DlWorkbook.Tests.Exercises;

/// <summary>
/// Progress across the course: every check that gets an answer records its latest result in the progress file; one
/// call shows the table and chart, the tool's `progress` command prints the same, and one call resets it. Kernels
/// writing at the same time lose nothing; a corrupt or unwritable file is named and the checks go on.
/// </summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]   // points DLWORKBOOK_PROGRESS_FILE at a file of its own while it runs
public sealed class ProgressTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"dlworkbook-progress-{Guid.NewGuid():N}");
    readonly string file;

    public ProgressTests()
    {
        file = Path.Combine(folder, "progress.json");
        Environment.SetEnvironmentVariable(ProgressFile.Variable, file);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(ProgressFile.Variable, TestProgressFile.Path);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void TheProgressFileLivesInTheDataFolderUnlessTheVariableNamesAnother()
    {
        Environment.SetEnvironmentVariable(ProgressFile.Variable, null);
        Assert.Equal(Path.Combine(DlWorkbook.Data.DataCache.DefaultFolder(), "progress.json"), Progress.FilePath);
        Environment.SetEnvironmentVariable(ProgressFile.Variable, file);
        Assert.Equal(file, Progress.FilePath);
        // The repository keeps its data folder out of git: a progress file there is never committed or published.
        Assert.Contains("data/*", File.ReadAllText(Path.Combine(RepoPaths.Root, ".gitignore")).Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public void EveryAnsweredCheckRecordsItsLatestResultAndNotAttemptedRecordsNothing()
    {
        CellOutputCapture.Printed(() =>
        {
            Exercise.Check("05.5", 73_728L);   // not yet
            Exercise.Check("05.3", 15L);       // correct
            Exercise.Check("05.6", null);      // not attempted: nothing recorded
            Exercise.Check("00.6", 'C');
            Exercise.Check("00.6", 'A');       // the latest result counts
            Exercise.Check("99.1", 3);         // no such exercise: nothing recorded
        });
        var results = Progress.Results();
        Assert.False(results.ContainsKey("05.6"));
        Assert.False(results.ContainsKey("99.1"));
        Assert.Equal(ExerciseStatus.NotYet, results["05.5"]);
        Assert.Equal(ExerciseStatus.Correct, results["05.3"]);
        Assert.Equal(ExerciseStatus.NotYet, results["00.6"]);

        CellOutputCapture.Printed(() => Exercise.Check("05.5", 73_856L));
        Assert.Equal(ExerciseStatus.Correct, Progress.Results()["05.5"]);
        // Evaluate only looks: it records nothing.
        Exercise.Evaluate("01.3", 4L);
        Assert.False(Progress.Results().ContainsKey("01.3"));
    }

    [Fact]
    public void AResultCountsOnlyForTheExerciseItWasRecordedFor()
    {
        CellOutputCapture.Printed(() => Exercise.Check("05.3", 15L));
        using (var json = JsonDocument.Parse(File.ReadAllText(file)))
            Assert.Equal(ExerciseCatalogue.Get("05.3").Title, json.RootElement.GetProperty("results").GetProperty("05.3").GetProperty("title").GetString());

        // A result recorded under another exercise's title (the id was renumbered since), and results from before titles
        // were kept: those of notebook 04, whose ids changed then, no longer count; the others do.
        var text = File.ReadAllText(file).Replace($"\"title\": \"{ExerciseCatalogue.Get("05.3").Title}\"", "\"title\": \"an exercise since renumbered\"");
        text = text.Replace("\"results\": {", """
            "results": {
              "04.3": { "status": "correct", "when": "2026-12-01T10:00:00+00:00" },
              "01.3": { "status": "correct", "when": "2026-12-01T10:00:00+00:00" },
            """);
        File.WriteAllText(file, text);

        var results = Progress.Results();
        Assert.False(results.ContainsKey("05.3"));
        Assert.False(results.ContainsKey("04.3"));
        Assert.Equal(ExerciseStatus.Correct, results["01.3"]);
    }

    [Fact]
    public void AVariantsResultIsRecordedWithItsSeed()
    {
        try
        {
            CellOutputCapture.Printed(() => Exercise.Again("05.3", 7));
            var variant = Exercise.All.Single(e => e.Id == "05.3").Variants!.Draw(7);
            CellOutputCapture.Printed(() => Exercise.Check("05.3", variant.Worked()));
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var entry = json.RootElement.GetProperty("results").GetProperty("05.3");
            Assert.Equal("correct", entry.GetProperty("status").GetString());
            Assert.Equal(7, entry.GetProperty("variant").GetInt32());
        }
        finally
        {
            CellOutputCapture.Printed(() => Exercise.Original("05.3"));
        }
    }

    [Fact]
    public void OneCallShowsATableAndAChartPerNotebookWithTheIdsToRevisit()
    {
        CellOutputCapture.Printed(() =>
        {
            Exercise.Check("05.5", 73_856L);
            Exercise.Check("05.3", 16L);
            Exercise.Check("00.1", 200_960L);
        });
        var lines = CellOutputCapture.Printed(Progress.Show);
        Assert.Equal($"Progress in {file}", lines[0]);
        var conv = Assert.Single(lines, l => l.StartsWith("05 · Convolutional networks", StringComparison.Ordinal));
        // 8 exercises: 1 correct, 1 not yet, 6 not attempted; 05.3 (not yet) leads the ids to revisit.
        Assert.Matches(@"^05 · Convolutional networks\s+1\s+1\s+6\s+██▒▒░{16}\s+05\.3 ✗, 05\.1, 05\.2, 05\.4, 05\.6, 05\.7, 05\.8$", conv);
        var tensors = Assert.Single(lines, l => l.StartsWith("00 · Tensors", StringComparison.Ordinal));
        Assert.Matches(@"^00 · Tensors, models and training\s+1\s+0\s+7\s+", tensors);
        Assert.Matches(@"^all\s+\d+\s+\d+\s+\d+$", lines[^1]);
        foreach (var notebook in Enumerable.Range(0, 8))
            Assert.Single(lines, l => l.StartsWith($"{notebook:00} · {ExerciseCatalogue.Titles[notebook]}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InANotebookTheProgressIsAnHtmlTableWithABarPerNotebook()
    {
        CellOutputCapture.Printed(() => Exercise.Check("05.5", 73_856L));
        var shown = Assert.Single(await CellOutputCapture.Displayed(Progress.Show));
        var html = shown.FormattedValues.Single(v => v.MimeType == "text/html").Value;
        Assert.Contains("<td style=\"text-align:left\">05 · Convolutional networks</td><td>1</td><td>0</td><td>7</td>", html);
        Assert.Contains("width:20px;background:#2e7d32", html);   // 1 of 8: 20 of the bar's 160 pixels
        Assert.StartsWith("Progress in ", shown.FormattedValues.Single(v => v.MimeType == "text/plain").Value);
    }

    [Fact]
    public void ResetIsOneCall()
    {
        CellOutputCapture.Printed(() => Exercise.Check("05.5", 73_856L));
        Assert.True(File.Exists(file));
        var said = Assert.Single(CellOutputCapture.Printed(Progress.Reset));
        Assert.Equal($"Progress reset: {file} deleted; every exercise is not attempted again.", said);
        Assert.False(File.Exists(file));
        Assert.Empty(Progress.Results());
    }

    [Fact]
    public void KernelsWritingAtOnceLoseNothing()
    {
        // 8 writers, each recording 8 different exercises as fast as it can: every one of the 64 results is kept. Each
        // write opens the lock file anew, and the lock (flock on Linux and macOS, a sharing lock on Windows) holds between
        // any two open files, in one process or in two.
        var ids = Exercise.All.Select(e => e.Id).Take(64).ToList();
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, writer =>
        {
            foreach (var id in ids.Skip(writer * 8).Take(8))
                if (ProgressFile.Update(file, ExerciseCatalogue.Notebooks, data => data with
                    {
                        Results = new Dictionary<string, ProgressEntry>(data.Results) { [id] = new("correct", DateTimeOffset.UtcNow, Title: ExerciseCatalogue.Get(id).Title) },
                    }) is { } problem)
                    problems.Add(problem);
        });
        Assert.Empty(problems);
        Assert.Empty(ids.Except(Progress.Results().Keys));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void AReaderNeverSeesHalfAFile()
    {
        // Each write replaces the file in one rename: a reader that comes at any moment reads a whole file.
        var writes = Task.Run(() =>
        {
            foreach (var id in Exercise.All.Select(e => e.Id).Take(30))
                ProgressFile.Update(file, ExerciseCatalogue.Notebooks, data => data with
                {
                    Results = new Dictionary<string, ProgressEntry>(data.Results) { [id] = new("not yet", DateTimeOffset.UtcNow) },
                });
        });
        var reads = 0;
        while (!writes.IsCompleted)
        {
            if (ProgressFile.Read(file, out var problem) is not null || File.Exists(file)) Assert.Null(problem);   // never half a file
            reads++;
        }
        writes.Wait();
        Assert.True(reads > 0);
        Assert.Empty(Exercise.All.Select(e => e.Id).Take(30).Except(Progress.Results().Keys));
    }

    [Fact]
    public void ACorruptFileIsNamedKeptAsideAndTheChecksGoOn()
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(file, "{ \"version\": 1, \"results\": {");
        var shown = CellOutputCapture.Printed(Progress.Show);
        Assert.StartsWith($"The progress file {file} could not be read (", shown[0]);

        var lines = CellOutputCapture.Printed(() => Exercise.Check("05.5", 73_856L));
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("✓ Exercise 05.5", lines[0]);
        Assert.StartsWith($"The progress file {file} could not be read (", lines[1]);
        Assert.Contains("it was kept as progress.json.unreadable-", lines[1]);
        var aside = Assert.Single(Directory.GetFiles(folder, "progress.json.unreadable-*"));
        Assert.Equal("{ \"version\": 1, \"results\": {", File.ReadAllText(aside));
        Assert.Equal(ExerciseStatus.Correct, Progress.Results()["05.5"]);
    }

    [Fact]
    public void AnUnwritableFileIsNamedOnceAndTheChecksGoOn()
    {
        Directory.CreateDirectory(folder);
        var blocker = Path.Combine(folder, "not-a-folder");
        File.WriteAllText(blocker, "a file where the progress folder should be");
        var unwritable = Path.Combine(blocker, "progress.json");
        Environment.SetEnvironmentVariable(ProgressFile.Variable, unwritable);
        var first = CellOutputCapture.Printed(() => Exercise.Check("05.5", 73_856L));
        Assert.StartsWith("✓ Exercise 05.5", first[0]);
        Assert.StartsWith($"Progress not saved: the progress file {unwritable} could not be written (", first[1]);
        Assert.EndsWith("The check itself is not affected; set DLWORKBOOK_PROGRESS_FILE to a file you can write to keep a record.", first[1]);
        var second = CellOutputCapture.Printed(() => Exercise.Check("05.3", 15L));
        Assert.StartsWith("✓ Exercise 05.3", Assert.Single(second));   // said once, not under every check
    }

    [Fact]
    public void TheToolsProgressCommandPrintsTheSameTableAndResets()
    {
        CellOutputCapture.Printed(() =>
        {
            Exercise.Check("05.5", 73_856L);
            Exercise.Check("07.6", 2.0);
        });
        var shown = CellOutputCapture.Printed(Progress.Show);
        var workspace = new ToolWorkspace(RepoPaths.Root, new Dictionary<string, string>());
        var step = Assert.Single(ToolCommands.ShowProgress.Steps);
        var code = 0;
        var printed = CellOutputCapture.Printed(() => code = step.Run(workspace, ToolInvocation.Parse(ToolCommands.ShowProgress, [])));
        Assert.Equal(0, code);
        Assert.Equal(shown, printed);

        printed = CellOutputCapture.Printed(() => code = step.Run(workspace, ToolInvocation.Parse(ToolCommands.ShowProgress, ["--reset"])));
        Assert.Equal(0, code);
        Assert.Equal($"Progress reset: {file} deleted; every exercise is not attempted again.", Assert.Single(printed));
        printed = CellOutputCapture.Printed(() => code = step.Run(workspace, ToolInvocation.Parse(ToolCommands.ShowProgress, [])));
        Assert.StartsWith("No exercise has been checked yet: ", Assert.Single(printed));
    }
}
