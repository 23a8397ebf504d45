using System.Net;
using System.Text.RegularExpressions;
using SiteBuilder;

namespace DlWorkbook.Tests.Site;

public class CSharpHighlighterTests
{
    static string Plain(string html) => WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", ""));

    [Theory]
    [InlineData("#r \"nuget: DlWorkbook, *-*\"\nusing TorchSharp;\n")]
    [InlineData("var x = torch.ones(2, 3);   // a comment\n/* block */ x.sum(dim: 0)")]
    [InlineData("Formula.Latex($$\"\"\"\\hat y = {{w:F3}} < 1\"\"\")")]
    [InlineData("display(Plots.Curves([\n    Series.OverEpochs(\"a\", [1.0, 2])], \"epoch\", \"loss\"));\nif (x < 2 && y > 3) { }")]
    [InlineData("int broken = ;\n\"unterminated")]
    public void TheHighlightedCodeReadsExactlyAsTheSource(string code) => Assert.Equal(code, Plain(CSharpHighlighter.ToHtml(code)));

    [Fact]
    public void KeywordsStringsNumbersCommentsAndDirectivesGetClasses()
    {
        var html = CSharpHighlighter.ToHtml("#r \"nuget: X\"\nvar n = 42; // why\nvar s = $\"n = {n}\";\nreturn null;");

        Assert.Contains("<span class=\"d\">#r &quot;nuget: X&quot;\n</span>", html);
        Assert.Contains("<span class=\"k\">var</span> n = <span class=\"n\">42</span>;", html);
        Assert.Contains("<span class=\"c\">// why</span>", html);
        Assert.Contains("<span class=\"s\">$&quot;</span><span class=\"s\">n = </span>{n}<span class=\"s\">&quot;</span>", html);
        Assert.Contains("<span class=\"k\">return</span> <span class=\"k\">null</span>;", html);
    }
}
