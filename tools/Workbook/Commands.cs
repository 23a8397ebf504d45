namespace WorkbookTool;

/// <summary>
/// README's commands, each an ordered list of steps. To make a command do more (for example build the
/// static site into out/site, or generate plain C# apps into out/apps), write a <see cref="Step"/> and
/// add it to the list here.
/// </summary>
public static class Commands
{
    /// <summary>
    /// Sets up everything, writes the plain C# programs, runs every notebook headless, checks the figures the prose gives
    /// for full runs against them (<see cref="ProseClaims"/>) and builds the course site.
    /// </summary>
    public static Command Setup { get; } = new(
        "setup", "set up everything, write the plain C# programs -> out/apps/, run every notebook headless -> out/notebooks/, check the prose's full-run figures, build the course site -> out/site/",
        [Flag.Quick], PassesTo: "the notebook runner",
        [Checks.Platform, Checks.CppRuntime, Steps.RestoreTools, Pack.Step, Checks.Natives, Steps.WriteApps, Steps.RunNotebooks, ProseClaims.Step, Steps.BuildSite]);

    /// <summary>
    /// Runs every notebook in quick mode in both hosts and as a plain C# program, once, then the tests (library, data,
    /// and the checks that read those runs), and prints "N passed, N failed".
    /// </summary>
    public static Command Test { get; } = new(
        "test", "run the tests: library, data, and every notebook in quick mode (both hosts and as a program)",
        [], PassesTo: "dotnet test",
        [Checks.Platform, Checks.CppRuntime, Steps.RestoreTools, Pack.Step, Checks.Natives, Steps.RunTestNotebooks, Steps.RunTests]);

    /// <summary>Packs the course library under a fresh version, for a notebook kernel after a library change.</summary>
    public static Command PackLibrary { get; } = new(
        "pack", "pack the course library into packages/ under a fresh version (after changing lib/)",
        [], PassesTo: null,
        [Pack.Step]);

    /// <summary>Everything a notebook needs without running the notebooks: what the devcontainer runs after it is created.</summary>
    public static Command PrepareOnly { get; } = new(
        "prepare", "set up for the notebooks without running them: pack the library, check the natives, fetch the data sets",
        [], PassesTo: null,
        [Checks.Platform, Checks.CppRuntime, Pack.Step, Checks.Natives, Prepare.Data]);

    /// <summary>Shows which exercises are correct, not yet right or not attempted, per notebook and for the mock exam.</summary>
    public static Command ShowProgress { get; } = new(
        "progress", "show the exercises correct, not yet right and not attempted, per notebook (--reset forgets them)",
        [Flag.Reset], PassesTo: null,
        [ProgressReport.Step]);

    /// <summary>Every command, by name.</summary>
    public static IReadOnlyList<Command> All { get; } = [Setup, Test, PackLibrary, PrepareOnly, ShowProgress];
}
