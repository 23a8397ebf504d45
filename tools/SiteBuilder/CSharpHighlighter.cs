using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SiteBuilder;

/// <summary>
/// Highlights a C# notebook cell on the server with Roslyn's own lexer: keywords, strings, numbers, comments
/// and directives (<c>#r "nuget: …"</c>) become spans with a class, everything else stays plain text.
/// </summary>
/// <remarks>
/// Roslyn is the C# compiler, so it tokenises every construct the notebooks use (raw and interpolated strings,
/// top-level statements, script directives) exactly as the kernel does, and the page needs no script for it.
/// Only tokens are classified (no semantic model): that is fast and enough for reading.
/// </remarks>
public static class CSharpHighlighter
{
    static readonly CSharpParseOptions Script = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview);

    // Contextual keywords that the parser leaves as identifiers but a reader sees as keywords.
    static readonly HashSet<string> ContextualKeywords = ["var", "await", "async", "nameof", "dynamic", "record", "init", "with", "when", "yield"];

    /// <summary>The code as HTML: escaped text with &lt;span class="k|s|n|c|d"&gt; around the classified tokens.</summary>
    public static string ToHtml(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, Script).GetRoot();
        var html = new StringBuilder(code.Length * 2);
        foreach (var token in root.DescendantTokens(descendIntoTrivia: false))
        {
            foreach (var trivia in token.LeadingTrivia) AppendTrivia(html, trivia);
            Append(html, TokenClass(token), token.Text);
            foreach (var trivia in token.TrailingTrivia) AppendTrivia(html, trivia);
        }
        return html.ToString();
    }

    static void AppendTrivia(StringBuilder html, SyntaxTrivia trivia)
    {
        var kind = trivia.Kind();
        var css = kind switch
        {
            SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia
                or SyntaxKind.SingleLineDocumentationCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia => "c",
            _ when SyntaxFacts.IsPreprocessorDirective(kind) || kind is SyntaxKind.ShebangDirectiveTrivia or SyntaxKind.BadDirectiveTrivia => "d",
            _ => null,
        };
        Append(html, css, trivia.ToFullString());
    }

    static string? TokenClass(SyntaxToken token)
    {
        var kind = token.Kind();
        if (SyntaxFacts.IsKeywordKind(kind)) return "k";
        if (kind == SyntaxKind.IdentifierToken) return ContextualKeywords.Contains(token.Text) ? "k" : null;
        if (kind == SyntaxKind.NumericLiteralToken) return "n";
        var name = kind.ToString();
        return name.Contains("String", StringComparison.Ordinal) || name.Contains("Character", StringComparison.Ordinal) ? "s" : null;
    }

    static void Append(StringBuilder html, string? css, string text)
    {
        if (text.Length == 0) return;
        if (css is null) { html.Append(Html.Escape(text)); return; }
        html.Append("<span class=\"").Append(css).Append("\">").Append(Html.Escape(text)).Append("</span>");
    }
}
