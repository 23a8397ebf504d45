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
        // Not the exercise catalogue's files: their checks compute the expected answers with numbers in operators, as
        // the notebooks teach, and run only inside CatalogueEntry.Evaluate, which holds the finalizer gate.
        var catalogue = Path.Combine("Exercises", "Catalogue");
        var found = ImplicitConversions(LibraryCompilation.Library, insideLoopsOnly: false)
            .Where(f => !f.File.Contains(catalogue, StringComparison.Ordinal)).ToList();

        Assert.True(found.Count == 0, "implicit Scalar or tensor conversions in the library:\n" + string.Join("\n", found));
    }

    public static TheoryData<string> Notebooks => new(Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb")
        .Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NoNotebookLoopConvertsANumberImplicitly(string notebook)
    {
        var program = AppGenerator.NotebookProgram.Generate(Path.Combine(RepoPaths.Notebooks, notebook), "", "program.cs");
        var tree = CSharpSyntaxTree.ParseText(program, LibraryCompilation.Parse, path: notebook);

        var lines = program.Split('\n');
        var found = ImplicitConversions(LibraryCompilation.Compile([tree], "Program", withLibrary: true), insideLoopsOnly: true)
            .Select(f => $"cell {Apps.AppRun.CellOfLine(lines, f.Line)}: {f.Code}").ToList();

        Assert.True(found.Count == 0, $"{notebook}: a number becomes a Scalar or tensor implicitly inside a loop; make it once "
            + "before the loop (using var s = x.ToScalar();) and pass that:\n" + string.Join("\n", found));
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
