using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AppGenerator;

/// <summary>
/// The local names a cell declares, sorted by the scope they get once every cell is one program's top-level code.
/// </summary>
/// <remarks>
/// C# script gives every cell its own scope: a later cell may declare a name again, and a loop variable may share a
/// name with a variable of another cell. One program's top-level statements are one scope, so C# rejects both
/// (CS0128, CS0136, CS1931). The rules followed here are the compiler's: variables, local functions, and the out and
/// pattern variables of an expression statement, a declaration, an <c>if</c> condition, a <c>switch</c> expression
/// or a <c>return</c> belong to the whole program; everything declared inside a block, a loop, a <c>using</c>, a
/// <c>catch</c>, a switch-expression arm or a query is nested. Lambdas and local functions may reuse any name
/// (C# 8), so their insides are skipped.
/// </remarks>
/// <param name="TopLevel">Names that every later cell sees (and that no other cell may declare again).</param>
/// <param name="Nested">Names declared inside a nested scope, which must not match any top-level name of the program.</param>
/// <param name="Used">Every simple name the cell mentions that could be a variable or a function (not <c>t.shape</c>'s <c>shape</c>).</param>
internal sealed record CellNames(IReadOnlyList<string> TopLevel, IReadOnlyList<string> Nested, IReadOnlySet<string> Used)
{
    /// <summary>The names a cell's script syntax declares.</summary>
    public static CellNames Of(CompilationUnitSyntax cell)
    {
        var topLevel = new List<string>();
        var nested = new List<string>();
        foreach (var member in cell.Members)
        {
            switch (member)
            {
                case FieldDeclarationSyntax field:
                    Declaration(field.Declaration, topLevel, nested);
                    break;
                case MethodDeclarationSyntax method:
                    topLevel.Add(method.Identifier.ValueText);
                    break;
                case GlobalStatementSyntax global:
                    Statement(global.Statement, topLevel, nested);
                    break;
            }
        }
        var used = cell.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => !IsMemberName(n))
            .Select(n => n.Identifier.ValueText).ToHashSet(StringComparer.Ordinal);
        return new CellNames(topLevel, nested, used);
    }

    static void Statement(StatementSyntax statement, List<string> topLevel, List<string> nested)
    {
        switch (statement)
        {
            case LocalDeclarationStatementSyntax local:
                Declaration(local.Declaration, topLevel, nested);
                break;
            case LocalFunctionStatementSyntax function:
                topLevel.Add(function.Identifier.ValueText);
                break;
            case ExpressionStatementSyntax expression:
                Leaking(expression.Expression, topLevel, nested);
                break;
            case IfStatementSyntax ifStatement:
                Leaking(ifStatement.Condition, topLevel, nested);
                AddNested(ifStatement.Statement, nested);
                if (ifStatement.Else is not null) AddNested(ifStatement.Else, nested);
                break;
            case SwitchStatementSyntax switchStatement:
                Leaking(switchStatement.Expression, topLevel, nested);
                foreach (var section in switchStatement.Sections) AddNested(section, nested);
                break;
            case ReturnStatementSyntax { Expression: { } value }:
                Leaking(value, topLevel, nested);
                break;
            case ThrowStatementSyntax { Expression: { } thrown }:
                Leaking(thrown, topLevel, nested);
                break;
            case LabeledStatementSyntax labeled:
                Statement(labeled.Statement, topLevel, nested);
                break;
            default:
                AddNested(statement, nested);
                break;
        }
    }

    static void Declaration(VariableDeclarationSyntax declaration, List<string> topLevel, List<string> nested)
    {
        foreach (var variable in declaration.Variables)
        {
            topLevel.Add(variable.Identifier.ValueText);
            if (variable.Initializer is not null) Leaking(variable.Initializer.Value, topLevel, nested);
        }
    }

    /// <summary>Out, pattern and deconstruction variables of an expression whose variables join the enclosing scope.</summary>
    static void Leaking(ExpressionSyntax expression, List<string> topLevel, List<string> nested)
    {
        foreach (var node in DescendantsOutsideFunctions(expression))
        {
            switch (node)
            {
                case SingleVariableDesignationSyntax single when !InsideNestedScope(node, expression):
                    topLevel.Add(single.Identifier.ValueText);
                    break;
                case SwitchExpressionArmSyntax or QueryExpressionSyntax:
                    AddNested(node, nested);
                    break;
            }
        }
    }

    /// <summary>Every name declared under <paramref name="scope"/>, outside lambdas and local function bodies.</summary>
    static void AddNested(SyntaxNode scope, List<string> nested)
    {
        foreach (var node in DescendantsOutsideFunctions(scope))
        {
            var name = node switch
            {
                VariableDeclaratorSyntax v => v.Identifier,
                SingleVariableDesignationSyntax d => d.Identifier,
                ForEachStatementSyntax f => f.Identifier,
                CatchDeclarationSyntax c => c.Identifier,
                LocalFunctionStatementSyntax l => l.Identifier,
                FromClauseSyntax from => from.Identifier,
                LetClauseSyntax let => let.Identifier,
                JoinClauseSyntax join => join.Identifier,
                JoinIntoClauseSyntax into => into.Identifier,
                QueryContinuationSyntax continuation => continuation.Identifier,
                _ => default,
            };
            if (name.ValueText is { Length: > 0 } text) nested.Add(text);
        }
    }

    /// <summary>A name after a dot or a named argument's or member's name (<c>t.shape</c>, <c>dim: 0</c>): never a variable.</summary>
    static bool IsMemberName(IdentifierNameSyntax name) => name.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Name == name,
        MemberBindingExpressionSyntax => true,
        QualifiedNameSyntax qualified => qualified.Right == name,
        NameColonSyntax or NameEqualsSyntax => true,
        _ => false,
    };

    /// <summary>A node and its descendants, without the insides of lambdas, anonymous methods and local functions.</summary>
    static IEnumerable<SyntaxNode> DescendantsOutsideFunctions(SyntaxNode node) =>
        node.DescendantNodesAndSelf(n => n == node || (n is not AnonymousFunctionExpressionSyntax && n is not LocalFunctionStatementSyntax));

    /// <summary>True for a designation in a switch-expression arm or a query (scoped there), seen from <paramref name="top"/>.</summary>
    static bool InsideNestedScope(SyntaxNode node, SyntaxNode top)
    {
        for (var n = node.Parent; n is not null && n != top; n = n.Parent)
            if (n is SwitchExpressionArmSyntax or QueryExpressionSyntax) return true;
        return false;
    }
}
