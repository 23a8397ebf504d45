using System.Text.RegularExpressions;
using AppGenerator;
using DlWorkbook.Tests.Notebooks;
using ProgramRun = WorkbookTool.ProgramRun;

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
/// Every notebook's plain C# program as README's test command generated and ran it before the tests (out/test/programs,
/// quick mode, the build of the library in packages/ as the notebooks load it), each program built once. A run counts
/// only while its record matches the notebook as it is now and the library build in packages/.
/// </summary>
static class GeneratedApps
{
    /// <summary>Generates programs with the packed library; the package must be at least as new as the library's sources.</summary>
    internal static GenerationResult Generate(IReadOnlyList<string> notebooks, string folder, bool removeStale)
    {
        Notebooks.NotebookSmokeTests.AssertPackageIsFresh();
        var version = File.ReadAllText(Path.Combine(RepoPaths.Packages, "VERSION")).Trim();
        return AppGeneration.Run(notebooks, folder, Path.Combine(RepoPaths.Root, "lib", "DlWorkbook", "DlWorkbook.csproj"),
            LibraryReference.Package, version, removeStale);
    }

    /// <summary>
    /// The test command's run of the program of <paramref name="notebook"/> (a file name such as 01-linear-regression.ipynb),
    /// after checking that it is a run of the notebook as it is now against the library build in packages/.
    /// </summary>
    internal static AppRun Run(string notebook)
    {
        Notebooks.NotebookSmokeTests.AssertPackageIsFresh();
        var source = Path.Combine(RepoPaths.Notebooks, notebook);
        var program = Path.Combine(TestRunOutputs.ProgramFolder, Path.GetFileNameWithoutExtension(notebook) + ".cs");
        var record = ProgramRun.Load(ProgramRun.RecordOf(program));
        if (record is null)
        {
            // No program, or one the test command never got to: a notebook the generator refuses says why.
            var scratch = Directory.CreateTempSubdirectory("dlw-refused-").FullName;
            var refused = Generate([source], scratch, removeStale: false).Failures;
            Directory.Delete(scratch, recursive: true);
            Assert.True(refused.Count == 0, "the generator refused the notebook: " + string.Join("\n", refused));
            Assert.Fail($"{notebook}: there is no run of its program ({ProgramRun.RecordOf(program)}). {TestRunOutputs.Fix}");
        }
        var library = File.ReadAllText(Path.Combine(RepoPaths.Packages, "VERSION")).Trim();
        string? stale = !record.Quick ? "ran in full mode, not quick mode"
            : record.NotebookSha256 != ProgramRun.Sha256Of(source) ? "ran before the notebook last changed"
            : record.Library != library ? $"ran against the course library build {record.Library}, but packages/ holds {library}"
            : null;
        Assert.True(stale is null, $"{notebook}: its program {program} {stale}. {TestRunOutputs.Fix}");
        return new AppRun(program, record.ExitCode, record.Output, record.Errors, TimeSpan.FromSeconds(record.Seconds));
    }

    /// <summary>Runs a generated program with <c>dotnet run</c> from the repository root.</summary>
    internal static AppRun Execute(string program, bool quick, params string[] arguments)
    {
        var run = ProgramRun.Execute(program, quick, RepoPaths.Root, arguments: arguments);
        return new AppRun(program, run.ExitCode, run.Output, run.Errors, TimeSpan.FromSeconds(run.Seconds));
    }
}
