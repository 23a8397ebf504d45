using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using CommandLines;

namespace NotebookRunner;

/// <summary>The runner's command line (`--help` prints it); kept stable for the scripts and tools that call it.</summary>
public static class RunnerCommandLine
{
    static readonly Option<bool> Quick = new("--quick") { Description = "set DLWORKBOOK_QUICK=1 in the kernel (fewer epochs, less data, same code paths)" };
    static readonly Option<string> Out = new("--out")
    {
        Description = "where the executed copies go; files the notebooks link to (../images/*.svg) are copied to the same "
                      + "relative place, e.g. out/images",
        HelpName = "DIR",
        DefaultValueFactory = _ => "out/notebooks",
    };
    static readonly Option<TimeSpan?> Timeout = Seconds("--timeout",
        "limit for one whole notebook, in seconds (default 1200 in quick mode, 3600 in full mode), in every host");
    static readonly Option<TimeSpan?> CellTimeout = Seconds("--cell-timeout",
        "limit for one cell, in seconds (default 600 in quick mode, 1800 in full mode: a busy laptop may take several times "
        + "an idle one's minutes for a training cell; dotnet-interactive only)");
    static readonly Option<string> Hosts = ToolCommand.Choice("--host",
        "interactive: dotnet-interactive, the kernel VS Code runs, spoken to over `dotnet interactive stdio`; repl: dotnet-repl; "
        + "both: each notebook in dotnet-interactive into DIR and in dotnet-repl into DIR-repl (for example out/notebooks-repl)",
        ["interactive", "repl", "both"], "interactive");
    static readonly Option<int> Jobs = new("--jobs")
    {
        Description = "how many runs go on at once; each notebook in each host is one run, started in order (00 in both hosts, "
                      + "then 01, ...). Runs side by side share the cores, so the speeds and times the notebooks print are lower "
                      + "than a learner's",
        HelpName = "N",
        DefaultValueFactory = _ => 1,
        CustomParser = result =>
            int.TryParse(result.Tokens.Single().Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : Fail<int>(result, $"--jobs must be a whole number of at least 1, not '{result.Tokens.Single().Value}'."),
    };
    static readonly Option<bool> EachCellTwice = new("--each-cell-twice") { Description = "run every code cell twice in a row, as a learner "
        + "who runs a cell again; the copy keeps each cell's second outputs, and a failure of the second run says so (within twice --timeout)" };
    static readonly Argument<string[]> Notebooks =
        ToolCommand.Files("NOTEBOOK", "the notebooks to run; without any, every notebooks/*.ipynb of the current folder");

    /// <summary>Runs the command line <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Syntax.Run(args, parsed => Run(parsed, output, error), output, error);

    static readonly ToolCommand Syntax = new("NotebookRunner", "Runs the workbook's notebooks headless and checks every cell.")
    {
        Quick, Out, Timeout, CellTimeout, Hosts, Jobs, EachCellTwice, Notebooks,
    };

    static int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        var quick = parsed.GetValue(Quick);
        var outDir = parsed.GetValue(Out)!;
        NotebookHost[] hosts = parsed.GetValue(Hosts) switch
        {
            "repl" => [NotebookHost.Repl],
            "both" => [NotebookHost.Interactive, NotebookHost.Repl],
            _ => [NotebookHost.Interactive],
        };
        var jobs = parsed.GetValue(Jobs);
        var eachCellTwice = parsed.GetValue(EachCellTwice);
        var notebooks = parsed.GetValue(Notebooks)!.ToList();

        // The limits catch a hung kernel. A full run's training cells take minutes on an idle laptop and several times
        // as long on a busy one, so full mode allows three times the quick limits.
        var notebookLimit = parsed.GetValue(Timeout) ?? TimeSpan.FromMinutes(quick ? 20 : 60);
        var cellLimit = parsed.GetValue(CellTimeout) ?? TimeSpan.FromMinutes(quick ? 10 : 30);
        if (notebooks.Count == 0 && Directory.Exists("notebooks"))
            notebooks.AddRange(Directory.GetFiles("notebooks", "*.ipynb").Where(f => !Path.GetFileName(f).StartsWith('.')).Order());
        if (notebooks.Count == 0)
        {
            error.WriteLine("No notebooks found in notebooks/. Run this from the repository root or name the notebooks.");
            return 2;
        }

        var runs = notebooks.SelectMany(notebook => hosts.Select(host => (Notebook: notebook, Host: host))).ToList();
        var failed = 0;
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(jobs, runs.Count)).Select(_ => new Thread(() =>
        {
            for (var i = Interlocked.Increment(ref next); i < runs.Count; i = Interlocked.Increment(ref next))
                if (!RunOne(runs[i].Notebook, runs[i].Host)) Interlocked.Increment(ref failed);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        output.WriteLine($"notebooks: {runs.Count - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;

        bool RunOne(string notebook, NotebookHost host)
        {
            var hostName = RunRecord.HostName(host);
            var folder = hosts.Length > 1 && host == NotebookHost.Repl ? outDir.TrimEnd('/', '\\') + "-repl" : outDir;
            lock (output) output.WriteLine($"run  {notebook} in {hostName} ({(quick ? "quick" : "full")} mode{(eachCellTwice ? ", each cell twice" : "")}) ...");
            NotebookResult result;
            try
            {
                result = NotebookRun.Execute(notebook, folder, quick, notebookLimit, host, cellLimit, eachCellTwice);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever went wrong with one notebook, the others still run.
                result = new NotebookResult(Path.GetFileName(notebook), "", TimeSpan.Zero,
                    [new CellFailure(Path.GetFileName(notebook), 0, $"the runner failed: {e.GetType().Name}: {e.Message}")]);
            }
            lock (output)
            {
                output.WriteLine($"{(result.Passed ? "ok  " : "FAIL")} {result.Notebook} in {hostName}, {result.Elapsed.TotalSeconds:0.0} s -> {result.ExecutedCopy}");
                foreach (var failure in result.Failures) output.WriteLine("     " + failure.ToString().Replace("\n", "\n     "));
            }
            return result.Passed;
        }
    }

    static Option<TimeSpan?> Seconds(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        CustomParser = result =>
            double.TryParse(result.Tokens.Single().Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                ? TimeSpan.FromSeconds(s)
                : Fail<TimeSpan?>(result, $"{name} must be a positive number of seconds, not '{result.Tokens.Single().Value}'."),
    };

    static T? Fail<T>(ArgumentResult result, string problem)
    {
        result.AddError(problem);
        return default;
    }
}
