using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace SiteBuilder;

/// <summary>What to build the site from and where to put it.</summary>
/// <param name="Notebooks">The folder of executed notebooks (*.ipynb), one page each, in file-name order.</param>
/// <param name="Out">The site folder; replaced as a whole only when the build succeeds.</param>
/// <param name="Source">
/// The folder of the source notebooks: a relative image link that does not resolve beside the executed copy is
/// resolved here, where its author wrote it. Optional.
/// </param>
/// <param name="Readme">README.md with the course's title and map for the index. Optional.</param>
/// <param name="Packages">Where KaTeX comes from; the workbook's cache, mirror and the npm registry by default.</param>
public sealed record SiteOptions(string Notebooks, string Out, string? Source = null, string? Readme = null, PackageSources? Packages = null);

/// <summary>A finished build: the pages written and what they weigh.</summary>
public sealed record SiteResult(string Folder, IReadOnlyList<string> Pages, TimeSpan Elapsed, long TotalBytes, string LargestPage, long LargestPageBytes);

/// <summary>
/// Builds the static course site: index.html (the course map), one page per executed notebook and one per markdown
/// document beside the notebooks (formula sheet, solutions), with the
/// shared assets, into a temporary folder beside the target that replaces the target only when everything
/// checked out. A failed build leaves the previous site as it was and no half-written folder behind.
/// </summary>
public static partial class SiteBuild
{
    /// <summary>Builds the site.</summary>
    /// <exception cref="SiteBuildException">
    /// Something in the input stops the build: a cell that failed when the notebook ran, an output that loads from
    /// the network, a missing image, a broken link. The message names every one with its notebook and cell.
    /// </exception>
    public static SiteResult Build(SiteOptions options)
    {
        var clock = Stopwatch.StartNew();
        var notebookFolder = Path.GetFullPath(options.Notebooks);
        var target = Path.GetFullPath(options.Out);
        if (!Directory.Exists(notebookFolder))
            throw new SiteBuildException($"There is no folder {options.Notebooks} with executed notebooks. Run the setup command (`dotnet run --project tools/Workbook -- setup`) first: it writes them there.");
        var notebooks = Directory.GetFiles(notebookFolder, "*.ipynb").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
            .Select(Notebook.Load).ToList();
        if (notebooks.Count == 0)
            throw new SiteBuildException($"{options.Notebooks} holds no notebooks (*.ipynb). Run the setup command (`dotnet run --project tools/Workbook -- setup`) first: it writes the executed notebooks there.");

        // Outputs that make a page wrong or need the network are named before anything is rendered.
        var problems = new List<string>();
        foreach (var notebook in notebooks)
        {
            foreach (var cell in notebook.Cells)
                foreach (var output in cell.Outputs.Where(o => o.Kind == "error"))
                    problems.Add($"{notebook.Name}, {cell.Label} failed when the notebook ran ({Shorten(output.Error!)}). Fix the cell and run the notebooks again (the setup command).");
            problems.AddRange(ExternalUrls.InNotebook(notebook).Select(u => $"{u} (an output that loads from the network; run the notebooks again with the current course library)"));
        }
        Fail(problems, target);

        // The course's markdown documents beside the notebooks (the formula sheet, the worked solutions) get pages too,
        // so the notebooks' links to them work on the site.
        var documentRoot = Path.GetFullPath(options.Source ?? notebookFolder);
        var documents = Directory.Exists(documentRoot)
            ? Directory.GetFiles(documentRoot, "*.md", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(documentRoot, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
                .Order(StringComparer.Ordinal).ToList()
            : [];
        var site = new SiteContent(notebooks.ToDictionary(n => n.Name, n => n.PageName),
            documents.ToDictionary(f => f, f => DocumentPageName(Path.GetRelativePath(documentRoot, f))));
        string[] search = options.Source is null ? [notebookFolder] : [notebookFolder, Path.GetFullPath(options.Source)];
        var rendered = notebooks.Select(n => PageRenderer.Render(n, new PageLinks(n.Name, search, site) { Page = n.PageName })).ToList();

        var readme = options.Readme is not null && File.Exists(options.Readme) ? Path.GetFullPath(options.Readme) : null;
        var readmeLinks = new PageLinks(Path.GetFileName(readme ?? "README.md"), readme is null ? [] : [Path.GetDirectoryName(readme)!], site);
        var map = readme is null ? CourseMap.Empty : CourseMap.FromReadme(File.ReadAllText(readme), readmeLinks);
        var intro = map.IntroMarkdown.Length == 0 ? "" : MarkdownRenderer.ToHtml(map.IntroMarkdown, readmeLinks);

        var html = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < notebooks.Count; i++)
        {
            SiteLayout.PageLink? Link(int j) => j >= 0 && j < notebooks.Count ? new(notebooks[j].PageName, rendered[j].Title) : null;
            html[notebooks[i].PageName] = SiteLayout.NotebookPage(map.Title, rendered[i], Link(i - 1), Link(i + 1));
        }
        var documentPages = new List<(string Page, string Title)>();
        foreach (var document in documents)
        {
            var page = site.DocumentFor(document)!;
            var links = new PageLinks(Path.GetRelativePath(documentRoot, document), [Path.GetDirectoryName(document)!], site) { Page = page };
            var headings = new List<Heading>();
            var body = MarkdownRenderer.ToHtml(File.ReadAllText(document), links, headings);
            var title = headings.FirstOrDefault(h => h.Level == 1)?.Text ?? Path.GetFileNameWithoutExtension(document);
            html[page] = SiteLayout.NotebookPage(map.Title, new RenderedPage(title, $"<section class=\"document\">{body}</section>", headings, 0), null, null);
            documentPages.Add((page, title));
        }
        html["index.html"] = SiteLayout.IndexPage(map, intro,
            notebooks.Select((n, i) => (n.PageName, rendered[i].Title, map.Entries.FirstOrDefault(e => e.Notebook == n.Name))).ToList(),
            documentPages);

        problems.AddRange(site.Problems);
        problems.AddRange(BrokenAnchors(site.Anchors, html));
        Fail(problems, target);

        var temp = $"{target}.partial-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(temp);
            SiteAssets.Write(temp, options.Packages ?? PackageSources.Default());
            foreach (var (source, sitePath) in site.Images)
            {
                var file = Path.Combine(temp, sitePath);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.Copy(source, file);
            }
            foreach (var (page, content) in html) File.WriteAllText(Path.Combine(temp, page), content, new UTF8Encoding(false));
            problems.AddRange(BrokenReferences(temp, html));
            Fail(problems, target);
            Swap(temp, target);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }

        var sizes = html.Keys.ToDictionary(p => p, p => new FileInfo(Path.Combine(target, p)).Length);
        var largest = sizes.MaxBy(s => s.Value);
        var total = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        return new SiteResult(target, html.Keys.Order(StringComparer.Ordinal).ToList(), clock.Elapsed, total, largest.Key, largest.Value);
    }

    /// <summary>The page of a markdown document, from its path below the notebooks: solutions/01-x.md -> solutions-01-x.html.</summary>
    public static string DocumentPageName(string relativePath) =>
        string.Join('-', Path.ChangeExtension(relativePath, null).Split('/', '\\')) + ".html";

    /// <summary>Replaces <paramref name="target"/> with the finished <paramref name="temp"/> folder: the old site goes only after the new one is in place.</summary>
    static void Swap(string temp, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (!Directory.Exists(target))
        {
            Directory.Move(temp, target);
            return;
        }
        var old = $"{target}.old-{Guid.NewGuid():N}";
        Directory.Move(target, old);
        Directory.Move(temp, target);
        Directory.Delete(old, recursive: true);
    }

    static void Fail(List<string> problems, string target)
    {
        if (problems.Count == 0) return;
        var kept = Directory.Exists(target) ? $"{target} was left as it was" : $"{target} was not created";
        throw new SiteBuildException($"The course site was not built ({kept}):\n" + string.Join("\n", problems.Select(p => "  - " + p)));
    }

    /// <summary>Links to #anchors that the target page does not have.</summary>
    static IEnumerable<string> BrokenAnchors(IEnumerable<AnchorLink> anchors, IReadOnlyDictionary<string, string> html)
    {
        var ids = html.ToDictionary(p => p.Key, p => Ids(p.Value));
        foreach (var anchor in anchors)
            if (!ids.TryGetValue(anchor.Page, out var pageIds) || !pageIds.Contains(Uri.UnescapeDataString(anchor.Id)))
                yield return $"{anchor.From}: links to #{anchor.Id} on {anchor.Page}, which has no such heading or element";
    }

    /// <summary>Every relative href or src in the written pages (outputs' HTML included) that names no file of the site.</summary>
    static IEnumerable<string> BrokenReferences(string site, IReadOnlyDictionary<string, string> html)
    {
        var ids = html.ToDictionary(p => p.Key, p => Ids(p.Value));
        foreach (var (page, content) in html)
            foreach (Match match in Reference().Matches(content))
            {
                var value = System.Net.WebUtility.HtmlDecode(match.Groups["url"].Value);
                if (value.Length == 0 || Uri.TryCreate(value, UriKind.Absolute, out var absolute) && absolute.Scheme.Length > 1) continue;
                var hash = value.IndexOf('#');
                var path = hash < 0 ? value : value[..hash];
                var fragment = hash < 0 ? "" : Uri.UnescapeDataString(value[(hash + 1)..]);
                var targetPage = path.Length == 0 ? page : Uri.UnescapeDataString(path);
                if (path.Length > 0 && !File.Exists(Path.Combine(site, targetPage)))
                    yield return $"{page}: refers to {value}, which is not a file of the site";
                else if (fragment.Length > 0 && ids.TryGetValue(targetPage, out var targetIds) && !targetIds.Contains(fragment))
                    yield return $"{page}: links to {value}, but {targetPage} has no element with id \"{fragment}\"";
            }
    }

    static HashSet<string> Ids(string html) =>
        Id().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

    static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 300 ? line : line[..300] + "…";
    }

    [GeneratedRegex(@"\s(?:xlink:)?(?:href|src)\s*=\s*""(?<url>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();

    [GeneratedRegex(@"\sid\s*=\s*""([^""]*)""")]
    private static partial Regex Id();
}
