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

/// <summary>The notebook hosts the runner can drive.</summary>
public enum NotebookHost
{
    /// <summary>dotnet-interactive, the kernel the Polyglot Notebooks extension runs in VS Code (spoken to over stdio).</summary>
    Interactive,

    /// <summary>dotnet-repl, which runs a whole notebook headless and writes the executed copy itself.</summary>
    Repl,
}

/// <summary>Runs a notebook in one of the hosts from .config/dotnet-tools.json and checks every cell.</summary>
public static class NotebookRun
{
    /// <summary>
    /// Executes <paramref name="notebook"/> with its folder as the kernel's working directory (so the
    /// repository's nuget.config finds the local DlWorkbook package and relative paths work as in VS Code)
    /// and writes the executed copy into <paramref name="outputFolder"/>, with the files its markdown links
    /// to (../images/…) copied beside that folder. A notebook that cannot be read is reported as its failure.
    /// </summary>
    /// <param name="timeout">The limit for the whole notebook.</param>
    /// <param name="cellTimeout">The limit for one cell (dotnet-interactive only; dotnet-repl has none); the notebook's by default.</param>
    /// <param name="eachCellTwice">Runs every code cell twice in a row (<see cref="EachCellTwice"/>), within twice the notebook's limit.</param>
    public static NotebookResult Execute(
        string notebook, string outputFolder, bool quick, TimeSpan timeout,
        NotebookHost host = NotebookHost.Interactive, TimeSpan? cellTimeout = null, bool eachCellTwice = false)
    {
        notebook = Path.GetFullPath(notebook);
        var name = Path.GetFileName(notebook);
        Directory.CreateDirectory(outputFolder);
        var executed = Path.Combine(Path.GetFullPath(outputFolder), name);
        if (executed == notebook)
            throw new ArgumentException($"The output folder must differ from the notebook's folder ({outputFolder}).", nameof(outputFolder));
        File.Delete(executed);

        NotebookDocument document;
        try
        {
            document = NotebookDocument.Load(notebook);
        }
        catch (Exception e) when (e is InvalidNotebookException or IOException or UnauthorizedAccessException)
        {
            return Fail(name, executed, TimeSpan.Zero, e is InvalidNotebookException ? e.Message : $"cannot be read: {e.Message}");
        }
        if (!document.CodeCells().Any()) return Fail(name, executed, TimeSpan.Zero, "the notebook has no code cells");
        document.CopyLinkedFiles(outputFolder);

        var workingDirectory = Path.GetDirectoryName(notebook)!;
        var environment = KernelEnvironment(quick);
        var notebookSha256 = RunRecord.Sha256Of(notebook);
        var library = RunRecord.PackedLibrary(ToolManifestRoot());
        // Run twice, the kernel gets a doubled notebook (same file name, so failures name the notebook) and writes a
        // doubled copy beside the output, which is folded back into the notebook's own cells afterwards.
        var twiceFolder = Path.Combine(Path.GetFullPath(outputFolder), ".each-cell-twice", host.ToString().ToLowerInvariant());
        var origin = eachCellTwice ? EachCellTwice.WriteDoubled(notebook, Path.Combine(Directory.CreateDirectory(twiceFolder).FullName, name)) : null;
        var source = origin is null ? notebook : Path.Combine(twiceFolder, name);
        var output = origin is null ? executed : Path.Combine(twiceFolder, "executed-" + name);
        if (origin is not null) timeout *= 2;
        var result = host switch
        {
            NotebookHost.Interactive => InteractiveRun.Run(
                origin is null ? document : NotebookDocument.Load(source), output,
                () => DotnetInteractiveSession.Start(ToolManifestRoot(), workingDirectory, environment),
                timeout, cellTimeout ?? timeout),
            _ => RunRepl(source, output, workingDirectory, environment, timeout),
        };
        if (origin is not null)
        {
            result = result with { ExecutedCopy = executed, Failures = result.Failures.Select(f => EachCellTwice.Renumber(f, origin)).ToList() };
            try
            {
                if (File.Exists(output)) EachCellTwice.Fold(output, origin, executed);
            }
            catch (InvalidNotebookException e)
            {
                result = result with { Failures = [.. result.Failures, new CellFailure(name, 0, "the executed copy " + e.Message)] };
            }
            Directory.Delete(twiceFolder, recursive: true);
            if (!Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(twiceFolder)!).Any()) Directory.Delete(Path.GetDirectoryName(twiceFolder)!);
        }
        // Last: a copy carries its record only once the run is over and its outcome known.
        if (File.Exists(executed))
        {
            try
            {
                new RunRecord(RunRecord.HostName(host), quick, notebookSha256, library, result.Failures, result.Elapsed.TotalSeconds, eachCellTwice)
                    .SaveInto(executed);
            }
            catch (InvalidNotebookException)
            {
                // A copy the host wrote broken is already this run's failure (see Check); it stays without a record.
            }
        }
        return result;
    }

    /// <summary>The kernel's environment: quick mode on or off, and no telemetry banner or uploads from a headless run.</summary>
    static Dictionary<string, string> KernelEnvironment(bool quick) => new()
    {
        ["DLWORKBOOK_QUICK"] = quick ? "1" : "0",
        ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>
    /// dotnet-repl runs the whole notebook and writes the copy; the runner then reads the copy. dotnet-repl saves
    /// standard error as a "stdout" stream, so this host cannot tell it apart (dotnet-interactive can).
    /// </summary>
    static NotebookResult RunRepl(string notebook, string executed, string workingDirectory, Dictionary<string, string> environment, TimeSpan timeout)
    {
        var name = Path.GetFileName(notebook);
        // dotnet-repl is a local tool: start it where the tool manifest is.
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ToolManifestRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "repl", "--run", notebook, "--exit-after-run", "--output-path", executed, "--working-dir", workingDirectory })
            psi.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) psi.Environment[key] = value;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var log = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return Fail(name, executed, clock.Elapsed,
                $"dotnet-repl did not finish within {timeout.TotalSeconds:0} s (stopped). Its last output:\n{Tail(log.ToString())}");
        }
        process.WaitForExit();
        clock.Stop();

        if (!File.Exists(executed))
        {
            // A crash's reason is at the top of standard error (a stack trace follows); otherwise show where the output stopped.
            var why = errors.Length > 0 ? "Its error output:\n" + CellOutputs.Shorten(errors.ToString(), 6) : "Its last output:\n" + Tail(log.ToString());
            return Fail(name, executed, clock.Elapsed,
                $"dotnet-repl wrote no executed copy (exit code {process.ExitCode}; the kernel may have died). {why}");
        }
        var failures = Check(executed, name);
        if (failures.Count == 0 && process.ExitCode != 0)
            failures = [new CellFailure(name, 0, $"dotnet-repl exited with {process.ExitCode}:\n{Tail(log + errors.ToString())}")];
        return new NotebookResult(name, executed, clock.Elapsed, failures);
    }

    /// <summary>
    /// Reads an executed notebook: every error output and every standard error stream becomes a failure;
    /// no output at all is one too.
    /// </summary>
    public static List<CellFailure> Check(string executedNotebook, string name)
    {
        var failures = new List<CellFailure>();
        NotebookDocument document;
        try
        {
            document = NotebookDocument.Load(executedNotebook);
        }
        catch (InvalidNotebookException e)
        {
            return [new CellFailure(name, 0, "the executed copy " + e.Message)];
        }
        var outputs = 0;
        foreach (var cell in document.CodeCells())
        foreach (var output in cell.Json["outputs"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            outputs++;
            switch (output["output_type"]?.GetValue<string>())
            {
                case "error":
                    var message = output["evalue"]?.GetValue<string>() ?? output["ename"]?.GetValue<string>() ?? "(no message)";
                    failures.Add(new CellFailure(name, cell.Number, message.Trim()));
                    break;
                case "stream" when output["name"]?.GetValue<string>() == "stderr":
                    failures.Add(new CellFailure(name, cell.Number, "wrote to standard error: " + CellOutputs.Shorten(TextOf(output["text"]))));
                    break;
            }
        }
        if (outputs == 0) failures.Add(new CellFailure(name, 0, "the run produced no output at all"));
        return failures;
    }

    /// <summary>The number of code cells in a notebook.</summary>
    public static int CodeCells(string notebook) => NotebookDocument.Load(notebook).CodeCells().Count();

    /// <summary>The repository root, found as the folder with .config/dotnet-tools.json above this program or the current folder.</summary>
    public static string ToolManifestRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json"))) return dir.FullName;
        throw new InvalidOperationException(
            "No .config/dotnet-tools.json found above the notebook runner; run it from the workbook repository.");
    }

    static string TextOf(JsonNode? text) => text switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        null => "",
        _ => text.GetValue<string>(),
    };

    static NotebookResult Fail(string name, string executed, TimeSpan elapsed, string message) =>
        new(name, executed, elapsed, [new CellFailure(name, 0, message)]);

    static string Tail(string text, int lines = 30) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}
