using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NotebookRunner;

namespace AppGenerator;

/// <summary>
/// One notebook as a .NET 10 file-based program: the library reference and the notebook host's implicit usings at the
/// top, then every cell in order (markdown as comments, code with a marker that names the cell at run time), then the
/// notebook's type declarations.
/// </summary>
internal static partial class NotebookProgram
{
    /// <summary>
    /// The first line of every generated program; the generator only ever replaces or removes files that start with it.
    /// Not "&lt;auto-generated&gt;": the compiler would then treat the lessons as generated code, with nullable annotations off.
    /// </summary>
    public const string GeneratedMarker = "// Generated from a notebook by tools/AppGenerator.";

    /// <summary>
    /// What the notebook kernel (dotnet-interactive's C# kernel) imports before the first cell; the programs import the
    /// same instead of the SDK's implicit usings, so a name means the same in both.
    /// </summary>
    public static readonly IReadOnlyList<string> KernelUsings =
    [
        "using System;", "using System.Collections;", "using System.Collections.Generic;", "using System.Linq;",
        "using System.Text;", "using System.Threading.Tasks;", "using Microsoft.DotNet.Interactive.Formatting;",
    ];

    const int CommentWidth = 116;

    /// <summary>The program for the notebook at <paramref name="path"/>.</summary>
    /// <param name="path">The notebook.</param>
    /// <param name="libraryReference">The <c>#:project</c> or <c>#:package</c> line that brings in the course library.</param>
    /// <param name="programPath">Where the program will be written, as the repository names it (for the run command in its header).</param>
    /// <param name="matmul">Binds the program to check its matmul calls (default: against TorchSharp alone).</param>
    /// <exception cref="GenerationException">A cell cannot be placed in a program; the message says which and why.</exception>
    public static string Generate(string path, string libraryReference, string programPath, ProgramMatmul? matmul = null)
    {
        var name = Path.GetFileName(path);
        NotebookDocument document;
        try
        {
            document = NotebookDocument.Load(path);
        }
        catch (Exception e) when (e is InvalidNotebookException or IOException)
        {
            throw new GenerationException(name, 0, e.Message);
        }

        // First every cell taken apart (a cell that cannot be placed stops here), then the program written.
        var parts = new List<(int Number, string? Markdown, CellCode? Code, string? Section)>();
        string? title = null, section = null;
        for (var index = 0; index < document.Cells.Count; index++)
        {
            var cell = (System.Text.Json.Nodes.JsonObject)document.Cells[index]!;
            var number = index + 1;
            var source = NotebookDocument.SourceOf(cell).Replace("\r\n", "\n");
            switch (cell["cell_type"]?.GetValue<string>())
            {
                case "markdown":
                    foreach (var heading in HeadingLine().Matches(source).Select(m => m.Groups["text"].Value.Trim()))
                    {
                        title ??= heading;
                        section = heading;
                    }
                    parts.Add((number, source, null, null));
                    break;
                case "code":
                    var kernel = new CodeCell(number, cell).KernelName;
                    if (kernel is not ("csharp" or "C#"))
                        throw new GenerationException(name, number, $"is a {kernel} cell; the programs run C# only. Rewrite it in C# or "
                                                                    + "move it out of the course notebook.");
                    parts.Add((number, null, CellCode.Parse(name, number, source), section));
                    break;
                default:
                    // A raw cell is neither run nor shown by the notebook host.
                    break;
            }
        }
        var cells = parts.Where(p => p.Code is not null).Select(p => p.Code!).ToList();
        if (!cells.Any(c => c.ReferencesLibrary))
            throw new GenerationException(name, 0, $"no cell loads the course library (#r \"nuget: {CellCode.LibraryPackage}, *-*\"); "
                                                   + "every notebook does so in its first code cell.");
        var layout = ProgramScope.Fit(name, cells);

        var body = new StringBuilder();
        foreach (var (number, markdown, code, cellSection) in parts)
        {
            if (markdown is not null)
            {
                body.Append('\n').Append(Comment(markdown)).Append('\n');
                continue;
            }
            body.Append('\n').Append(CellComment(code!)).Append('\n');
            if (layout.RestBlocks.Contains(number))
                body.Append("{   // a scope from here to the end: an earlier cell uses a name of this cell's for something else\n");
            if (code!.Body.Length == 0) continue;
            var ownBlock = layout.OwnBlocks.Contains(number);
            if (ownBlock) body.Append("{   // a scope of its own: no later cell uses its names, and another cell declares one of them too\n");
            body.Append($"NotebookApp.Cell({number}{(cellSection is null ? "" : ", " + Literal(cellSection))});\n")
                .Append(code.Body).Append('\n');
            if (ownBlock) body.Append("}\n");
        }
        if (layout.RestBlocks.Count > 0)
            body.Append('\n').Append(new string('}', layout.RestBlocks.Count)).Append("   // the scopes opened above\n");

        var program = new StringBuilder();
        program.Append(GeneratedMarker).Append('\n')
            .Append(Comment($"{title ?? name}: {name} as a plain C# program (.NET 10 file-based app). Run it from the repository root:\n\n"
                            + $"    dotnet run {programPath}\n\n"
                            + $"Quick mode (fewer epochs and less data): DLWORKBOOK_QUICK=1 dotnet run {programPath}\n"
                            + $"Exercise answers on the command line: dotnet run {programPath} -- --answer {ExerciseExample(name)}\n"
                            + "Do not edit: the setup command writes this file again from the notebook. Edit the notebook instead; "
                            + "an exercise answer typed here holds until then."))
            .Append('\n')
            .Append(libraryReference).Append('\n')
            // No native AOT (the default of file-based programs): TorchSharp, Deedle and Plotly.NET use reflection.
            .Append("#:property PublishAot=false\n")
            // The usings below are the notebook host's, not the SDK's implicit ones.
            .Append("#:property ImplicitUsings=disable\n")
            // No nullable context, as in the notebook host (C# script): the lessons' code compiles with the same warnings.
            .Append("#:property Nullable=disable\n")
            // The repository's central package versions are for its projects; a program names its one package itself.
            .Append("#:property ManagePackageVersionsCentrally=false\n")
            // Link TorchSharp's natives (about 1 GB) into each program's build folder instead of copying them.
            .Append("#:property CreateHardLinksForCopyLocalIfPossible=true\n")
            .Append('\n');
        foreach (var usingDirective in KernelUsings.Concat(cells.SelectMany(c => c.Usings)).Distinct())
            program.Append(usingDirective).Append('\n');
        program.Append("using DlWorkbook.Apps;\n")
            .Append($"using static DlWorkbook.Apps.NotebookApp;   // {CellCode.DisplayFunction}(...), as in the notebook\n")
            .Append('\n')
            .Append($"NotebookApp.Begin({Literal(name)});\n")
            .Append(body);

        var types = cells.Where(c => c.Types.Count > 0).ToList();
        if (types.Count > 0)
        {
            program.Append("\n// ── The notebook's type declarations: a program's statements must come first, so they are here. ──\n");
            foreach (var cell in types)
            foreach (var type in cell.Types)
                program.Append('\n').Append($"// from cell {cell.Number}\n").Append(type.TrimEnd()).Append('\n');
        }
        return Checked(name, (matmul ?? ProgramMatmul.For(null)).Route(program.ToString(), ProgramOptions));
    }

    /// <summary>The program, after the compiler's parser found it well formed (a safety net for the generator itself).</summary>
    static string Checked(string notebook, string program)
    {
        var tree = CSharpSyntaxTree.ParseText(program, ProgramOptions);
        if (tree.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is not { } error) return program;
        var line = error.Location.GetLineSpan().StartLinePosition.Line;
        var cell = program.Split('\n').Take(line + 1).Select(l => CellLine().Match(l)).LastOrDefault(m => m.Success);
        throw new GenerationException(notebook, cell is null ? 0 : int.Parse(cell.Groups[1].Value, CultureInfo.InvariantCulture),
            $"the generated program does not parse ({error.GetMessage()}, line {line + 1}). This is a bug in tools/AppGenerator; "
            + "please report it with the notebook.");
    }

    static readonly CSharpParseOptions ProgramOptions =
        CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview).WithFeatures([new("FileBasedProgram", "true")]);

    /// <summary>An exercise answer as the command line takes it, with the notebook's own number: "02.1=…".</summary>
    static string ExerciseExample(string notebook) =>
        (notebook.Length >= 2 && char.IsAsciiDigit(notebook[0]) && char.IsAsciiDigit(notebook[1]) ? notebook[..2] : "00") + ".1=ANSWER";

    static string CellComment(CellCode code)
    {
        var moved = new List<string>();
        if (code.Usings.Count > 0) moved.Add("its usings are at the top");
        if (code.Types.Count > 0) moved.Add("its types at the end");
        var note = code.ReferencesLibrary ? "the library reference" : "";
        var detail = string.Join("; ", new[] { note }.Concat(moved).Where(s => s.Length > 0));
        return $"// ── cell {code.Number}{(detail.Length > 0 ? " (" + detail + ")" : "")} ──";
    }

    /// <summary>Markdown as line comments, prose wrapped at <see cref="CommentWidth"/> characters; tables, code and formulas as written.</summary>
    internal static string Comment(string markdown)
    {
        var lines = new List<string>();
        var fenced = false;
        foreach (var raw in markdown.Replace("\r\n", "\n").TrimEnd().Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
            if (fenced || line.Length <= CommentWidth || !IsProse(line))
            {
                lines.Add(line);
                continue;
            }
            var indent = ListIndent(line);
            var current = new StringBuilder();
            foreach (var word in line.Split(' '))
            {
                if (current.Length > indent.Length && current.Length + 1 + word.Length > CommentWidth)
                {
                    lines.Add(current.ToString());
                    current.Clear().Append(indent);
                }
                if (current.Length > 0 && current.Length != indent.Length) current.Append(' ');
                current.Append(word);
            }
            lines.Add(current.ToString());
        }
        return string.Join('\n', lines.Select(l => l.Length == 0 ? "//" : "// " + l));
    }

    static bool IsProse(string line)
    {
        var trimmed = line.TrimStart();
        return !trimmed.StartsWith('|') && !trimmed.StartsWith("$$", StringComparison.Ordinal) && !line.StartsWith("    ", StringComparison.Ordinal)
               && !trimmed.StartsWith('<');
    }

    /// <summary>The indentation of a list item's continuation lines ("* ", "1. "), so wrapped items stay readable.</summary>
    static string ListIndent(string line)
    {
        var match = ListItem().Match(line);
        return match.Success ? new string(' ', match.Length) : "";
    }

    static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^\s*([*+-]|\d+[.)])\s+")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^// ── cell (\d+)")]
    private static partial Regex CellLine();
}
