using System.Globalization;

namespace NotebookRunner;

/// <summary>The runner's command line (documented at the top of Program.cs); kept stable for the scripts and tools that call it.</summary>
public static class RunnerCommandLine
{
    /// <summary>Runs the command line <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var quick = false;
        var outDir = "out/notebooks";
        TimeSpan? timeout = null, cellTimeout = null;
        NotebookHost[] hosts = [NotebookHost.Interactive];
        var jobs = 1;
        var eachCellTwice = false;
        var notebooks = new List<string>();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick": quick = true; break;
                    case "--out": outDir = Value(i++); break;
                    case "--timeout": timeout = Seconds(Value(i++)); break;
                    case "--cell-timeout": cellTimeout = Seconds(Value(i++)); break;
                    case "--jobs": jobs = Count(Value(i++)); break;
                    case "--each-cell-twice": eachCellTwice = true; break;
                    case "--host":
                        hosts = Value(i++) switch
                        {
                            "interactive" => [NotebookHost.Interactive],
                            "repl" => [NotebookHost.Repl],
                            "both" => [NotebookHost.Interactive, NotebookHost.Repl],
                            var other => throw new ArgumentException($"--host must be interactive, repl or both, not '{other}'."),
                        };
                        break;
                    case var option when option.StartsWith("--", StringComparison.Ordinal):
                        throw new ArgumentException($"Unknown option {option}.");
                    default: notebooks.Add(args[i]); break;
                }
            }
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            error.WriteLine("Usage: NotebookRunner [--quick] [--out DIR] [--timeout SECONDS] [--cell-timeout SECONDS] [--host interactive|repl|both] [--jobs N] [--each-cell-twice] [NOTEBOOK ...]");
            return 2;
        }

        // The limits catch a hung kernel. A full run's training cells take minutes on an idle laptop and several times
        // as long on a busy one, so full mode allows three times the quick limits.
        var notebookLimit = timeout ?? TimeSpan.FromMinutes(quick ? 20 : 60);
        var cellLimit = cellTimeout ?? TimeSpan.FromMinutes(quick ? 10 : 30);
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

        string Value(int i) => i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");

        static int Count(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"--jobs must be a whole number of at least 1, not '{text}'.");

        static TimeSpan Seconds(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                ? TimeSpan.FromSeconds(s)
                : throw new ArgumentException($"'{text}' is not a positive number of seconds.");
    }
}
