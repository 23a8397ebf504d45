using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SiteBuilder;
using static DlWorkbook.Tests.Site.FixtureNotebooks;

namespace DlWorkbook.Tests.Site;

public class SiteBuildTests
{
    static SiteResult Build(FixtureNotebooks fixture, string? readme = null) =>
        SiteBuild.Build(new SiteOptions(fixture.Notebooks, fixture.Site, Path.Combine(fixture.Root, "notebooks"), readme));

    static string Page(FixtureNotebooks fixture, string name) => File.ReadAllText(Path.Combine(fixture.Site, name));

    [Fact]
    public void WritesAnIndexAndOnePagePerNotebookWithContentsAndPreviousNextLinks()
    {
        using var fixture = new FixtureNotebooks();
        fixture.WriteCourse();

        var site = Build(fixture);

        Assert.Equal(["00-first.html", "01-second.html", "index.html"], site.Pages);
        var first = Page(fixture, "00-first.html");
        Assert.Contains("<title>00 · First steps · Course notebooks</title>", first);
        Assert.Contains("<li class=\"level-2\"><a href=\"#the-loop\">The loop</a></li>", first);
        Assert.Contains("<li class=\"level-3\"><a href=\"#a-table\">A table</a></li>", first);
        Assert.Contains("<a class=\"next\" rel=\"next\" href=\"01-second.html\">01 · Second →</a>", first);
        Assert.DoesNotContain("rel=\"prev\"", first);
        Assert.Contains("<a class=\"previous\" rel=\"prev\" href=\"00-first.html\">← 00 · First steps</a>", Page(fixture, "01-second.html"));
        var index = Page(fixture, "index.html");
        Assert.Contains("<a href=\"00-first.html\">00 · First steps</a>", index);
        Assert.Contains("<a href=\"01-second.html\">01 · Second</a>", index);
    }

    [Fact]
    public void KeepsMathForKaTeXHighlightsCodeAndRewritesLinksAndImages()
    {
        using var fixture = new FixtureNotebooks();
        fixture.WriteCourse();

        Build(fixture);

        var first = Page(fixture, "00-first.html");
        Assert.Contains("<span class=\"math\">\\(w_1 &lt; 2\\)</span>", first);
        Assert.Contains("\\frac{1}{n}\\sum_{i=1}^n", first);
        Assert.Contains("<div class=\"output-latex\"><div class=\"math\">\\[L = 0.25,\\quad \\eta &lt; 2 / \\lambda_\\max\\]</div></div>", first);
        Assert.Contains("<span class=\"d\">#r &quot;nuget: DlWorkbook, *-*&quot;", first);
        Assert.Contains("<span class=\"c\">// a comment</span>", first);
        Assert.Contains("<span class=\"k\">var</span> x", first);
        Assert.Contains("<span class=\"n\">2</span>", first);
        Assert.Contains("<img src=\"images/loop.svg\" alt=\"The loop\" />", first);
        Assert.True(File.Exists(Path.Combine(fixture.Site, "images", "loop.svg")));
        Assert.Contains("href=\"01-second.html#the-chart\"", first);
        Assert.Contains("<pre class=\"stream\">shape 2\n</pre>", first);
        Assert.Contains("<div class=\"output-html\"><div class=\"dlw-tensor\">", first);
        Assert.Contains("<pre class=\"stream stderr\">careful\n</pre>", Page(fixture, "01-second.html"));
    }

    [Fact]
    public void AChartIsAPlotlyContainerWithItsStaticPictureAndPlotlyJsIsSharedNotInlined()
    {
        using var fixture = new FixtureNotebooks();
        fixture.WriteCourse();

        var site = Build(fixture);

        var second = Page(fixture, "01-second.html");
        Assert.Contains("<div class=\"chart\" data-figure=\"figure-1\"><div class=\"chart-plot\"></div><div class=\"chart-static\"><svg", second);
        Assert.Contains("<script type=\"application/json\" id=\"figure-1\">{\"data\":[{\"type\":\"scatter\"", second);
        Assert.Single(Regex.Matches(second, Regex.Escape($"<script src=\"{SiteAssets.PlotlyScript}\">")));
        Assert.Single(Regex.Matches(second, Regex.Escape($"<script src=\"{SiteAssets.KatexScript}\">")));
        // A page without charts does not load plotly.js at all.
        Assert.DoesNotContain("plotly", Page(fixture, "00-first.html"));
        // Every script of a page is a shared file or chart data: nothing is inlined.
        foreach (var page in site.Pages)
            Assert.DoesNotMatch(@"<script(?![^>]*\b(src=|type=""application/json""))", Page(fixture, page));
        Assert.True(new FileInfo(Path.Combine(fixture.Site, SiteAssets.PlotlyScript)).Length > 3_000_000);
        Assert.True(File.Exists(Path.Combine(fixture.Site, "assets", "katex", "fonts", "KaTeX_Main-Regular.woff2")));
        Assert.True(site.LargestPageBytes < 100_000, $"{site.LargestPage} is {site.LargestPageBytes} bytes");
    }

    [Fact]
    public void TheIndexFollowsTheReadmesCourseMap()
    {
        using var fixture = new FixtureNotebooks();
        fixture.WriteCourse();
        var readme = Path.Combine(fixture.Root, "README.md");
        File.WriteAllText(readme, """
            # A course

            Learn things, see [TorchSharp](https://github.com/dotnet/TorchSharp).

            ## Course map

            | Notebook | Topic | What it shows |
            | --- | --- | --- |
            | [00-first.ipynb](notebooks/00-first.ipynb) | Starting | tensors and `matmul` |
            | [01-second.ipynb](notebooks/01-second.ipynb) | Going on | a loss curve |

            ## Next section
            """);

        Build(fixture, readme);

        var index = Page(fixture, "index.html");
        Assert.Contains("<h1>A course</h1><p>Learn things, see <a href=\"https://github.com/dotnet/TorchSharp\">TorchSharp</a>.</p>", index);
        Assert.Contains("<tr><td><a href=\"00-first.html\">00 · First steps</a></td><td>Starting</td><td>tensors and <code>matmul</code></td></tr>", index);
        Assert.Contains("<title>00 · First steps · A course</title>", Page(fixture, "00-first.html"));
    }

    [Fact]
    public void ACellThatFailedStopsTheBuildNamingNotebookAndCellAndKeepsTheOldSite()
    {
        using var fixture = new FixtureNotebooks();
        fixture.WriteCourse();
        Build(fixture);
        var before = Page(fixture, "index.html");
        fixture.Write("01-second.ipynb", Markdown("# 01"), Code("x.matmul(y)", Error("System.ArgumentException", "shapes [2, 3] and [2, 3] cannot be multiplied")));

        var e = Assert.Throws<SiteBuildException>(() => Build(fixture));

        Assert.Contains("01-second.ipynb, cell 2 failed when the notebook ran (System.ArgumentException: shapes [2, 3] and [2, 3] cannot be multiplied)", e.Message);
        Assert.Contains("was left as it was", e.Message);
        Assert.Equal(before, Page(fixture, "index.html"));
        Assert.Equal(["site"], Directory.GetDirectories(Path.Combine(fixture.Root, "out")).Select(Path.GetFileName).Where(n => n!.StartsWith("site")));
    }

    [Fact]
    public void AMissingImageStopsTheBuildNamingTheFileAndNoSiteAppears()
    {
        using var fixture = new FixtureNotebooks();
        fixture.Write("00-only.ipynb", Markdown("# Only\n\ntext"), Markdown("![gone](../images/missing.svg)"));

        var e = Assert.Throws<SiteBuildException>(() => Build(fixture));

        Assert.Contains("00-only.ipynb, cell 2: shows the image ../images/missing.svg, but no such file exists", e.Message);
        Assert.Contains("was not created", e.Message);
        Assert.False(Directory.Exists(fixture.Site));
        Assert.Empty(Directory.GetDirectories(Path.Combine(fixture.Root, "out"), "site*"));
    }

    [Fact]
    public void BrokenLinksStopTheBuild()
    {
        using var fixture = new FixtureNotebooks();
        fixture.Write("00-a.ipynb",
            Markdown("# A\n\nSee [nothing](02-missing.ipynb), [no such part](#nowhere) and [the code](../lib/Foo.cs)."),
            Markdown("## Part\n\n[the part](#part) is fine."));

        var e = Assert.Throws<SiteBuildException>(() => Build(fixture));

        Assert.Contains("00-a.ipynb, cell 1: links to 02-missing.ipynb, which is not among the executed notebooks", e.Message);
        Assert.Contains("00-a.ipynb, cell 1: links to ../lib/Foo.cs, which the site does not publish", e.Message);
        Assert.Contains("00-a.ipynb, cell 1: links to #nowhere on 00-a.html, which has no such heading or element", e.Message);
        Assert.DoesNotContain("#part", e.Message);
        Assert.False(Directory.Exists(fixture.Site));
    }

    [Fact]
    public void TheDocumentsBesideTheNotebooksArePagesAndLinksToThemWork()
    {
        using var fixture = new FixtureNotebooks();
        var source = Path.Combine(fixture.Root, "notebooks");
        Directory.CreateDirectory(Path.Combine(source, "solutions"));
        File.WriteAllText(Path.Combine(source, "formula-sheet.md"), "# Formula sheet\n\n## Softmax\n\n$\\hat y = \\mathrm{softmax}(o)$\n");
        File.WriteAllText(Path.Combine(source, "solutions", "00-a.md"),
            "# Solutions to A\n\nBack to [the notebook](../00-a.ipynb) and [the sheet](../formula-sheet.md#softmax).\n");
        fixture.Write("00-a.ipynb", Markdown("# A\n\n[Formulas](formula-sheet.md), [solutions](solutions/00-a.md)."));

        var site = Build(fixture);

        Assert.Equal(["00-a.html", "formula-sheet.html", "index.html", "solutions-00-a.html"], site.Pages);
        var page = File.ReadAllText(Path.Combine(site.Folder, "00-a.html"));
        Assert.Contains("href=\"formula-sheet.html\"", page);
        Assert.Contains("href=\"solutions-00-a.html\"", page);
        var solutions = File.ReadAllText(Path.Combine(site.Folder, "solutions-00-a.html"));
        Assert.Contains("<title>Solutions to A · ", solutions);
        Assert.Contains("href=\"00-a.html\"", solutions);
        Assert.Contains("href=\"formula-sheet.html#softmax\"", solutions);
        Assert.Contains("<span class=\"math\">", File.ReadAllText(Path.Combine(site.Folder, "formula-sheet.html")));
        var index = File.ReadAllText(Path.Combine(site.Folder, "index.html"));
        Assert.Contains("<a href=\"formula-sheet.html\">Formula sheet</a>", index);
        Assert.Contains("<a href=\"solutions-00-a.html\">Solutions to A</a>", index);
    }

    [Fact]
    public void ALinkToADocumentThatIsNotThereStopsTheBuild()
    {
        using var fixture = new FixtureNotebooks();
        Directory.CreateDirectory(Path.Combine(fixture.Root, "notebooks"));
        fixture.Write("00-a.ipynb", Markdown("# A\n\n[Formulas](formula-sheet.md)."));

        var e = Assert.Throws<SiteBuildException>(() => Build(fixture));

        Assert.Contains("00-a.ipynb, cell 1: links to formula-sheet.md, which is not among the course's documents", e.Message);
    }

    [Fact]
    public void ABrokenLinkInAnOutputsHtmlStopsTheBuild()
    {
        using var fixture = new FixtureNotebooks();
        fixture.Write("00-a.ipynb", Markdown("# A"),
            Code("1", DisplayData("text/html", System.Text.Json.Nodes.JsonValue.Create("<a href=\"other.html\">a page</a> <img src=\"gone.png\">")!)));

        var e = Assert.Throws<SiteBuildException>(() => Build(fixture));

        Assert.Contains("00-a.html: refers to other.html, which is not a file of the site", e.Message);
        Assert.Contains("00-a.html: refers to gone.png, which is not a file of the site", e.Message);
        Assert.False(Directory.Exists(fixture.Site));
        Assert.Empty(Directory.GetDirectories(Path.Combine(fixture.Root, "out"), "site*"));
    }

    [Fact]
    public void AnOutputThatLoadsFromTheNetworkStopsTheBuild()
    {
        using var fixture = new FixtureNotebooks();
        fixture.Write("00-a.ipynb", Markdown("# A"),
            Code("chart", DisplayData("text/html", System.Text.Json.Nodes.JsonValue.Create("<script src=\"https://cdn.plot.ly/plotly-2.28.0.min.js\"></script>")!)));

        var e = Assert.Throws<SiteBuildException>(() => Build(fixture));

        Assert.Contains("00-a.ipynb, cell 2 (text/html): https://cdn.plot.ly/plotly-2.28.0.min.js (an output that loads from the network", e.Message);
    }

    [Fact]
    public void TheLibraryCellShowsTheExtensionsItLoadedWithoutTheMachinesPackageFolder()
    {
        using var fixture = new FixtureNotebooks();
        JsonObject Loading(string path) => DisplayData("text/plain", JsonValue.Create($"Loading extensions from `{path}`")!);
        fixture.Write("00-a.ipynb", Markdown("# A"),
            Code("#r \"nuget: DlWorkbook, *-*\"",
                Loading("/home/alice/.nuget/packages/plotly.net.interactive/6.0.0/lib/netstandard2.1/Plotly.NET.Interactive.dll"),
                Loading(@"C:\Users\bob\.nuget\packages\dlworkbook\0.1.0-local.1\interactive-extensions\dotnet\DlWorkbook.Interactive.dll")),
            Code("Console.WriteLine(\"Loading extensions from `/keep/what/a/cell/printed.dll`\");",
                Stream("Loading extensions from `/keep/what/a/cell/printed.dll`\n")));

        Build(fixture);

        var page = Page(fixture, "00-a.html");
        Assert.Contains("<pre class=\"output-text\">Loading extensions from Plotly.NET.Interactive.dll</pre>", page);
        Assert.Contains("<pre class=\"output-text\">Loading extensions from DlWorkbook.Interactive.dll</pre>", page);
        Assert.DoesNotContain("alice", page);
        Assert.DoesNotContain("bob", page);
        Assert.DoesNotContain(".nuget", page);
        // Only the kernel's message is shortened; what a cell prints itself is shown as printed.
        Assert.Contains("<pre class=\"stream\">Loading extensions from `/keep/what/a/cell/printed.dll`\n</pre>", page);
    }

    [Fact]
    public void NoNotebooksIsAClearError()
    {
        using var fixture = new FixtureNotebooks();
        var e = Assert.Throws<SiteBuildException>(() => Build(fixture));
        Assert.Contains("holds no notebooks (*.ipynb). Run the setup command (`dotnet run --project tools/Workbook -- setup`) first", e.Message);
    }

    [Theory]
    [InlineData("$$L = 1$$", "L = 1")]
    [InlineData("$x$", "x")]
    [InlineData("\\[a\\]", "a")]
    [InlineData("\\begin{aligned}a\\end{aligned}", "\\begin{aligned}a\\end{aligned}")]
    public void LatexOutputsLoseTheirDelimiters(string latex, string tex) => Assert.Equal(tex, PageRenderer.DisplayMath(latex));
}
