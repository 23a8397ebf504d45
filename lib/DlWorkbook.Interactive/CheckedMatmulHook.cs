using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;

namespace DlWorkbook.Interactive;

/// <summary>
/// Routes every TorchSharp <c>matmul</c> call in a C# cell through <c>DlWorkbook.Tensors.CheckedMatmul.Matmul</c>
/// before the cell is compiled, so that a shape mistake throws a .NET exception instead of aborting the kernel.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's native matmul lacks the try/catch every other tensor function has, so libtorch's error ends
/// the process (see <c>CheckedMatmul</c>). The cell is bound against the kernel's previous submissions, and only calls
/// that the compiler resolves to <c>torch.matmul(Tensor, Tensor)</c> or <c>Tensor.matmul(Tensor)</c> are rewritten
/// (a method of the learner's own that happens to be called matmul is left alone). The rewrite keeps every line
/// break, so compiler messages and stack traces keep their line numbers. Cells without the word "matmul" are not
/// parsed at all.
/// </remarks>
public static class CheckedMatmulHook
{
    // No "global::" prefix: inside an interpolated string's braces its "::" would start a format specifier.
    const string CheckedCall = "DlWorkbook.Tensors.CheckedMatmul.Matmul";

    // SubmitCode.Code has an internal setter; middleware that changes a cell's code has no public way to do it.
    static readonly PropertyInfo CodeProperty = typeof(SubmitCode).GetProperty(nameof(SubmitCode.Code))!;

    // The kernel's script options hold the references added by `#r` since its last cell ran; the last script's do not.
    static readonly FieldInfo? OptionsField = typeof(CSharpKernel).GetField("_scriptOptions", BindingFlags.NonPublic | BindingFlags.Instance);

    static readonly ConditionalWeakTable<Kernel, object> Hooked = new();

    /// <summary>Adds the rewriting step to every C# kernel under <paramref name="kernel"/>'s root (once per kernel).</summary>
    public static void Install(Kernel kernel)
    {
        foreach (var csharp in kernel.FindKernels(k => k is CSharpKernel).Cast<CSharpKernel>())
        {
            if (!Hooked.TryAdd(csharp, Hooked)) continue;
            csharp.AddMiddleware(async (command, context, next) =>
            {
                if (command is SubmitCode submit && Rewrite(submit.Code, csharp) is { } rewritten)
                    CodeProperty.SetValue(submit, rewritten);
                await next(command, context);
            });
        }
    }

    /// <summary>
    /// <paramref name="code"/> with its TorchSharp matmul calls made checked, or null when it has none (or cannot be
    /// bound, or the course library is not referenced). Never throws: a failure here leaves the cell as it was.
    /// </summary>
    /// <param name="code">A cell's C# code.</param>
    /// <param name="kernel">The kernel that will run it: its previous cells (variables, usings) and references.</param>
    public static string? Rewrite(string code, CSharpKernel kernel)
    {
        if (!code.Contains("matmul", StringComparison.Ordinal)) return null;
        try
        {
            var options = OptionsField?.GetValue(kernel) as ScriptOptions ?? FallbackOptions();
            var compilation = (kernel.ScriptState is { } previous
                ? previous.Script.ContinueWith(code, options)
                : CSharpScript.Create(code, options)).GetCompilation();
            if (compilation.GetTypeByMetadataName("DlWorkbook.Tensors.CheckedMatmul") is null) return null;
            var tree = compilation.SyntaxTrees.Single();
            var rewriter = new Rewriter(compilation.GetSemanticModel(tree));
            var result = rewriter.Visit(tree.GetRoot());
            return rewriter.Count == 0 ? null : result.ToFullString();
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>What the C# kernel starts with (its usings), plus every assembly this process has loaded.</summary>
    static ScriptOptions FallbackOptions() =>
        ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .AddImports("System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq")
            .AddReferences(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0));

    sealed class Rewriter(SemanticModel model) : CSharpSyntaxRewriter
    {
        public int Count { get; private set; }

        public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
        {
            var visited = (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!;
            if (!IsTorchMatmul(node)) return visited;
            Count++;
            if (node.ArgumentList.Arguments.Count == 2)
            {
                // torch.matmul(a, b) or, with `using static TorchSharp.torch`, matmul(a, b): swap the method only.
                return visited.WithExpression(Replacement(visited.Expression));
            }
            // a.matmul(b) → Matmul(a, b): the receiver becomes the first argument; its trailing trivia and that of `.matmul(` go after the comma.
            var access = (MemberAccessExpressionSyntax)visited.Expression;
            var moved = access.OperatorToken.LeadingTrivia.AddRange(access.OperatorToken.TrailingTrivia)
                .AddRange(access.Name.GetLeadingTrivia()).AddRange(access.Name.GetTrailingTrivia())
                .AddRange(visited.ArgumentList.OpenParenToken.LeadingTrivia).AddRange(visited.ArgumentList.OpenParenToken.TrailingTrivia);
            var receiver = SyntaxFactory.Argument(access.Expression.WithoutTrailingTrivia());
            var afterReceiver = access.Expression.GetTrailingTrivia();
            var comma = SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.CommaToken,
                (afterReceiver.Count > 0 ? afterReceiver : SyntaxFactory.TriviaList(SyntaxFactory.Space)).AddRange(moved));
            var arguments = SyntaxFactory.SeparatedList([receiver, .. visited.ArgumentList.Arguments], [comma, .. visited.ArgumentList.Arguments.GetSeparators()]);
            return SyntaxFactory.InvocationExpression(
                    SyntaxFactory.ParseExpression(CheckedCall),
                    visited.ArgumentList.WithOpenParenToken(SyntaxFactory.Token(SyntaxKind.OpenParenToken)).WithArguments(arguments))
                .WithTriviaFrom(visited);
        }

        bool IsTorchMatmul(InvocationExpressionSyntax node)
        {
            var name = node.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                _ => null,
            };
            if (name != "matmul" || node.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
                return false;
            if (model.GetSymbolInfo(node).Symbol is not IMethodSymbol method) return false;
            var owner = method.ContainingType.ToDisplayString();
            return method.IsStatic
                ? owner == "TorchSharp.torch" && method.Parameters.Length == 2 && node.ArgumentList.Arguments.Count == 2
                : owner == "TorchSharp.torch.Tensor" && method.Parameters.Length == 1 && node.Expression is MemberAccessExpressionSyntax;
        }

        /// <summary>The checked method's name in place of <paramref name="original"/>, with its trivia and as many line breaks.</summary>
        static ExpressionSyntax Replacement(ExpressionSyntax original)
        {
            var inner = LineBreaks(original.ToFullString()) - LineBreaks(original.GetLeadingTrivia().ToFullString())
                        - LineBreaks(original.GetTrailingTrivia().ToFullString());
            return SyntaxFactory.ParseExpression(CheckedCall)
                .WithLeadingTrivia(original.GetLeadingTrivia())
                .WithTrailingTrivia(original.GetTrailingTrivia().AddRange(Enumerable.Repeat(SyntaxFactory.EndOfLine("\n"), inner)));
        }

        static int LineBreaks(string text) => text.Count(c => c == '\n');
    }
}
