using System.Text.Json;
using PuppeteerSharp;

namespace DlWorkbook.Tests.Site;

/// <summary>
/// Opens every page of a built site in headless Chromium (Chrome, Edge or Chromium, driven over the DevTools protocol by
/// PuppeteerSharp) with every request outside the site blocked, and lists what a reader would find wrong: console
/// errors, requests that leave the site, charts not drawn, formulas not typeset, images not loaded, broken links.
/// Saves a screenshot of each page's first screen.
/// </summary>
sealed class SiteInspector
{
    /// <summary>The flags that make the browser run headless here, with no network of its own.</summary>
    static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>The browser to drive (Chrome, Edge or Chromium; see <see cref="BrowserLocator"/>), or null.</summary>
    public static string? Browser() => BrowserLocator.Find();

    /// <summary>Opens <paramref name="pages"/> (file names in <paramref name="site"/>) and returns the problems, one line each.</summary>
    public static async Task<List<string>> Inspect(string site, IReadOnlyList<string> pages, string? screenshots)
    {
        var browserPath = Browser() ?? throw new InvalidOperationException(BrowserLocator.Missing(BrowserLocator.CurrentOs));
        var siteRoot = new Uri(Path.GetFullPath(site) + Path.DirectorySeparatorChar).AbsoluteUri;
        var profile = Directory.CreateTempSubdirectory("dlw-chromium-").FullName;
        var problems = new List<string>();
        var idsByPage = new Dictionary<string, HashSet<string>>();
        var links = new List<(string From, string Href)>();
        try
        {
            await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = browserPath, Headless = true, UserDataDir = profile, Args = Flags, Timeout = 120_000,
            });
            foreach (var name in pages)
            {
                await using var page = await browser.NewPageAsync();
                await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
                var found = new List<string>();
                void Report(string problem) { lock (found) found.Add($"{name}: {problem}"); }
                await page.SetRequestInterceptionAsync(true);
                page.Request += async (_, e) =>
                {
                    var url = e.Request.Url;
                    if (url.StartsWith(siteRoot, StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal)
                        || url.StartsWith("about:", StringComparison.Ordinal) || url.StartsWith("blob:", StringComparison.Ordinal))
                        await e.Request.ContinueAsync();
                    else
                    {
                        Report($"request leaves the site: {url}");
                        await e.Request.AbortAsync();
                    }
                };
                page.RequestFailed += (_, e) =>
                {
                    if (e.Request.Url.StartsWith(siteRoot, StringComparison.Ordinal)) Report($"could not load {e.Request.Url[siteRoot.Length..]} ({e.Request.FailureText})");
                };
                page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) Report($"console error: {e.Message.Text}"); };
                page.PageError += (_, e) => Report($"script error: {e.Message}");

                await page.GoToAsync(siteRoot + name, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 });
                try
                {
                    await page.WaitForFunctionAsync("() => window.dlwSiteReady === true", new WaitForFunctionOptions { Timeout = 60_000 });
                }
                catch (WaitTaskTimeoutException)
                {
                    Report("site.js did not finish typesetting and drawing within 60 s");
                }
                var state = await page.EvaluateFunctionAsync<JsonElement>(PageStateScript);
                foreach (var chart in state.GetProperty("undrawnCharts").EnumerateArray()) Report($"chart not drawn: {chart.GetString()}");
                foreach (var math in state.GetProperty("untypeset").EnumerateArray()) Report($"formula not typeset: {math.GetString()}");
                foreach (var text in state.GetProperty("rawTex").EnumerateArray()) Report($"TeX left as text: {text.GetString()}");
                foreach (var image in state.GetProperty("brokenImages").EnumerateArray()) Report($"image did not load: {image.GetString()}");
                idsByPage[name] = state.GetProperty("ids").EnumerateArray().Select(i => i.GetString()!).ToHashSet();
                links.AddRange(state.GetProperty("links").EnumerateArray().Select(l => (name, l.GetString()!)));
                if (screenshots is not null)
                {
                    Directory.CreateDirectory(screenshots);
                    // The first screen only: a full-page capture of a long notebook page doubles the time the check takes.
                    await page.ScreenshotAsync(Path.Combine(screenshots, Path.ChangeExtension(name, ".png")));
                }
                lock (found) problems.AddRange(found);
            }
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }

        // Links between pages, checked once every page's ids are known.
        foreach (var (from, href) in links)
        {
            if (!href.StartsWith(siteRoot, StringComparison.Ordinal)) continue;   // a plain external link: followed by nobody here
            var target = href[siteRoot.Length..];
            var hash = target.IndexOf('#');
            var file = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
            var fragment = hash < 0 ? "" : Uri.UnescapeDataString(target[(hash + 1)..]);
            if (!File.Exists(Path.Combine(site, file))) problems.Add($"{from}: broken link to {file}");
            else if (fragment.Length > 0 && (!idsByPage.TryGetValue(file, out var ids) || !ids.Contains(fragment)))
                problems.Add($"{from}: link to {file}#{fragment}, which has no such anchor");
        }
        return problems;
    }

    /// <summary>What the page shows once site.js is done: charts without a plot, formulas left as TeX, images not loaded, its links and ids.</summary>
    const string PageStateScript = """
        () => {
          const describe = el => (el.closest('section[id]') ? el.closest('section[id]').id + ': ' : '') + el.textContent.trim().slice(0, 80);
          const rawTex = [];
          const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest('pre, code, .katex, .math, script, svg, .js-plotly-plot, .chart')) continue;
            if (/\$|\\[a-zA-Z]+/.test(node.textContent)) rawTex.push(describe(node.parentElement));
          }
          return {
            undrawnCharts: [...document.querySelectorAll('.chart')].filter(c => !c.querySelector('.chart-plot .main-svg')).map(c => c.dataset.figure + ' in ' + (c.closest('section[id]') || {}).id),
            untypeset: [...document.querySelectorAll('.math')].filter(m => !m.querySelector('.katex') || m.querySelector('.katex-error')).map(describe),
            rawTex,
            brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src').slice(0, 100)),
            ids: [...document.querySelectorAll('[id]')].map(e => e.id),
            links: [...document.querySelectorAll('a[href]')].map(a => a.href),
          };
        }
        """;
}
