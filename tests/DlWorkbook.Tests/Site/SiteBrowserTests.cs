using System.Runtime.InteropServices;
using DlWorkbook.Tests.Notebooks;
using NotebookRunner;
using SiteBuilder;
using static DlWorkbook.Tests.Site.FixtureNotebooks;

namespace DlWorkbook.Tests.Site;

/// <summary>
/// The course site in a real browser: every page of the site built from the executed notebooks (the test command's
/// dotnet-interactive copies, checked fresh by <see cref="TestRunOutputs"/>) opens in headless Chromium with no request leaving the site, every chart drawn,
/// every formula typeset, every image loaded and every link between pages resolving. Screenshots go to
/// out/site-screenshots/. Where no browser is installed the two tests are skipped with one line naming what to install,
/// except in CI (CI=true), where a missing browser fails them.
/// </summary>
public class SiteBrowserTests
{
    [BrowserFact]
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

    [BrowserFact]
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

/// <summary>
/// A test that needs a browser: skipped with <see cref="BrowserLocator.Missing"/> where none is installed, except when the
/// environment says CI=true (GitHub Actions and most CI services set it), where the test runs and fails with that line.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>Decides the skip from this machine's browsers and the CI variable.</summary>
    public BrowserFactAttribute() => Skip = SkipReason(BrowserLocator.Find, Environment.GetEnvironmentVariable("CI"), BrowserLocator.CurrentOs);

    /// <summary>The skip line, or null when the test must run.</summary>
    public static string? SkipReason(Func<string?> findBrowser, string? ci, OSPlatform os)
    {
        if (string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return findBrowser() is null ? BrowserLocator.Missing(os) : null;
        }
        catch (InvalidOperationException)
        {
            return null;   // CHROMIUM_PATH points nowhere: the test runs and fails with that message
        }
    }
}

/// <summary>Where the browser test looks on each system, and when it is skipped.</summary>
public class BrowserLocatorTests
{
    static string? Find(OSPlatform os, Dictionary<string, string> environment, string[] files, Dictionary<string, string>? scripts = null) =>
        BrowserLocator.Find(os, name => environment.GetValueOrDefault(name), files.Contains,
            path => scripts?.GetValueOrDefault(path) ?? "\u007fELF");

    [Fact]
    public void WindowsFindsChromeInProgramFilesThenEdgeInProgramFilesX86()
    {
        Dictionary<string, string> environment = new()
        {
            ["ProgramFiles"] = @"C:\Program Files", ["ProgramFiles(x86)"] = @"C:\Program Files (x86)",
            ["LocalAppData"] = @"C:\Users\ada\AppData\Local",
        };
        Assert.Equal(@"C:\Program Files\Google\Chrome\Application\chrome.exe",
            Find(OSPlatform.Windows, environment, [@"C:\Program Files\Google\Chrome\Application\chrome.exe",
                                                   @"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"]));
        // Every Windows 10 and 11 has Edge.
        Assert.Equal(@"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
            Find(OSPlatform.Windows, environment, [@"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"]));
        // A per-user Chrome install.
        Assert.Equal(@"C:\Users\ada\AppData\Local\Google\Chrome\Application\chrome.exe",
            Find(OSPlatform.Windows, environment, [@"C:\Users\ada\AppData\Local\Google\Chrome\Application\chrome.exe"]));
    }

    [Fact]
    public void MacOSFindsTheAppBundlesInApplicationsOrTheUsersOwn()
    {
        Assert.Equal("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            Find(OSPlatform.OSX, [], ["/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"]));
        Assert.Equal("/Users/ada/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
            Find(OSPlatform.OSX, new() { ["HOME"] = "/Users/ada" }, ["/Users/ada/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"]));
    }

    [Fact]
    public void LinuxFindsDebiansChromiumOrGoogleChrome()
    {
        Assert.Equal("/usr/bin/chromium", Find(OSPlatform.Linux, [], ["/usr/bin/chromium", "/usr/bin/google-chrome"]));
        Assert.Equal("/usr/bin/google-chrome", Find(OSPlatform.Linux, [], ["/usr/bin/google-chrome"]));
    }

    [Fact]
    public void UbuntusSnapStubIsNotABrowserWithoutSnap()
    {
        // What `apt install chromium` leaves on Ubuntu 24.04 without snapd (a devcontainer): a script asking for the snap.
        var stub = new Dictionary<string, string>
        {
            ["/usr/bin/chromium-browser"] = "#! /bin/sh\nif ! [ -x /snap/bin/chromium ]; then\n  echo \"Command '$0' requires the chromium snap to be installed.\"\n",
        };
        Assert.Null(Find(OSPlatform.Linux, [], ["/usr/bin/chromium-browser"], stub));
        Assert.Equal("/usr/bin/google-chrome-stable", Find(OSPlatform.Linux, [], ["/usr/bin/chromium-browser", "/usr/bin/google-chrome-stable"], stub));
        Assert.Equal("/usr/bin/chromium-browser", Find(OSPlatform.Linux, [], ["/usr/bin/chromium-browser", "/snap/bin/chromium"], stub));
    }

    [Fact]
    public void ChromiumPathWinsAndAWrongOneIsNamed()
    {
        Assert.Equal("/opt/my/chrome", Find(OSPlatform.Linux, new() { ["CHROMIUM_PATH"] = "/opt/my/chrome" }, ["/opt/my/chrome", "/usr/bin/chromium"]));
        var e = Assert.Throws<InvalidOperationException>(() => Find(OSPlatform.Linux, new() { ["CHROMIUM_PATH"] = "/opt/none" }, ["/usr/bin/chromium"]));
        Assert.StartsWith("CHROMIUM_PATH is /opt/none, which does not exist.", e.Message);
    }

    [Fact]
    public void WithoutABrowserTheTestIsSkippedWithWhatToInstallButInCiItRunsAndFails()
    {
        var reason = BrowserFactAttribute.SkipReason(() => null, ci: null, OSPlatform.Windows);
        Assert.NotNull(reason);
        Assert.StartsWith("No Chrome, Edge or Chromium found (looked at CHROMIUM_PATH, then ", reason);
        Assert.EndsWith("install Google Chrome (`winget install Google.Chrome`) or Microsoft Edge, or set CHROMIUM_PATH to one.", reason);
        Assert.Contains("`sudo apt-get install -y chromium`", BrowserFactAttribute.SkipReason(() => null, ci: "", OSPlatform.Linux));
        Assert.Null(BrowserFactAttribute.SkipReason(() => null, ci: "true", OSPlatform.Linux));
        Assert.Null(BrowserFactAttribute.SkipReason(() => "/usr/bin/chromium", ci: null, OSPlatform.Linux));
    }
}
