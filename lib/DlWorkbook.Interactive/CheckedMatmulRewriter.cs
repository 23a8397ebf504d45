using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DlWorkbook.Interactive;

/// <summary>
/// Rewrites every name that the compiler resolves to TorchSharp's <c>torch.matmul</c> or <c>Tensor.matmul</c> into a
/// call of <c>DlWorkbook.Tensors.CheckedMatmul</c>, whatever the syntax around it: a call, a method group turned into a
/// delegate or passed as an argument, <c>a?.matmul(b)</c>, named arguments, a <c>dynamic</c> receiver.
/// <c>torch.matmul</c> becomes <c>CheckedMatmul.Matmul</c> (same parameters) and the receiver <c>a</c> of
/// <c>a.matmul</c> becomes <c>CheckedMatmul.On(a)</c>, whose only member is a checked <c>matmul</c>, so each form keeps
/// its meaning and its type. A method of the learner's own that happens to be called matmul is left alone, and so is
/// <c>nameof(…)</c>. The rewrite keeps every line break, so compiler messages and stack traces keep their line numbers.
/// Only reflection (<c>GetMethod("matmul")</c>) is out of reach.
/// </summary>
/// <remarks>
/// Roslyn only, no kernel types: the notebook kernel runs it on each cell (<see cref="CheckedMatmulHook"/>), and
/// tools/AppGenerator compiles this file in and runs it on each generated program.
/// </remarks>
internal static class CheckedMatmulRewriter
{
    // No "global::" prefix: inside an interpolated string's braces its "::" would start a format specifier.
    const string CheckedCall = "DlWorkbook.Tensors.CheckedMatmul.Matmul";

    /// <summary>
    /// <paramref name="tree"/>'s text with its TorchSharp matmul uses made checked, or null when it has none.
    /// <paramref name="compilation"/> holds the tree and references TorchSharp; a matmul it cannot bind is left as written.
    /// </summary>
    public static string? Rewrite(Compilation compilation, SyntaxTree tree)
    {
        var targets = new[] { "TorchSharp.torch", "TorchSharp.torch+Tensor" }
            .SelectMany(type => compilation.GetTypeByMetadataName(type)?.GetMembers("matmul") ?? [])
            .OfType<IMethodSymbol>().ToHashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var rewriter = new Rewriter(compilation.GetSemanticModel(tree), targets);
        var result = rewriter.Visit(tree.GetRoot());
        return rewriter.Count == 0 ? null : result.ToFullString();
    }

    /// <summary>What a use of <c>matmul</c> reaches: not TorchSharp's, <c>torch.matmul</c>, or <c>Tensor.matmul</c> (a tensor's or a <c>dynamic</c> receiver's).</summary>
    enum Reach { None, Static, Instance }

    sealed class Rewriter(SemanticModel model, HashSet<IMethodSymbol> targets) : CSharpSyntaxRewriter
    {
        // No "global::" prefix: inside an interpolated string's braces its "::" would start a format specifier.
        const string CheckedReceiver = "DlWorkbook.Tensors.CheckedMatmul.On";

        public int Count { get; private set; }

        /// <summary><c>torch.matmul</c> (any qualification or alias) and <c>a.matmul</c>, called or not.</summary>
        public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
        {
            switch (Reaches(node.Name, node.Expression))
            {
                case Reach.Static:
                    Count++;
                    return Replacement(node);   // a type name on the left: nothing inside to rewrite
                case Reach.Instance when LeftmostBinding(node.Expression) is not null:
                    // a?.b.matmul(c): the receiver .b cannot stand alone; the conditional access splits the chain here.
                    Count++;
                    return base.VisitMemberAccessExpression(node)!.WithAdditionalAnnotations(SplitHere);
                case Reach.Instance:
                    Count++;
                    return node.WithExpression(Wrapped((ExpressionSyntax)Visit(node.Expression)));
                default:
                    return base.VisitMemberAccessExpression(node);
            }
        }

        /// <summary><c>matmul</c> alone, after <c>using static TorchSharp.torch</c>.</summary>
        public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
        {
            if (node.Parent is MemberAccessExpressionSyntax access && access.Name == node || node.Parent is MemberBindingExpressionSyntax)
                return node;   // decided with the receiver, above and below
            if (Reaches(node, receiver: null) != Reach.Static) return node;
            Count++;
            return Replacement(node);
        }

        /// <summary>
        /// <c>a?.b?.matmul(c)</c> is ConditionalAccess(a, ConditionalAccess(.b, .matmul(c))), and <c>.matmul</c>'s
        /// receiver is everything before its <c>?.</c>: the chain is rebuilt left to right as <c>On(a?.b)?.matmul(c)</c>,
        /// which short-circuits on the same nulls. <c>a?.b.matmul(c)</c> becomes the same (where <c>a.b</c> itself is
        /// null the result is then null instead of a NullReferenceException).
        /// </summary>
        public override SyntaxNode? VisitConditionalAccessExpression(ConditionalAccessExpressionSyntax node)
        {
            var first = node.Expression;
            var links = new List<(SyntaxToken Operator, ExpressionSyntax Original)>();
            ExpressionSyntax rest = node;
            while (rest is ConditionalAccessExpressionSyntax link)
            {
                links.Add((link.OperatorToken, link.WhenNotNull is ConditionalAccessExpressionSyntax inner ? inner.Expression : link.WhenNotNull));
                rest = link.WhenNotNull;
            }

            var done = (ExpressionSyntax)Visit(first);
            var pending = new List<(SyntaxToken Operator, ExpressionSyntax Visited)>();
            var receiver = first;
            foreach (var (op, original) in links)
            {
                if (LeftmostBinding(original) is MemberBindingExpressionSyntax binding && Reaches(binding.Name, receiver) == Reach.Instance)
                {
                    Count++;
                    done = Wrapped(Chain(done, pending));
                    pending.Clear();
                }
                var link = (ExpressionSyntax)Visit(original);
                var before = op;
                while (Spine(link).OfType<MemberAccessExpressionSyntax>().LastOrDefault(n => n.HasAnnotation(SplitHere)) is { } split)
                {
                    pending.Add((before, split.Expression));
                    done = Wrapped(Chain(done, pending));
                    pending.Clear();
                    // `.matmul` of `.b.matmul(c)` becomes the start of a link of its own, `?.matmul(c)`, keeping the dot's trivia.
                    before = SyntaxFactory.Token(split.OperatorToken.LeadingTrivia, SyntaxKind.QuestionToken, SyntaxFactory.TriviaList());
                    link = link.ReplaceNode(split, SyntaxFactory.MemberBindingExpression(split.OperatorToken.WithLeadingTrivia(), split.Name));
                }
                pending.Add((before, link));
                receiver = original;
            }
            return Chain(done, pending);
        }

        static readonly SyntaxAnnotation SplitHere = new();

        /// <summary>The nodes from a link of a <c>?.</c> chain down to the <c>.name</c> it starts with, outermost first.</summary>
        static IEnumerable<ExpressionSyntax> Spine(ExpressionSyntax link)
        {
            for (ExpressionSyntax? node = link; node is not null; node = Inner(node))
                yield return node;
        }

        static ExpressionSyntax? Inner(ExpressionSyntax node) => node switch
        {
            InvocationExpressionSyntax call => call.Expression,
            MemberAccessExpressionSyntax access => access.Expression,
            ElementAccessExpressionSyntax element => element.Expression,
            PostfixUnaryExpressionSyntax suppressed => suppressed.Operand,
            _ => null,
        };

        static ExpressionSyntax Chain(ExpressionSyntax head, List<(SyntaxToken Operator, ExpressionSyntax Visited)> links) =>
            links.Count == 0
                ? head
                : SyntaxFactory.ConditionalAccessExpression(head, links[0].Operator, Chain(links[0].Visited, links[1..]));

        /// <summary>The <c>.name</c> a link of a <c>?.</c> chain starts with: <c>.matmul</c> in <c>.matmul(b).sum()</c>.</summary>
        static ExpressionSyntax? LeftmostBinding(ExpressionSyntax link) =>
            Spine(link).LastOrDefault() is MemberBindingExpressionSyntax or ElementBindingExpressionSyntax ? Spine(link).Last() : null;

        /// <summary>What <paramref name="name"/> binds to; <paramref name="receiver"/> is the expression before its dot, if any.</summary>
        Reach Reaches(SimpleNameSyntax name, ExpressionSyntax? receiver)
        {
            if (name.Identifier.ValueText != "matmul" || InNameOf(name)) return Reach.None;
            var info = model.GetSymbolInfo(name);
            // A method group converted to a delegate has its symbol; one bound late (dynamic arguments) has candidates.
            var methods = info.Symbol is { } symbol ? [symbol] : info.CandidateSymbols;
            if (methods.OfType<IMethodSymbol>().FirstOrDefault(m => targets.Contains(m.OriginalDefinition)) is { } method)
                return method.IsStatic ? Reach.Static : Reach.Instance;
            return receiver is not null && model.GetTypeInfo(receiver).Type?.TypeKind == TypeKind.Dynamic ? Reach.Instance : Reach.None;
        }

        bool InNameOf(SyntaxNode node) =>
            node.Ancestors().OfType<InvocationExpressionSyntax>().Any(call => model.GetOperation(call) is Microsoft.CodeAnalysis.Operations.INameOfOperation);

        /// <summary><c>On(receiver)</c>, the receiver's leading and trailing trivia (a comment, a line break) outside the parentheses.</summary>
        static ExpressionSyntax Wrapped(ExpressionSyntax receiver) =>
            SyntaxFactory.InvocationExpression(
                    SyntaxFactory.ParseExpression(CheckedReceiver),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(receiver.WithoutTrivia()))))
                .WithLeadingTrivia(receiver.GetLeadingTrivia())
                .WithTrailingTrivia(receiver.GetTrailingTrivia());

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
