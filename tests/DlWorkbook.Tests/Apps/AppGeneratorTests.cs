using System.Text.RegularExpressions;
using AppGenerator;
using DlWorkbook.Exercises;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DlWorkbook.Tests.Apps;

/// <summary>
/// The program generator on small notebooks: what it moves where, what it shows, what it refuses (with the notebook,
/// the cell and the fix), and that the C# compiler accepts the scopes of every generated program, the workbook's
/// included.
/// </summary>
public class AppGeneratorTests : IDisposable
{
    const string Version = "1.2.3-test";
    readonly AppNotebooks notebooks = new();

    public void Dispose() => notebooks.Dispose();

    GenerationResult Generate(params string[] paths) =>
        AppGeneration.Run(paths, notebooks.Apps, Path.Combine(RepoPaths.Root, "lib", "DlWorkbook", "DlWorkbook.csproj"),
            LibraryReference.Package, Version);

    string GenerateOne(string path)
    {
        var result = Generate(path);
        Assert.Empty(result.Failures);
        return File.ReadAllText(Path.Combine(notebooks.Apps, Path.GetFileNameWithoutExtension(path) + ".cs"));
    }

    string Failure(string path)
    {
        var result = Generate(path);
        Assert.Empty(Directory.GetFiles(notebooks.Apps));
        return Assert.Single(result.Failures);
    }

    [Fact]
    public void UsingsAreHoistedTypesMovedAfterTheStatementsAndTheLibraryReferencedAtTheTop()
    {
        var program = GenerateOne(notebooks.WriteCode("03-moves.ipynb",
            "using TorchSharp;\nusing static TorchSharp.torch;\nvar a = 1;",
            "using TorchSharp;\n// a row of the table\nrecord Row(string Name, int Count);\nvar rows = new List<Row> { new(\"a\", a) };",
            "using System.IO;\nConsole.WriteLine(rows.Count);"));

        Assert.StartsWith(NotebookProgram.GeneratedMarker, program);
        var lines = program.Split('\n');
        Assert.Contains($"#:package DlWorkbook@{Version}", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("#r", StringComparison.Ordinal));
        var usings = lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal)).ToList();
        Assert.Equal(1, usings.Count(u => u == "using TorchSharp;"));
        Assert.Contains("using static TorchSharp.torch;", usings);
        Assert.Contains("using System.IO;", usings);
        Assert.Contains("using static DlWorkbook.Apps.NotebookApp;   // display(...), as in the notebook", usings);
        var lastUsing = Array.FindLastIndex(lines, l => l.StartsWith("using ", StringComparison.Ordinal));
        var firstStatement = Array.FindIndex(lines, l => l.StartsWith("var a = 1;", StringComparison.Ordinal));
        var record = Array.FindIndex(lines, l => l.StartsWith("record Row(", StringComparison.Ordinal));
        Assert.True(lastUsing < firstStatement && firstStatement < record, "usings, then statements, then types");
        Assert.Equal("// a row of the table", lines[record - 1]);
        Assert.True(record > Array.FindIndex(lines, l => l.StartsWith("Console.WriteLine(rows.Count);", StringComparison.Ordinal)));
        Assert.Empty(CompilerScopeErrors(program));
    }

    [Fact]
    public void EachCodeCellIsMarkedWithItsNumberAmongAllCellsAndTheSectionAboveIt()
    {
        var program = GenerateOne(notebooks.Write("04-marks.ipynb",
            AppNotebooks.Markdown("# 04 · Marks\n\nIntro."),
            AppNotebooks.Code(AppNotebooks.LibraryCell),
            AppNotebooks.Markdown("## 5.1 The \"first\" part\n\nText with a long line " + string.Concat(Enumerable.Repeat("word ", 40))),
            AppNotebooks.Code("var x = 2;"),
            AppNotebooks.Code("Console.WriteLine(x);")));

        Assert.Contains("// ── cell 2 (the library reference) ──\n", program);
        Assert.Contains("// ── cell 4 ──\nNotebookApp.Cell(4, \"5.1 The \\\"first\\\" part\");\nvar x = 2;\n", program);
        Assert.Contains("NotebookApp.Cell(5, \"5.1 The \\\"first\\\" part\");\nConsole.WriteLine(x);", program);
        Assert.Contains("NotebookApp.Begin(\"04-marks.ipynb\");", program);
        Assert.Contains("// ## 5.1 The \"first\" part\n", program);
        Assert.All(program.Split('\n').Where(l => l.StartsWith("//", StringComparison.Ordinal)), l => Assert.True(l.Length <= 120, l));
        Assert.Contains("dotnet run", program);
        Assert.Contains("--answer 04.1=ANSWER", program);
    }

    [Fact]
    public void ATrailingExpressionIsShownThroughDisplayAndAStatementIsLeftAlone()
    {
        var program = GenerateOne(notebooks.WriteCode("05-show.ipynb",
            "var t = 3;\nt * 2   // shown in the notebook",
            "new[] {\n    1, 2,\n}\n.Select(v => v * t)",
            "Console.WriteLine(t);"));

        Assert.Contains("display(t * 2);   // shown in the notebook", program);
        Assert.Contains("\ndisplay(new[] {\n    1, 2,\n}\n.Select(v => v * t));\n", program);
        Assert.Contains("\nConsole.WriteLine(t);\n", program);
        Assert.Empty(CompilerScopeErrors(program));
    }

    [Fact]
    public void TorchMatmulIsCheckedAsInTheNotebookKernelSoAMismatchCanBeCaught()
    {
        var program = GenerateOne(notebooks.WriteCode("06-matmul.ipynb",
            "var a = torch.ones(2, 3);\ntry { torch.matmul(a, TorchSharp.torch.matmul(a.T, a)); }\ncatch (ArgumentException e) { Console.WriteLine(e.Message); }",
            "var fine = a.matmul(a.T);   // the method form is left as written"));

        Assert.Contains("try { DlWorkbook.Tensors.CheckedMatmul.Matmul(a, DlWorkbook.Tensors.CheckedMatmul.Matmul(a.T, a)); }", program);
        Assert.Contains("var fine = a.matmul(a.T);", program);
        Assert.Empty(CompilerScopeErrors(program));
    }

    [Theory]
    [InlineData("#!time\nvar x = 1;", "`#!time` is a notebook magic command")]
    [InlineData("#r \"nuget: Newtonsoft.Json, 13.0.3\"", "loads the NuGet package Newtonsoft.Json")]
    [InlineData("#i \"nuget: /tmp/feed\"", "adds a package source")]
    [InlineData("#r \"System.Drawing.dll\"", "references an assembly")]
    [InlineData("#load \"helpers.csx\"", "loads another script")]
    [InlineData("public int Answer => 42;", "declares a property `Answer` at the top of the cell")]
    [InlineData("public static int Twice(int x) => 2 * x;", "declares the method `Twice` as `public`")]
    [InlineData("var x = ;", "does not parse as C# (line 1 of the cell, column 9")]
    public void ACellAProgramCannotHoldStopsGenerationNamingTheNotebookCellAndFix(string source, string problem)
    {
        var failure = Failure(notebooks.WriteCode("06-bad.ipynb", "var fine = 1;", source));

        Assert.StartsWith("06-bad.ipynb, cell 3: ", failure);
        Assert.Contains(problem, failure);
    }

    [Fact]
    public void ACellInAnotherLanguageStopsGeneration()
    {
        var failure = Failure(notebooks.Write("07-fsharp.ipynb", AppNotebooks.Code(AppNotebooks.LibraryCell), AppNotebooks.Code("let x = 1", "fsharp")));

        Assert.Equal("07-fsharp.ipynb, cell 2: is a fsharp cell; the programs run C# only. Rewrite it in C# or move it out of the course notebook.", failure);
    }

    [Fact]
    public void ANotebookWithoutTheLibraryCellStopsGeneration() =>
        Assert.Contains("08-nolib.ipynb: no cell loads the course library",
            Failure(notebooks.Write("08-nolib.ipynb", AppNotebooks.Code("var x = 1;"))));

    [Theory]
    [InlineData("var (n, m) = (1, 2);", "var n = 3;", "cell 3: declares `n` again (cell 2 declared it first")]
    [InlineData("int Square(int v) => v * v;", "var Square = 4;", "cell 3: declares `Square` again (cell 2 declared it first")]
    [InlineData("if (int.TryParse(\"5\", out var parsed)) { }", "var parsed = 6;", "cell 3: declares `parsed` again (cell 2")]
    [InlineData("var total = 0;", "foreach (var total in new[] { 1 }) { }", "cell 3: declares `total` inside a block, a loop or a pattern, and the earlier cell 2")]
    [InlineData("var k = 1;", "var s = 2 switch { int k => k };", "cell 3: declares `k` inside a block")]
    [InlineData("var q = 1;", "var r = from q in new[] { 1 } select q;", "cell 3: declares `q` inside a block")]
    public void ANameThatOneProgramCannotHoldStopsGenerationNamingTheCellsAndName(string first, string second, string expected)
    {
        // The last cell uses every name of the earlier ones, so no cell can have a block of its own.
        var failure = Failure(notebooks.WriteCode("09-names.ipynb", first, second, "Console.WriteLine(n + m + Square(2) + parsed + total + k + q + s + r.Count());"));

        Assert.Contains(expected, failure);
        Assert.Contains("Rename", failure);
        // The compiler agrees that the program would not compile.
        var program = NotebookProgramText(first, second);
        Assert.Contains(CompilerScopeErrors(program), e => e.StartsWith("CS0128", StringComparison.Ordinal)
            || e.StartsWith("CS0136", StringComparison.Ordinal) || e.StartsWith("CS1931", StringComparison.Ordinal));
    }

    [Fact]
    public void NamesThatLambdasLocalFunctionsAndSeparateBlocksReuseAreAccepted()
    {
        var program = GenerateOne(notebooks.WriteCode("10-shadow.ipynb",
            "var x = 1;\nint F(int x) => x + 1;\nFunc<int, int> g = x => x * 2;\nvar q = new[] { 1 }.Select(v => from x in new[] { v } select x);",
            "foreach (var item in new[] { 1 }) { var inner = item; }\nfor (var i = 0; i < 1; i++) { var inner = i; }",
            "while (x is int w && w < 0) { }\nvar w2 = 1;"));

        Assert.Empty(CompilerScopeErrors(program));
    }

    [Fact]
    public void CellsWhoseNamesNoLaterCellUsesGetBlocksOfTheirOwnWhenTheyClash()
    {
        var program = GenerateOne(notebooks.WriteCode("17-own.ipynb",
            "long[] shape = null!;   // ← your answer\nConsole.WriteLine(shape);",
            "var total = 1;\nforeach (var item in new[] { 1 }) total += item;",
            "long[] shape = null!;\nConsole.WriteLine(shape);",
            "Console.WriteLine(total);"));

        Assert.Contains("// ── cell 2 ──\n{   // a scope of its own", program);
        Assert.Contains("// ── cell 4 ──\n{   // a scope of its own", program);
        Assert.Contains("Console.WriteLine(shape);\n}\n", program);
        Assert.DoesNotContain("// ── cell 3 ──\n{", program);
        Assert.Empty(CompilerScopeErrors(program));
    }

    [Fact]
    public void ALoopVariableThatALaterCellDeclaresForTheRestGetsAScopeOfItsOwn()
    {
        var program = GenerateOne(notebooks.WriteCode("11-later.ipynb",
            "foreach (var size in new[] { 2, 3 }) Console.WriteLine(size);",
            "const int size = 32;\nConsole.WriteLine(size);",
            "Console.WriteLine(size + 1);"));

        Assert.Contains("// ── cell 3 ──\n{   // a scope from here to the end", program);
        Assert.Contains("\n}   // the scopes opened above\n", program);
        Assert.Empty(CompilerScopeErrors(program));
    }

    /// <summary>
    /// The workbook's own programs are built for real, and run, by the test command (AppRunTests reports a compile error
    /// with its cell); here only that every notebook becomes one, with every code cell marked in order.
    /// </summary>
    [Fact]
    public void TheWorkbookNotebooksBecomeProgramsWithEveryCodeCellMarked()
    {
        var all = Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb").Order(StringComparer.Ordinal).ToArray();
        var result = Generate(all);

        Assert.True(result.Failures.Count == 0, string.Join("\n", result.Failures));
        Assert.Equal(all.Length, result.Written.Count);
        foreach (var path in result.Written)
        {
            var program = File.ReadAllText(path);
            var notebook = NotebookRunner.NotebookDocument.Load(all.Single(n => Path.GetFileNameWithoutExtension(n) == Path.GetFileNameWithoutExtension(path)));
            var marked = Regex.Matches(program, @"^// ── cell (\d+)", RegexOptions.Multiline).Select(m => int.Parse(m.Groups[1].Value)).ToList();
            Assert.Equal(notebook.CodeCells().Select(c => c.Number), marked);
        }
    }

    [Fact]
    public void TheExercisesOfEachNotebookFitInOneProgram()
    {
        var paths = Exercise.All.GroupBy(e => e.Notebook).Select(group => notebooks.Write($"{group.Key:00}-exercises.ipynb",
        [
            AppNotebooks.Code(AppNotebooks.LibraryCell),
            AppNotebooks.Code(Exercises.Snippets.Preamble),
            .. group.SelectMany(e => new[] { AppNotebooks.Markdown(Exercises.NotebookExercises.Prompt(e.Id)), AppNotebooks.Code(Exercises.NotebookExercises.Starter(e.Id)) }),
        ])).ToArray();

        var result = Generate(paths);

        Assert.True(result.Failures.Count == 0, string.Join("\n", result.Failures));
        Assert.Equal(9, result.Written.Count);                // notebooks 00-07 and the mock exam, 08
        foreach (var program in result.Written) Assert.Empty(CompilerScopeErrors(File.ReadAllText(program)));
    }

    [Fact]
    public void AnUnchangedProgramIsLeftUntouchedAnEditedOneIsKeptAsideAndAStaleOneRemoved()
    {
        var first = notebooks.WriteCode("12-keep.ipynb", "var answer = 1;");
        var second = notebooks.WriteCode("13-gone.ipynb", "var other = 2;");
        Assert.Equal(2, Generate(first, second).Written.Count);
        var program = Path.Combine(notebooks.Apps, "12-keep.cs");
        var stamp = File.GetLastWriteTimeUtc(program);

        var again = Generate(first);
        Assert.Equal([program], again.Unchanged);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(program));
        Assert.False(File.Exists(Path.Combine(notebooks.Apps, "13-gone.cs")), "the program of a notebook that is gone is removed");

        File.WriteAllText(program, File.ReadAllText(program).Replace("var answer = 1;", "var answer = 42;"));
        notebooks.WriteCode("12-keep.ipynb", "var answer = 2;");
        var edited = Generate(first);
        Assert.Contains("var answer = 42;", File.ReadAllText(program + ".edited"));
        Assert.Contains("var answer = 2;", File.ReadAllText(program));
        Assert.Contains(edited.Notes, n => n.Contains("12-keep.cs had been edited", StringComparison.Ordinal));
    }

    [Fact]
    public void ANotebookThatFailsGetsNoProgramAndTheOthersStillDo()
    {
        var good = notebooks.WriteCode("15-good.ipynb", "var x = 1;");
        var bad = notebooks.WriteCode("16-bad.ipynb", "var y = 1;");
        Assert.Equal(2, Generate(good, bad).Written.Count);
        notebooks.WriteCode("16-bad.ipynb", "#!time\nvar y = 1;");

        var result = Generate(good, bad);

        Assert.StartsWith("16-bad.ipynb, cell 2: `#!time` is a notebook magic command", Assert.Single(result.Failures));
        Assert.True(File.Exists(Path.Combine(notebooks.Apps, "15-good.cs")));
        Assert.False(File.Exists(Path.Combine(notebooks.Apps, "16-bad.cs")), "an outdated program of the failing notebook is removed");
    }

    [Fact]
    public void AProjectReferenceIsRelativeToTheProgramsFolder()
    {
        var path = notebooks.WriteCode("14-project.ipynb", "var x = 1;");
        var result = AppGeneration.Run([path], notebooks.Apps, Path.Combine(notebooks.Root, "lib", "DlWorkbook.csproj"), LibraryReference.Project);

        Assert.Empty(result.Failures);
        Assert.Contains("\n#:project ../lib/DlWorkbook.csproj\n", File.ReadAllText(result.Written[0]));
    }

    /// <summary>The program text for cells that the generator refuses, put together as it would (for the compiler's view).</summary>
    static string NotebookProgramText(params string[] cells) =>
        "using System; using System.Linq; using System.Collections.Generic;\n" + string.Join("\n", cells);

    /// <summary>
    /// The errors the C# compiler reports about the program's structure and scopes (duplicate or hiding names, a name
    /// used before its declaration, statements after types, syntax), compiled without the library: errors about its
    /// missing types are expected and ignored.
    /// </summary>
    static List<string> CompilerScopeErrors(string program)
    {
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview).WithFeatures([new("FileBasedProgram", "true")]);
        var tree = CSharpSyntaxTree.ParseText(program, options);
        var references = Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System*.dll")
            .Where(f => !f.Contains("Native", StringComparison.Ordinal)).Select(f => MetadataReference.CreateFromFile(f));
        var compilation = CSharpCompilation.Create("program", [tree], references, new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        string[] scopeErrors = ["CS0128", "CS0136", "CS1931", "CS0841", "CS8803", "CS1529", "CS0102", "CS0101"];
        return tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id + " " + d.GetMessage())
            .Concat(compilation.GetDiagnostics().Where(d => scopeErrors.Contains(d.Id)).Select(d => $"{d.Id} {d.GetMessage()} at {d.Location.GetLineSpan().StartLinePosition}"))
            .ToList();
    }
}
