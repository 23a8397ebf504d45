using System.Text.Json.Nodes;
using SiteBuilder;
using static DlWorkbook.Tests.Site.FixtureNotebooks;

namespace DlWorkbook.Tests.Site;

public class ExternalUrlsTests
{
    [Fact]
    public void PlotlyNetsCdnChartIsFoundWithNotebookCellAndMimeType()
    {
        using var fixture = new FixtureNotebooks();
        var path = fixture.Write("03-mlp.ipynb", Markdown("# MLP"),
            Code("chart", DisplayData("text/html", JsonValue.Create(
                "<div id=\"c\"></div><script>var r = requirejs.config({paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}}) || require;</script>" +
                "<script src=\"https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js\"></script>")!)));

        Assert.Equal(
            [
                "03-mlp.ipynb, cell 2 (text/html): https://cdn.plot.ly/plotly-2.28.0.min",
                "03-mlp.ipynb, cell 2 (text/html): https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js",
            ],
            ExternalUrls.InNotebook(path));
    }

    [Theory]
    [InlineData("image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><rect/></svg>")]
    [InlineData("image/svg+xml", "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\"><svg/>")]
    [InlineData("text/html", "<p>See <a class=\"x\" href=\"https://pytorch.org/docs\">the docs</a>.</p>")]
    [InlineData("text/markdown", "See [the docs](https://pytorch.org/docs) or <https://d2l.ai>.")]
    public void NamespacesAndPlainLinksAreNotNetworkLoads(string mime, string content) =>
        Assert.Empty(ExternalUrls.InContent(mime, content));

    [Theory]
    [InlineData("text/html", "<img src=\"https://example.org/a.png\">", "https://example.org/a.png")]
    [InlineData("text/html", "<link rel=\"stylesheet\" href=\"https://cdn.example/katex.css\">", "https://cdn.example/katex.css")]
    [InlineData("text/html", "<style>@import url(https://fonts.example/x.css);</style>", "https://fonts.example/x.css")]
    [InlineData("application/vnd.plotly.v1+json", "{\"layout\":{\"images\":[{\"source\":\"https://example.org/logo.png\"}]}}", "https://example.org/logo.png")]
    [InlineData("text/plain", "downloaded from http://example.org/data.csv", "http://example.org/data.csv")]
    [InlineData("text/markdown", "![a picture](https://example.org/p.png)", "https://example.org/p.png")]
    public void AnythingElseIsFound(string mime, string content, string url) =>
        Assert.Equal([url], ExternalUrls.InContent(mime, content));

    [Fact]
    public void MarkdownCellsAreNotOutputs()
    {
        using var fixture = new FixtureNotebooks();
        var path = fixture.Write("00.ipynb", Markdown("# T\n\n[PyTorch](https://pytorch.org)"), Code("1", Stream("2\n")));
        Assert.Empty(ExternalUrls.InNotebook(path));
    }
}
