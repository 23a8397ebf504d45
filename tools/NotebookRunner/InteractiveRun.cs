using System.Diagnostics;
using System.Text.Json.Nodes;

namespace NotebookRunner;

/// <summary>
/// Runs a notebook in a .NET Interactive kernel over its stdio protocol, cell by cell as a learner would,
/// and writes the executed copy itself. Any error, standard error output or compiler warning fails the
/// cell; a cell past its time limit or a kernel that dies stops the run, and the copy still holds every
/// output up to that point.
/// </summary>
public static class InteractiveRun
{
    /// <summary>How long to wait for the kernel's KernelReady event before the first cell.</summary>
    public static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs every code cell of <paramref name="notebook"/> in the kernel that <paramref name="startKernel"/> starts,
    /// fills in their outputs and execution counts and saves the result to <paramref name="executedCopy"/>.
    /// </summary>
    public static NotebookResult Run(
        NotebookDocument notebook, string executedCopy, Func<IKernelSession> startKernel,
        TimeSpan notebookLimit, TimeSpan cellLimit)
    {
        var name = Path.GetFileName(notebook.Path);
        var failures = new List<CellFailure>();
        var clock = Stopwatch.StartNew();
        var cells = notebook.CodeCells().ToList();
        foreach (var cell in cells) cell.ResetOutputs();
        try
        {
            using var kernel = startKernel();
            RunCells(kernel, cells, name, failures, clock, notebookLimit, cellLimit);
        }
        finally
        {
            notebook.Save(executedCopy);
        }
        return new NotebookResult(name, executedCopy, clock.Elapsed, failures);
    }

    static void RunCells(
        IKernelSession kernel, List<CodeCell> cells, string name, List<CellFailure> failures,
        Stopwatch clock, TimeSpan notebookLimit, TimeSpan cellLimit)
    {
        var displays = new Dictionary<string, JsonObject>();
        var ready = WaitForReady(kernel, Min(StartLimit, notebookLimit - clock.Elapsed));
        if (ready is not null)
        {
            failures.Add(new CellFailure(name, 0, ready));
            return;
        }

        var count = 0;
        foreach (var cell in cells)
        {
            if (string.IsNullOrWhiteSpace(cell.Source)) continue;
            count++;
            cell.Json["execution_count"] = count;
            var outputs = new CellOutputs(cell.Json["outputs"]!.AsArray(), displays, count);
            var token = $"cell-{cell.Number}";
            kernel.Send(KernelCommands.SubmitCode(token, cell.Source, cell.KernelName));

            var limitIsNotebook = notebookLimit - clock.Elapsed < cellLimit;
            var limit = Min(cellLimit, notebookLimit - clock.Elapsed);
            var outcome = WaitForCompletion(kernel, token, outputs, limit);
            // Native code (libtorch) writes to the process's standard error, which no cell output shows.
            var processErrors = kernel.TakeStandardError().Where(l => l.Trim().Length > 0 && !KnownNativeNotices.IsHarmless(l)).ToList();

            switch (outcome)
            {
                case Outcome.Completed when processErrors.Count > 0:
                    outputs.Problem("the kernel process wrote to standard error: " + CellOutputs.Shorten(string.Join('\n', processErrors)));
                    break;
                case Outcome.TimedOut:
                    kernel.Kill();
                    var what = limitIsNotebook
                        ? $"the notebook did not finish within its limit of {Seconds(notebookLimit)}"
                        : $"the cell did not finish within its limit of {Seconds(cellLimit)}";
                    outputs.Error($"{what}; the kernel was stopped.{LastOutput(outputs)}", "Timeout");
                    break;
                case Outcome.KernelDied:
                    // The first lines say why (a .NET FailFast message, libtorch's "terminate called after …"); a stack trace follows.
                    var stderr = processErrors.Count > 0 ? "\nThe kernel's last words:\n" + CellOutputs.Shorten(string.Join('\n', processErrors), 6) : "";
                    outputs.Error($"the kernel died while running this cell (exit code {kernel.ExitCode?.ToString() ?? "unknown"}).{LastOutput(outputs)}{stderr}", "KernelDied");
                    break;
            }
            failures.AddRange(outputs.Problems.Select(p => new CellFailure(name, cell.Number, p)));
            if (outcome != Outcome.Completed) return;
        }
    }

    enum Outcome { Completed, TimedOut, KernelDied }

    /// <summary>Null once the kernel is ready, else why it is not.</summary>
    static string? WaitForReady(IKernelSession kernel, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(Positive(limit));
        try
        {
            while (true)
            {
                var line = kernel.ReadLineAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
                if (line is null)
                    return $"the kernel exited before it was ready (exit code {kernel.ExitCode?.ToString() ?? "unknown"}). " +
                           "Its error output:\n" + string.Join('\n', kernel.TakeStandardError().TakeLast(20));
                if (KernelEventLine.TryParse(line)?.EventType == "KernelReady") return null;
            }
        }
        catch (OperationCanceledException)
        {
            kernel.Kill();
            return $"the kernel was not ready within {Seconds(limit)} (stopped).";
        }
    }

    static Outcome WaitForCompletion(IKernelSession kernel, string token, CellOutputs outputs, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(Positive(limit));
        try
        {
            while (true)
            {
                var line = kernel.ReadLineAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
                if (line is null) return Outcome.KernelDied;
                if (KernelEventLine.TryParse(line) is not { } e) continue;
                var own = e.CommandToken == token;
                // Only the cell's own command completes it (as in VS Code); its child commands' events still count as its output.
                if (own && e.EventType == "CommandSucceeded") return Outcome.Completed;
                if (own && e.EventType == "CommandFailed")
                {
                    outputs.Error(e.Message);
                    return Outcome.Completed;
                }
                if (e.EventType is not ("CommandSucceeded" or "CommandFailed")) outputs.Apply(e);
            }
        }
        catch (OperationCanceledException)
        {
            return Outcome.TimedOut;
        }
    }

    static string LastOutput(CellOutputs outputs) =>
        outputs.LastOutputText() is { } last ? $"\nLast output before that:\n{last}" : " The cell had no output yet.";

    static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(t.TotalSeconds < 10 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture) + " s";

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    static TimeSpan Positive(TimeSpan t) => t > TimeSpan.Zero ? t : TimeSpan.FromMilliseconds(1);
}
