using System.Globalization;

namespace WorkbookTool;

/// <summary>The steps that drive other programs: the dotnet tools, the notebook runner and dotnet test.</summary>
public static class Steps
{
    /// <summary>Restores the notebook hosts pinned in .config/dotnet-tools.json.</summary>
    public static Step RestoreTools { get; } = new("tools", (workspace, _) => workspace.Dotnet("tool", "restore"));

    /// <summary>Folder of the executed notebooks that setup writes.</summary>
    public const string NotebooksOut = "out/notebooks";

    /// <summary>
    /// Runs every notebook headless through tools/NotebookRunner's command line (its options pass through,
    /// so the runner can grow without this tool changing), writing executed copies to out/notebooks.
    /// </summary>
    public static Step RunNotebooks { get; } = new("notebooks", (workspace, invocation) =>
    {
        Console.WriteLine(workspace.DataSource);
        return workspace.Dotnet([NotebookRunner, .. NotebookRunnerArguments(invocation)]);
    });

    /// <summary>The notebook runner, built with this tool (a project reference) and copied beside it.</summary>
    public static string NotebookRunner => Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll");

    /// <summary>The notebook runner's arguments for setup.</summary>
    public static IReadOnlyList<string> NotebookRunnerArguments(Invocation invocation) =>
        ["--out", NotebooksOut, .. invocation.Quick ? ["--quick"] : Array.Empty<string>(), .. invocation.PassThrough];

    /// <summary>Folder of the plain C# programs that setup writes, one per notebook.</summary>
    public const string AppsOut = "out/apps";

    /// <summary>
    /// Writes every notebook as a plain C# program to out/apps (tools/AppGenerator, built with this tool). A notebook
    /// the generator refuses is named and setup goes on, so one refused notebook never keeps the others, or the
    /// notebooks themselves, from being set up; the tests fail on it.
    /// </summary>
    public static Step WriteApps { get; } = new("apps", (workspace, _) =>
    {
        if (workspace.Dotnet(Path.Combine(AppContext.BaseDirectory, "AppGenerator.dll"), "--out", AppsOut) != 0)
            Console.Error.WriteLine($"setup: the notebooks named above have no plain C# program in {AppsOut}; the others do.");
        return 0;
    });

    /// <summary>
    /// Folder of the executed notebooks that test writes (quick mode, dotnet-interactive; dotnet-repl's go to the same
    /// name with "-repl"), apart from out/notebooks, so the tests never replace what setup wrote.
    /// </summary>
    public const string TestNotebooksOut = "out/test/notebooks";

    /// <summary>Folder of the plain C# programs that test writes and runs, each with its run record (<see cref="ProgramRun"/>).</summary>
    public const string TestProgramsOut = "out/test/programs";

    /// <summary>The course library's variable for libtorch's thread count (README, "The course library").</summary>
    public const string ThreadsVariable = "DLWORKBOOK_THREADS";

    /// <summary>
    /// Everything the tests read that needs a notebook run, done once per test run and side by side: every notebook in
    /// quick mode in dotnet-interactive with two libtorch threads (out/test/notebooks) and in dotnet-repl with one thread
    /// and every cell run twice in a row (out/test/notebooks-repl: a learner may run any cell again), every notebook's
    /// plain C# program generated and run in quick mode with one thread (out/test/programs), and the build of the tests.
    /// The two thread counts let the tests hold the prose's numbers against runs at one and at two threads. What was
    /// there from an earlier run is removed first, so nothing from an interrupted run is left to pass for this one. A
    /// notebook or program that fails does not stop the command: the tests report it, with the notebook and cell.
    /// </summary>
    public static Step RunTestNotebooks { get; } = new("notebooks", (workspace, _) =>
    {
        workspace = WithPassiveWaiting(workspace);
        Console.WriteLine(workspace.DataSource);
        foreach (var folder in new[] { TestNotebooksOut, TestNotebooksOut + "-repl", TestProgramsOut })
            if (Directory.Exists(workspace.PathOf(folder))) Directory.Delete(workspace.PathOf(folder), recursive: true);
        var oneThread = workspace.With(ThreadsVariable, "1");
        var interactive = Task.Run(() => workspace.With(ThreadsVariable, "2").Dotnet(
            NotebookRunner, "--quick", "--host", "interactive", "--out", TestNotebooksOut));
        var repl = Task.Run(() => oneThread.Dotnet(
            NotebookRunner, "--quick", "--host", "repl", "--each-cell-twice", "--out", TestNotebooksOut + "-repl"));
        var programs = Task.Run(() => RunTestPrograms(oneThread));
        var build = Task.Run(() => workspace.Dotnet("build", "DlWorkbook.sln", "-nologo", "-v", "quiet", "-clp:ErrorsOnly"));
        Task.WaitAll(interactive, repl, programs, build);
        if (interactive.Result == 2 || repl.Result == 2)
        {
            Console.Error.WriteLine("test: the notebook runner could not start (see above).");
            return 2;
        }
        if (build.Result != 0) Console.Error.WriteLine("test: the tests do not build (errors above).");
        return build.Result;
    });

    /// <summary>
    /// The test command runs more than the cores can hold at once (two notebook hosts, the programs and a build; then
    /// the tests' own kernels side by side). libtorch's OpenMP threads spin while they wait for work, burning CPU that the
    /// other runs need; told to wait passively, they sleep instead. Same thread counts, same numbers: notebook 04 in quick
    /// mode at two threads beside one busy core took 22-24 s (20-23 CPU-s) instead of 32-38 s (34-43 CPU-s). A policy
    /// set in the environment (<paramref name="environment"/>, else this process's) wins: the runs inherit it.
    /// </summary>
    public static Workspace WithPassiveWaiting(Workspace workspace, Func<string, string?>? environment = null) =>
        (environment ?? System.Environment.GetEnvironmentVariable)(WaitPolicyVariable) is { Length: > 0 }
            ? workspace
            : workspace.With(WaitPolicyVariable, "PASSIVE");

    /// <summary>OpenMP's wait policy: ACTIVE (spin) or PASSIVE (sleep at once).</summary>
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>Writes every notebook's program to out/test/programs and runs each once in quick mode, saving its run record.</summary>
    static void RunTestPrograms(Workspace workspace)
    {
        var folder = workspace.PathOf(TestProgramsOut);
        // A notebook the generator refuses is named here and gets no program; its test names it again.
        workspace.Dotnet(Path.Combine(AppContext.BaseDirectory, "AppGenerator.dll"), "--out", TestProgramsOut);
        foreach (var program in (Directory.Exists(folder) ? Directory.GetFiles(folder, "*.cs") : []).Order(StringComparer.Ordinal))
        {
            var notebook = workspace.PathOf($"notebooks/{Path.GetFileNameWithoutExtension(program)}.ipynb");
            var run = ProgramRun.Execute(program, quick: true, workspace.Root, workspace.Environment)
                with { NotebookSha256 = File.Exists(notebook) ? ProgramRun.Sha256Of(notebook) : null };
            run.Save(ProgramRun.RecordOf(program));
            var clean = run.ExitCode == 0 && run.Errors.Trim().Length == 0;
            Console.WriteLine($"{(clean ? "ok  " : "FAIL")} {Path.GetFileName(program)} as a program, {run.Seconds:0.0} s"
                              + (clean ? "" : $" (exit code {run.ExitCode}; the tests say where)"));
        }
    }

    /// <summary>Folder of the static course site that setup writes.</summary>
    public const string SiteOut = "out/site";

    /// <summary>Builds the static course site from the executed notebooks (tools/SiteBuilder, built with this tool).</summary>
    public static Step BuildSite { get; } = new("site", (workspace, _) =>
        workspace.Dotnet(Path.Combine(AppContext.BaseDirectory, "SiteBuilder.dll"), "--notebooks", NotebooksOut, "--out", SiteOut));

    /// <summary>Folder of the test result files (TRX) that test writes and reads back.</summary>
    public const string TestResultsOut = "out/test-results";

    /// <summary>Options of <c>dotnet test</c> that ask for a build other than the one the notebooks step made.</summary>
    static readonly HashSet<string> BuildOptions =
        ["-c", "--configuration", "-f", "--framework", "-r", "--runtime", "-a", "--arch", "--os"];

    /// <summary>
    /// The trait (name and value) of the tests that must have their process to themselves (they count live tensors, swap
    /// the console or reseed the global generator): the tests' serial collection, whose classes all carry it.
    /// </summary>
    public const string AloneTraitName = "Runs", AloneTraitValue = "alone";

    /// <summary>
    /// The <c>dotnet test</c> runs of the test command: TRX results into out/test-results, and no build of their own, since
    /// the notebooks step built the tests. Run as one process, xUnit keeps the tests that need the process to themselves
    /// for the end and runs them one at a time, leaving a core idle for minutes; so a plain test run makes two processes,
    /// side by side: those tests in one, one at a time as before, and all the others in the second. Options that ask for
    /// another build (a configuration, a framework) or choose the tests (a filter) get one run, as given.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> DotnetTestRuns(Invocation invocation)
    {
        var ownBuild = invocation.PassThrough.Any(BuildOptions.Contains);
        IReadOnlyList<string> Run(string results, params string[] filter) =>
        [
            "test", "DlWorkbook.sln", "-nologo", .. ownBuild ? Array.Empty<string>() : ["--no-build"],
            "--logger", "trx", "--results-directory", results, .. filter, .. invocation.PassThrough,
        ];
        return ownBuild || invocation.PassThrough.Contains("--filter")
            ? [Run(TestResultsOut)]
            : [Run(TestResultsOut + "/alone", "--filter", $"{AloneTraitName}={AloneTraitValue}"),
               Run(TestResultsOut + "/others", "--filter", $"{AloneTraitName}!={AloneTraitValue}")];
    }

    /// <summary>Runs the tests of <c>DlWorkbook.sln</c> (<see cref="DotnetTestRuns"/>) and closes with one plain line: "tests: N passed, N failed".</summary>
    public static Step RunTests { get; } = new("tests", (workspace, invocation) =>
    {
        workspace = WithPassiveWaiting(workspace);
        Console.WriteLine(workspace.DataSource);
        var results = workspace.PathOf(TestResultsOut);
        if (Directory.Exists(results)) Directory.Delete(results, recursive: true);
        var runs = DotnetTestRuns(invocation).Select(arguments => Task.Run(() => workspace.Dotnet(arguments))).ToArray();
        Task.WaitAll(runs);
        var code = runs.Select(run => run.Result).FirstOrDefault(c => c != 0);
        var counts = TestCounts.Read(results);
        if (counts is null || Directory.GetFiles(results, "*.trx", SearchOption.AllDirectories).Length < runs.Length)
        {
            Console.Error.WriteLine("tests: a dotnet test run wrote no results (a build error or a crash of the test host? see above).");
            return code == 0 ? 1 : code;
        }
        foreach (var (reason, tests) in TestCounts.SkipReasons(results)) Console.WriteLine($"tests: {tests} skipped: {reason}");
        Console.WriteLine($"tests: {counts.Passed} passed, {counts.Failed} failed");
        return code != 0 ? code : counts.Failed > 0 ? 1 : 0;
    });
}
