using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace NotebookRunner;

/// <summary>What went wrong in one executed notebook: the notebook, the 1-based cell number, the error text.</summary>
public sealed record CellFailure(string Notebook, int Cell, string Message)
{
    public override string ToString() => Cell > 0 ? $"{Notebook}, cell {Cell}: {Message}" : $"{Notebook}: {Message}";
}

/// <summary>The outcome of running one notebook.</summary>
public sealed record NotebookResult(string Notebook, string ExecutedCopy, TimeSpan Elapsed, IReadOnlyList<CellFailure> Failures)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>Runs a notebook with dotnet-repl (a local tool from .config/dotnet-tools.json) and checks the executed copy.</summary>
public static class NotebookRun
{
    /// <summary>
    /// Executes <paramref name="notebook"/> in its own folder (so the repository's nuget.config finds
    /// the local DlWorkbook package) and writes the executed copy into <paramref name="outputFolder"/>.
    /// </summary>
    public static NotebookResult Execute(string notebook, string outputFolder, bool quick, TimeSpan timeout)
    {
        notebook = Path.GetFullPath(notebook);
        var name = Path.GetFileName(notebook);
        Directory.CreateDirectory(outputFolder);
        var executed = Path.Combine(Path.GetFullPath(outputFolder), name);
        if (executed == notebook)
            throw new ArgumentException($"The output folder must differ from the notebook's folder ({outputFolder}).", nameof(outputFolder));
        File.Delete(executed);

        var cells = CodeCells(notebook);
        if (cells == 0) return Fail(name, executed, TimeSpan.Zero, "the notebook has no code cells");

        // dotnet-repl is a local tool: start it where the tool manifest is, then let the kernel work in
        // the notebook's folder, where relative paths and the repository's nuget.config apply.
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ToolManifestRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "repl", "--run", notebook, "--exit-after-run", "--output-path", executed,
                                    "--working-dir", Path.GetDirectoryName(notebook)! })
            psi.ArgumentList.Add(arg);
        psi.Environment["DLWORKBOOK_QUICK"] = quick ? "1" : "0";

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return Fail(name, executed, clock.Elapsed, $"did not finish within {timeout.TotalSeconds:0} s (killed)");
        }
        process.WaitForExit();
        clock.Stop();

        if (!File.Exists(executed))
            return Fail(name, executed, clock.Elapsed,
                $"dotnet-repl wrote no executed copy (exit code {process.ExitCode}). Its output:\n{Tail(log.ToString())}");
        var failures = Check(executed, name);
        if (failures.Count == 0 && process.ExitCode != 0)
            failures = [new CellFailure(name, 0, $"dotnet-repl exited with {process.ExitCode}:\n{Tail(log.ToString())}")];
        return new NotebookResult(name, executed, clock.Elapsed, failures);
    }

    /// <summary>Reads an executed notebook: every error output becomes a failure; no output at all is one too.</summary>
    public static List<CellFailure> Check(string executedNotebook, string name)
    {
        var failures = new List<CellFailure>();
        var cells = Cells(executedNotebook);
        var outputs = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i]?["cell_type"]?.GetValue<string>() != "code") continue;
            foreach (var output in cells[i]!["outputs"]?.AsArray() ?? [])
            {
                outputs++;
                if (output?["output_type"]?.GetValue<string>() != "error") continue;
                var message = output["evalue"]?.GetValue<string>() ?? output["ename"]?.GetValue<string>() ?? "(no message)";
                failures.Add(new CellFailure(name, i + 1, message.Trim()));
            }
        }
        if (outputs == 0) failures.Add(new CellFailure(name, 0, "the run produced no output at all"));
        return failures;
    }

    /// <summary>The number of code cells in a notebook.</summary>
    public static int CodeCells(string notebook) =>
        Cells(notebook).Count(c => c?["cell_type"]?.GetValue<string>() == "code");

    /// <summary>The repository root, found as the folder with .config/dotnet-tools.json above this program or the current folder.</summary>
    static string ToolManifestRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json"))) return dir.FullName;
        throw new InvalidOperationException(
            "No .config/dotnet-tools.json found above the notebook runner; run it from the workbook repository.");
    }

    static JsonArray Cells(string notebook) =>
        JsonNode.Parse(File.ReadAllText(notebook))?["cells"]?.AsArray()
        ?? throw new InvalidDataException($"{notebook} is not a notebook (no \"cells\" array).");

    static NotebookResult Fail(string name, string executed, TimeSpan elapsed, string message) =>
        new(name, executed, elapsed, [new CellFailure(name, 0, message)]);

    static string Tail(string text, int lines = 30) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}
