using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DlWorkbook.Tests.Faults;

/// <summary>
/// TorchSharp turns a <c>double</c> into a native <c>Scalar</c> (and a number into a tensor) implicitly, and leaves the
/// object to the finalizer, which may free it while native code still reads it. The course library makes none, and
/// the notebooks make none inside a loop, where one would be made thousands of times: a <c>Scalar</c> made once
/// before the loop (<c>using var step = lr.ToScalar();</c>) and passed in does the same work.
/// </summary>
public class ImplicitScalarTests
{
    [Fact]
    public void TheLibraryAndItsKernelExtensionConvertNoNumberImplicitly()
    {
        var sources = new[] { "lib/DlWorkbook", "lib/DlWorkbook.Interactive" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(RepoPaths.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (File: f, Checked: !f.Contains(Path.Combine("Exercises", "Catalogue"))))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f.File), Parse,
                path: (f.Checked ? "" : Unchecked) + Path.GetRelativePath(RepoPaths.Root, f.File)))
            .Append(CSharpSyntaxTree.ParseText(GlobalUsings, Parse));

        var found = ImplicitConversions(Compile(sources, "DlWorkbook"), insideLoopsOnly: false)
            .Where(f => !f.File.StartsWith(Unchecked, StringComparison.Ordinal)).ToList();

        Assert.True(found.Count == 0, "implicit Scalar or tensor conversions in the library:\n" + string.Join("\n", found));
    }

    public static TheoryData<string> Notebooks => new(Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb")
        .Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NoNotebookLoopConvertsANumberImplicitly(string notebook)
    {
        var program = AppGenerator.NotebookProgram.Generate(Path.Combine(RepoPaths.Notebooks, notebook), "", "program.cs");
        var tree = CSharpSyntaxTree.ParseText(program, Parse, path: notebook);

        var lines = program.Split('\n');
        var found = ImplicitConversions(Compile([tree], "Program", withLibrary: true), insideLoopsOnly: true)
            .Select(f => $"cell {Apps.AppRun.CellOfLine(lines, f.Line)}: {f.Code}").ToList();

        Assert.True(found.Count == 0, $"{notebook}: a number becomes a Scalar or tensor implicitly inside a loop; make it once "
            + "before the loop (using var s = x.ToScalar();) and pass that:\n" + string.Join("\n", found));
    }

    /// <summary>
    /// Marks the exercise catalogue's files: their checks compute the expected answers with numbers in operators, as
    /// the notebooks teach, and run only inside <c>CatalogueEntry.Evaluate</c>, which holds the finalizer gate.
    /// </summary>
    const string Unchecked = "unchecked:";

    static readonly CSharpParseOptions Parse = new CSharpParseOptions(LanguageVersion.Preview)
        .WithFeatures([new("FileBasedProgram", "")]);

    /// <summary>Left to source generators ([GeneratedRegex] and the like), which this compilation does not run.</summary>
    const string GeneratedPart = "CS8795";

    const string GlobalUsings = """
        global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq;
        global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;
        """;

    /// <summary>The assemblies this test runs with (the framework, TorchSharp, the course library), read once.</summary>
    static readonly Lazy<PortableExecutableReference[]> Assemblies = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p)).ToArray());

    static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, string name, bool withLibrary = false)
    {
        var ours = new[] { "DlWorkbook.dll", "DlWorkbook.Interactive.dll" };
        var references = Assemblies.Value.Where(r => withLibrary || !ours.Contains(Path.GetFileName(r.FilePath)));
        var compilation = CSharpCompilation.Create(name, trees, references,
            new CSharpCompilationOptions(withLibrary ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != GeneratedPart).Take(5).ToList();
        Assert.True(errors.Count == 0, "the code did not compile for the check:\n" + string.Join("\n", errors));
        return compilation;
    }

    sealed record Finding(string File, int Line, string Code)
    {
        public override string ToString() => $"{File}({Line}): {Code}";
    }

    static List<Finding> ImplicitConversions(CSharpCompilation compilation, bool insideLoopsOnly)
    {
        var scalar = compilation.GetTypeByMetadataName("TorchSharp.Scalar")!;
        var tensor = compilation.GetTypeByMetadataName("TorchSharp.torch+Tensor")!;
        var found = new List<Finding>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var expression in tree.GetRoot().DescendantNodes().OfType<ExpressionSyntax>())
            {
                if (!ImplicitConversion(model, expression, scalar, tensor) && !OperatorWithANumber(model, expression, tensor)) continue;
                if (insideLoopsOnly && !InsideLoop(expression)) continue;
                var line = expression.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                var shown = expression.AncestorsAndSelf().First(a => a is InvocationExpressionSyntax or BinaryExpressionSyntax
                    or AssignmentExpressionSyntax or StatementSyntax);
                found.Add(new Finding(tree.FilePath, line, shown.ToString().Split('\n')[0].Trim()));
            }
        }
        return found;
    }

    /// <summary>A number turned into a Scalar or a tensor by a user-defined conversion (an argument, an operand).</summary>
    static bool ImplicitConversion(SemanticModel model, ExpressionSyntax expression, ITypeSymbol scalar, ITypeSymbol tensor)
    {
        var conversion = model.GetConversion(expression);
        if (!conversion.IsImplicit || !conversion.IsUserDefined) return false;
        var target = conversion.MethodSymbol?.ReturnType;
        return SymbolEqualityComparer.Default.Equals(target, scalar) || SymbolEqualityComparer.Default.Equals(target, tensor);
    }

    /// <summary>
    /// A tensor operator with a plain number on one side (<c>x * 2.0</c>, <c>x &lt; p</c>, <c>x -= 1</c>): TorchSharp's
    /// overloads for numbers make the Scalar themselves, where no conversion shows.
    /// </summary>
    static bool OperatorWithANumber(SemanticModel model, ExpressionSyntax expression, ITypeSymbol tensor)
    {
        if (expression is not (BinaryExpressionSyntax or AssignmentExpressionSyntax)) return false;
        if (model.GetSymbolInfo(expression).Symbol is not IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op) return false;
        if (!SymbolEqualityComparer.Default.Equals(op.ContainingType, tensor)) return false;
        return op.Parameters.Any(p => p.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
            or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Boolean);
    }

    /// <summary>In the body of a loop, or of a lambda (an updater, a sample callback: code run again and again).</summary>
    static bool InsideLoop(SyntaxNode node) => node.Ancestors().Any(a => a is ForStatementSyntax or ForEachStatementSyntax
        or WhileStatementSyntax or DoStatementSyntax or LambdaExpressionSyntax);
}
