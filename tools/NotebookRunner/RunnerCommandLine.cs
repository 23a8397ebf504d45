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
        var timeout = TimeSpan.FromMinutes(20);
        var cellTimeout = TimeSpan.FromMinutes(10);
        NotebookHost[] hosts = [NotebookHost.Interactive];
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
            error.WriteLine("Usage: NotebookRunner [--quick] [--out DIR] [--timeout SECONDS] [--cell-timeout SECONDS] [--host interactive|repl|both] [NOTEBOOK ...]");
            return 2;
        }

        if (notebooks.Count == 0 && Directory.Exists("notebooks"))
            notebooks.AddRange(Directory.GetFiles("notebooks", "*.ipynb").Where(f => !Path.GetFileName(f).StartsWith('.')).Order());
        if (notebooks.Count == 0)
        {
            error.WriteLine("No notebooks found in notebooks/. Run this from the repository root or name the notebooks.");
            return 2;
        }

        var runs = 0;
        var failed = 0;
        foreach (var notebook in notebooks)
        foreach (var host in hosts)
        {
            var hostName = host == NotebookHost.Interactive ? "dotnet-interactive" : "dotnet-repl";
            var folder = hosts.Length > 1 && host == NotebookHost.Repl ? outDir.TrimEnd('/', '\\') + "-repl" : outDir;
            output.WriteLine($"run  {notebook} in {hostName} ({(quick ? "quick" : "full")} mode) ...");
            NotebookResult result;
            try
            {
                result = NotebookRun.Execute(notebook, folder, quick, timeout, host, cellTimeout);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever went wrong with one notebook, the others still run.
                result = new NotebookResult(Path.GetFileName(notebook), "", TimeSpan.Zero,
                    [new CellFailure(Path.GetFileName(notebook), 0, $"the runner failed: {e.GetType().Name}: {e.Message}")]);
            }
            runs++;
            output.WriteLine($"{(result.Passed ? "ok  " : "FAIL")} {result.Notebook} in {hostName}, {result.Elapsed.TotalSeconds:0.0} s -> {result.ExecutedCopy}");
            foreach (var failure in result.Failures) output.WriteLine("     " + failure.ToString().Replace("\n", "\n     "));
            if (!result.Passed) failed++;
        }
        output.WriteLine($"notebooks: {runs - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;

        string Value(int i) => i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");

        static TimeSpan Seconds(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                ? TimeSpan.FromSeconds(s)
                : throw new ArgumentException($"'{text}' is not a positive number of seconds.");
    }
}
