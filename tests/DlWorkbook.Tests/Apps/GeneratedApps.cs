using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using AppGenerator;

namespace DlWorkbook.Tests.Apps;

/// <summary>What one run of a generated program printed and how it ended.</summary>
sealed partial record AppRun(string Program, int ExitCode, string Output, string Errors, TimeSpan Elapsed)
{
    /// <summary>The text each cell printed, by cell number (counted from 1 over all cells), from the cell header lines.</summary>
    public IReadOnlyDictionary<int, string> Cells
    {
        get
        {
            var cells = new Dictionary<int, string>();
            foreach (var block in Regex.Split(Output, @"^(?=── cell \d+)", RegexOptions.Multiline))
                if (CellHeader().Match(block) is { Success: true } header)
                    cells[int.Parse(header.Groups[1].Value)] = block[(header.Length)..];
            return cells;
        }
    }

    /// <summary>The last cell that printed something (its header line), for a program that died without a message.</summary>
    public int? LastCellWithOutput => CellHeader().Matches(Output).Select(m => (int?)int.Parse(m.Groups[1].Value)).LastOrDefault();

    /// <summary>How the run failed, naming the notebook and the cell; null when it ran clean.</summary>
    public string? Failure(string notebook)
    {
        if (ExitCode == 0 && Errors.Trim().Length == 0) return null;
        // A compile error names a line of the program; the program's comments say which cell that line came from.
        var compile = Regex.Match(Output + Errors, @"\.cs\((\d+),\d+\): error (\w+: .*)");
        if (compile.Success)
            return $"{notebook}, cell {CellOfLine(File.ReadAllLines(Program), int.Parse(compile.Groups[1].Value))}: the program does not compile: "
                   + compile.Groups[2].Value.Trim();
        // An exception names notebook and cell itself (NotebookApp); a process that died (a native abort) does not.
        var named = Errors.Split('\n').FirstOrDefault(l => l.StartsWith(notebook + ", cell ", StringComparison.Ordinal));
        if (named is not null) return named.Trim() + $" (exit code {ExitCode})";
        var after = LastCellWithOutput is { } cell ? $" after the output of cell {cell}" : "";
        return ExitCode != 0
            ? $"{notebook}: the program exited with code {ExitCode}{after}. Standard error:\n{Tail(Errors)}\nStandard output:\n{Tail(Output)}"
            : $"{notebook}: the program wrote to standard error{after}:\n{Tail(Errors)}";
    }

    /// <summary>The cell a line of a generated program belongs to: the last cell comment above it.</summary>
    internal static int CellOfLine(IReadOnlyList<string> program, int line)
    {
        for (var i = Math.Min(line, program.Count) - 1; i >= 0; i--)
            if (Regex.Match(program[i], @"^// ── cell (\d+)") is { Success: true } m) return int.Parse(m.Groups[1].Value);
        return 0;
    }

    static string Tail(string text) => string.Join('\n', text.TrimEnd().Split('\n').TakeLast(15));

    [GeneratedRegex(@"^── cell (\d+)[^\n]*\n?", RegexOptions.Multiline)]
    private static partial Regex CellHeader();
}

/// <summary>
/// Every notebook generated as a program into out/test-apps (the build of the library in packages/, as the notebooks
/// load it), each run at most once per test run, in quick mode, when a test first asks for it.
/// </summary>
public sealed class GeneratedApps
{
    /// <summary>Generous: other tests run beside these on a 2-core machine.</summary>
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    readonly ConcurrentDictionary<string, Lazy<AppRun>> runs = new(StringComparer.Ordinal);
    readonly Lazy<GenerationResult> generation;

    public GeneratedApps()
    {
        Folder = Path.Combine(RepoPaths.Root, "out", "test-apps");
        generation = new Lazy<GenerationResult>(() => Generate(
            Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb").Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal).ToList(), Folder, removeStale: true));
    }

    public string Folder { get; }

    /// <summary>What generating every notebook gave.</summary>
    public GenerationResult Generation => generation.Value;

    /// <summary>Generates programs with the packed library; the package must be at least as new as the library's sources.</summary>
    internal static GenerationResult Generate(IReadOnlyList<string> notebooks, string folder, bool removeStale)
    {
        Notebooks.NotebookSmokeTests.AssertPackageIsFresh();
        var version = File.ReadAllText(Path.Combine(RepoPaths.Packages, "VERSION")).Trim();
        return AppGeneration.Run(notebooks, folder, Path.Combine(RepoPaths.Root, "lib", "DlWorkbook", "DlWorkbook.csproj"),
            LibraryReference.Package, version, removeStale);
    }

    /// <summary>The run of the program of <paramref name="notebook"/> (a file name such as 01-linear-regression.ipynb).</summary>
    internal AppRun Run(string notebook) =>
        runs.GetOrAdd(notebook, n => new Lazy<AppRun>(() =>
        {
            _ = Generation;
            return Execute(Path.Combine(Folder, Path.GetFileNameWithoutExtension(n) + ".cs"), quick: true);
        })).Value;

    /// <summary>Runs a generated program with <c>dotnet run</c> from the repository root.</summary>
    internal static AppRun Execute(string program, bool quick, params string[] arguments)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("run");
        psi.ArgumentList.Add(program);
        if (arguments.Length > 0) psi.ArgumentList.Add("--");
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        psi.Environment[Workbook.QuickModeVariable] = quick ? "1" : "0";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new AppRun(program, -1, output.Result, errors.Result + $"\nstopped after {Limit.TotalMinutes} minutes", clock.Elapsed);
        }
        // libtorch's NNPACK notice on Apple silicon is not the program's doing (see KnownNativeNotices); anything else counts.
        return new AppRun(program, process.ExitCode, output.Result, NotebookRunner.KnownNativeNotices.Without(errors.Result), clock.Elapsed);
    }
}
