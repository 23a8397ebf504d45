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

    /// <summary>Folder of the executed notebooks that test writes (quick mode) for the course site's browser test.</summary>
    public const string TestNotebooksOut = "out/test/notebooks";

    /// <summary>
    /// Runs every notebook in quick mode into out/test/notebooks, where the course site's browser test reads them
    /// (a separate folder, so the tests never replace what setup wrote to out/notebooks).
    /// </summary>
    public static Step RunTestNotebooks { get; } = new("notebooks", (workspace, _) =>
        workspace.Dotnet(NotebookRunner, "--quick", "--out", TestNotebooksOut));

    /// <summary>Folder of the static course site that setup writes.</summary>
    public const string SiteOut = "out/site";

    /// <summary>Builds the static course site from the executed notebooks (tools/SiteBuilder, built with this tool).</summary>
    public static Step BuildSite { get; } = new("site", (workspace, _) =>
        workspace.Dotnet(Path.Combine(AppContext.BaseDirectory, "SiteBuilder.dll"), "--notebooks", NotebooksOut, "--out", SiteOut));

    /// <summary>Folder of the test result files (TRX) that test writes and reads back.</summary>
    public const string TestResultsOut = "out/test-results";

    /// <summary>Runs <c>dotnet test DlWorkbook.sln</c> and closes with one plain line: "tests: N passed, N failed".</summary>
    public static Step RunTests { get; } = new("tests", (workspace, invocation) =>
    {
        Console.WriteLine(workspace.DataSource);
        var results = workspace.PathOf(TestResultsOut);
        if (Directory.Exists(results)) Directory.Delete(results, recursive: true);
        var code = workspace.Dotnet([
            "test", "DlWorkbook.sln", "-nologo", "--logger", "trx", "--results-directory", TestResultsOut, .. invocation.PassThrough]);
        var counts = TestCounts.Read(results);
        if (counts is null)
        {
            Console.Error.WriteLine("tests: dotnet test wrote no results (a build error? see above).");
            return code == 0 ? 1 : code;
        }
        foreach (var (reason, tests) in TestCounts.SkipReasons(results)) Console.WriteLine($"tests: {tests} skipped: {reason}");
        Console.WriteLine($"tests: {counts.Passed} passed, {counts.Failed} failed");
        return code != 0 ? code : counts.Failed > 0 ? 1 : 0;
    });
}
