using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AppGenerator;

/// <summary>
/// One notebook code cell taken apart for a file-based program, by moving code and never rewriting it (the whole
/// program's matmul calls are checked afterwards, see <see cref="ProgramMatmul"/>):
/// its <c>using</c> directives (hoisted to the top of the program), its statements and methods in place (they
/// become top-level statements and local functions), its type declarations (moved after the statements, where C#
/// wants them), and its trailing expression, which the notebook displays and the program passes to <c>display</c>.
/// </summary>
/// <param name="Number">The cell, counted from 1 over all cells.</param>
/// <param name="Usings">The cell's using directives, as written.</param>
/// <param name="Body">The cell's code with usings and types taken out; empty when nothing is left to run.</param>
/// <param name="Types">The cell's type declarations with the comments directly above them.</param>
/// <param name="ReferencesLibrary">The cell holds the notebook's library reference, <c>#r "nuget: DlWorkbook, …"</c>.</param>
/// <param name="Names">The names the cell declares, for the check that one program can hold every cell.</param>
internal sealed record CellCode(
    int Number, IReadOnlyList<string> Usings, string Body, IReadOnlyList<string> Types, bool ReferencesLibrary,
    CellNames Names)
{
    /// <summary>The package every notebook loads in its first cell; the program references the library instead.</summary>
    public const string LibraryPackage = "DlWorkbook";

    /// <summary>The function a trailing expression is passed to (the notebook kernel's name for it).</summary>
    public const string DisplayFunction = "display";

    static readonly CSharpParseOptions ScriptOptions = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);

    /// <summary>Takes one code cell apart.</summary>
    /// <exception cref="GenerationException">The cell holds something a program cannot run (a magic command, another
    /// package, a script directive) or does not parse as C#; the message says what to change.</exception>
    public static CellCode Parse(string notebook, int number, string source)
    {
        source = source.Replace("\r\n", "\n");
        var edits = new List<Edit>();
        var fail = (string problem) => new GenerationException(notebook, number, problem);
        var referencesLibrary = false;

        // Kernel directives are lines the notebook host reads before C# sees the cell (as the host does, by their start).
        var masked = new StringBuilder(source);
        var lineStart = 0;
        foreach (var line in source.Split('\n'))
        {
            var directive = line.Trim();
            if (directive.StartsWith("#!", StringComparison.Ordinal))
                throw fail($"`{directive}` is a notebook magic command, which a plain C# program cannot run. "
                           + "Remove it from the cell (do what it does in C# instead), then generate the programs again.");
            if (directive.StartsWith("#i ", StringComparison.Ordinal) || directive.StartsWith("#i\"", StringComparison.Ordinal))
                throw fail($"`{directive}` adds a package source, which only the notebook host reads. Remove the line: the "
                           + "programs reference the course library directly and get packages through nuget.config.");
            if (directive.StartsWith("#r", StringComparison.Ordinal) && directive.Contains("\"nuget:", StringComparison.Ordinal))
            {
                var package = directive[(directive.IndexOf("nuget:", StringComparison.Ordinal) + "nuget:".Length)..]
                    .Split(',', '"')[0].Trim();
                if (!package.Equals(LibraryPackage, StringComparison.OrdinalIgnoreCase))
                    throw fail($"`{directive}` loads the NuGet package {package}; the programs reference only the course "
                               + $"library. Add {package} to lib/DlWorkbook/DlWorkbook.csproj (the notebooks then get it "
                               + "through the library too) and remove the line.");
                referencesLibrary = true;
                edits.Add(new Edit(lineStart, line.TrimEnd().Length, "// " + directive + "  (the program references the library at its top)"));
                for (var i = lineStart; i < lineStart + line.Length; i++) masked[i] = ' ';
            }
            lineStart += line.Length + 1;
        }

        var tree = CSharpSyntaxTree.ParseText(masked.ToString(), ScriptOptions);
        if (tree.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
            throw fail($"does not parse as C# ({Where(error.Location)}: {error.GetMessage()}). Fix the cell in the notebook.");
        var root = (CompilationUnitSyntax)tree.GetRoot();
        CheckDirectives(root, fail);
        if (root.Externs.Count > 0 || root.AttributeLists.Count > 0)
            throw fail("has an `extern alias` or an assembly attribute, which the programs do not support. Remove it from the cell.");

        var usings = new List<string>();
        foreach (var usingDirective in root.Usings)
        {
            usings.Add(usingDirective.WithoutTrivia().ToString());
            edits.Add(Edit.Remove(usingDirective.SpanStart, usingDirective.FullSpan.End));
        }

        var types = new List<string>();
        var hasCode = false;
        foreach (var member in root.Members)
        {
            switch (member)
            {
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    var start = AttachedCommentsStart(member);
                    types.Add(source[start..member.Span.End]);
                    edits.Add(Edit.Remove(start, member.FullSpan.End));
                    break;
                case GlobalStatementSyntax:
                    hasCode = true;
                    break;
                case FieldDeclarationSyntax field:
                    if (field.Modifiers.Any(m => !m.IsKind(SyntaxKind.ConstKeyword)))
                        throw fail($"declares `{field.Declaration.Variables[0].Identifier}` with `{field.Modifiers}`; in a program it "
                                   + "becomes a local variable, which takes no such modifier. Remove the modifier in the notebook.");
                    hasCode = true;
                    break;
                case MethodDeclarationSyntax method:
                    if (method.Modifiers.FirstOrDefault(m => !m.IsKind(SyntaxKind.StaticKeyword) && !m.IsKind(SyntaxKind.AsyncKeyword)
                                                             && !m.IsKind(SyntaxKind.UnsafeKeyword)) is { RawKind: not 0 } modifier)
                        throw fail($"declares the method `{method.Identifier}` as `{modifier}`; in a program it becomes a local "
                                   + "function, which takes no access modifier. Remove the modifier in the notebook.");
                    hasCode = true;
                    break;
                default:
                    throw fail($"declares a {Describe(member)} at the top of the cell, which only C# script allows. Make it a "
                               + "variable or a method, or put it in a class, in the notebook.");
            }
        }

        // The notebook shows the value of a last expression written without a semicolon; the program passes it to display.
        if (root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
            edits.Add(new Edit(last.Expression.SpanStart, last.Expression.Span.Length,
                $"{DisplayFunction}({source[last.Expression.SpanStart..last.Expression.Span.End]});"));

        return new CellCode(number, usings, hasCode ? Tidy(Apply(source, edits)) : "", types, referencesLibrary, CellNames.Of(root));
    }

    static void CheckDirectives(CompilationUnitSyntax root, Func<string, GenerationException> fail)
    {
        foreach (var trivia in root.DescendantTrivia(descendIntoTrivia: true).Where(t => t.IsDirective))
        {
            var text = trivia.ToString().Trim();
            switch (trivia.Kind())
            {
                case SyntaxKind.ReferenceDirectiveTrivia:
                    throw fail($"`{text}` references an assembly, which only C# script can. Reference it from "
                               + "lib/DlWorkbook/DlWorkbook.csproj instead, and remove the line.");
                case SyntaxKind.LoadDirectiveTrivia:
                    throw fail($"`{text}` loads another script, which only C# script can. Move that code into a cell "
                               + "or into the library, and remove the line.");
                case SyntaxKind.DefineDirectiveTrivia or SyntaxKind.UndefDirectiveTrivia:
                    throw fail($"`{text}` must come first in a C# file, and a program puts every cell in one file. "
                               + "Remove it from the cell.");
                case SyntaxKind.IgnoredDirectiveTrivia or SyntaxKind.ShebangDirectiveTrivia:
                    throw fail($"`{text}` is a file-based program directive; the generator writes those itself. Remove it from the cell.");
            }
        }
    }

    /// <summary>Where the comments right above a type start (no blank line between), so they move with it.</summary>
    static int AttachedCommentsStart(MemberDeclarationSyntax member)
    {
        var start = member.SpanStart;
        var trivia = member.GetLeadingTrivia();
        var newlines = 0;
        for (var i = trivia.Count - 1; i >= 0; i--)
        {
            var t = trivia[i];
            if (t.IsKind(SyntaxKind.WhitespaceTrivia)) continue;
            if (t.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                if (++newlines > 1) break;
                continue;
            }
            if (!t.IsKind(SyntaxKind.SingleLineCommentTrivia) && !t.IsKind(SyntaxKind.MultiLineCommentTrivia)
                && !t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia))
                break;
            newlines = t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) ? 1 : 0;
            start = t.SpanStart;
        }
        // From the start of that line, so the indentation moves too.
        var lineStart = member.SyntaxTree.GetText().Lines.GetLineFromPosition(start).Start;
        return lineStart;
    }

    static string Describe(MemberDeclarationSyntax member) => member switch
    {
        PropertyDeclarationSyntax p => $"property `{p.Identifier}`",
        IndexerDeclarationSyntax => "indexer",
        EventDeclarationSyntax or EventFieldDeclarationSyntax => "event",
        OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax => "operator",
        BaseNamespaceDeclarationSyntax => "namespace",
        _ => member.Kind().ToString(),
    };

    static string Where(Location location)
    {
        var position = location.GetLineSpan().StartLinePosition;
        return $"line {position.Line + 1} of the cell, column {position.Character + 1}";
    }

    static string Apply(string source, List<Edit> edits)
    {
        var text = new StringBuilder(source);
        foreach (var edit in edits.OrderByDescending(e => e.Start))
            text.Remove(edit.Start, edit.Length).Insert(edit.Start, edit.Replacement);
        return text.ToString();
    }

    /// <summary>Without blank lines at the start and end, and without trailing spaces.</summary>
    static string Tidy(string code) =>
        string.Join('\n', code.Split('\n').Select(l => l.TrimEnd()).SkipWhile(l => l.Length == 0).Reverse()
            .SkipWhile(l => l.Length == 0).Reverse());

    sealed record Edit(int Start, int Length, string Replacement)
    {
        public static Edit Remove(int start, int end) => new(start, end - start, "");
    }
}
