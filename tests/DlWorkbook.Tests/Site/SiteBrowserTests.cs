using DlWorkbook.Tests.Notebooks;
using NotebookRunner;
using SiteBuilder;
using static DlWorkbook.Tests.Site.FixtureNotebooks;

namespace DlWorkbook.Tests.Site;

/// <summary>
/// The course site in a real browser: every page of the site built from the executed notebooks (the test command's
/// dotnet-interactive copies, checked fresh by <see cref="TestRunOutputs"/>) opens in headless Chromium with no request leaving the site, every chart drawn,
/// every formula typeset, every image loaded and every link between pages resolving. Screenshots go to
/// out/site-screenshots/.
/// </summary>
public class SiteBrowserTests
{
    [Fact]
    public async Task EveryPageOfTheCourseSiteWorksOfflineInChromium()
    {
        var executed = TestRunOutputs.NotebookFolder(NotebookHost.Interactive);
        foreach (var notebook in TestRunOutputs.Notebooks) TestRunOutputs.ExecutedCopy(notebook, NotebookHost.Interactive);
        var folder = Directory.CreateTempSubdirectory("dlw-site-test-").FullName;
        try
        {
            var site = SiteBuild.Build(new SiteOptions(executed, Path.Combine(folder, "site"), RepoPaths.Notebooks, Path.Combine(RepoPaths.Root, "README.md")));
            // index, one page per notebook and one per document beside the notebooks (formula sheet, solutions)
            Assert.Equal(Directory.EnumerateFiles(executed, "*.ipynb").Count() + 1
                         + Directory.EnumerateFiles(RepoPaths.Notebooks, "*.md", SearchOption.AllDirectories).Count(), site.Pages.Count);

            var problems = await SiteInspector.Inspect(site.Folder, site.Pages, Path.Combine(RepoPaths.Root, "out", "site-screenshots"));

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheBrowserCheckFindsWhatAReaderWouldMiss()
    {
        using var fixture = new FixtureNotebooks();
        fixture.WriteCourse();
        var site = SiteBuild.Build(new SiteOptions(fixture.Notebooks, fixture.Site, Path.Combine(fixture.Root, "notebooks")));
        Assert.Empty(await SiteInspector.Inspect(site.Folder, site.Pages, screenshots: null));

        // Break the built pages the ways the build cannot see: a formula KaTeX rejects, a chart whose data is broken,
        // an image file that went missing, a script from the network, raw TeX outside a formula.
        File.Delete(Path.Combine(site.Folder, "images", "loop.svg"));
        var first = Path.Combine(site.Folder, "00-first.html");
        File.WriteAllText(first, File.ReadAllText(first)
            .Replace("\\(w_1 &lt; 2\\)", "\\(\\frac{1}{\\)")
            .Replace("</main>", "<p>left as text: \\alpha</p></main>")
            .Replace("</body>", "<script src=\"https://cdn.example/x.js\"></script></body>"));
        var second = Path.Combine(site.Folder, "01-second.html");
        File.WriteAllText(second, File.ReadAllText(second).Replace("{\"data\":[", "{\"data\":[}"));

        var problems = await SiteInspector.Inspect(site.Folder, site.Pages, screenshots: null);

        var all = string.Join("\n", problems);
        foreach (var expected in new[]
                 {
                     "00-first.html: request leaves the site: https://cdn.example/x.js",
                     "00-first.html: image did not load: images/loop.svg",
                     "00-first.html: formula not typeset: cell-1:",
                     "00-first.html: console error: A formula could not be typeset: \\frac{1}{",
                     "00-first.html: TeX left as text:",
                     "01-second.html: chart not drawn: figure-1 in cell-2",
                 })
            Assert.True(problems.Any(p => p.StartsWith(expected, StringComparison.Ordinal)), $"expected a problem starting with \"{expected}\" in:\n{all}");
    }
}
