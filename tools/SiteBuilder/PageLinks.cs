namespace SiteBuilder;

/// <summary>
/// The links and images of one page: links to notebooks become links to their pages, images are copied into the
/// site's images/ folder, and anything the site cannot serve is reported with the notebook and cell.
/// </summary>
public sealed class PageLinks(string where, IReadOnlyList<string> searchFolders, SiteContent site) : MarkdownRenderer.ILinkTarget
{
    readonly HashSet<string> ids = [];

    /// <summary>The cell being rendered, named in problems.</summary>
    public Cell? Cell { get; set; }

    /// <summary>Where problems happen: "NOTEBOOK, cell N" or the file name.</summary>
    string Location => Cell is null ? where : $"{where}, {Cell.Label}";

    /// <summary>The page this is for (its file name in the site).</summary>
    public string Page { get; init; } = "index.html";

    public void Problem(string message) => site.Problems.Add($"{Location}: {message}");

    public string HeadingId(string text)
    {
        var slug = MarkdownRenderer.Slug(text);
        var id = slug;
        for (var n = 2; !ids.Add(id); n++) id = $"{slug}-{n}";
        return id;
    }

    public string? Link(string url)
    {
        if (url.StartsWith('#'))
        {
            site.Anchors.Add(new AnchorLink(Location, Page, url[1..]));
            return url;
        }
        if (HasScheme(url)) return url;   // a plain link a reader may follow; nothing is loaded
        var (path, fragment) = Split(url);
        if (path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
        {
            var page = site.PageFor(Path.GetFileName(path));
            if (page is null)
            {
                Problem($"links to {url}, which is not among the executed notebooks the site is built from");
                return null;
            }
            if (fragment.Length > 0) site.Anchors.Add(new AnchorLink(Location, page, fragment));
            return fragment.Length > 0 ? $"{page}#{fragment}" : page;
        }
        if (path.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            var relative = Uri.UnescapeDataString(path);
            var page = searchFolders.Select(folder => site.DocumentFor(Path.GetFullPath(Path.Combine(folder, relative))))
                .FirstOrDefault(p => p is not null);
            if (page is null)
            {
                Problem($"links to {url}, which is not among the course's documents (the .md files beside the notebooks)");
                return null;
            }
            if (fragment.Length > 0) site.Anchors.Add(new AnchorLink(Location, page, fragment));
            return fragment.Length > 0 ? $"{page}#{fragment}" : page;
        }
        if (SiteContent.IsImage(path)) return Image(url);
        Problem($"links to {url}, which the site does not publish (it holds the notebooks' pages, the documents beside them and their images only)");
        return null;
    }

    public string? Image(string url)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return url;
        if (HasScheme(url))
        {
            Problem($"loads the image {url} from the network, which an offline reader does not have; save it under images/ and link it by a relative path");
            return null;
        }
        var (path, _) = Split(url);
        var relative = Uri.UnescapeDataString(path);
        var candidates = searchFolders.Select(folder => Path.GetFullPath(Path.Combine(folder, relative))).ToList();
        var found = candidates.FirstOrDefault(File.Exists);
        if (found is null)
        {
            Problem($"shows the image {url}, but no such file exists (looked for {string.Join(" and ", candidates)})");
            return null;
        }
        return site.AddImage(found);
    }

    static bool HasScheme(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1 && !url.StartsWith('/');

    static (string Path, string Fragment) Split(string url)
    {
        var hash = url.IndexOf('#');
        return hash < 0 ? (url, "") : (url[..hash], url[(hash + 1)..]);
    }
}

/// <summary>A link to an anchor on a page, checked once every page is rendered.</summary>
public sealed record AnchorLink(string From, string Page, string Id);

/// <summary>What the pages of one build share: the notebooks' and documents' page names, the copied images and the problems found.</summary>
public sealed class SiteContent(IReadOnlyDictionary<string, string> pagesByNotebook, IReadOnlyDictionary<string, string>? pagesByDocument = null)
{
    readonly Dictionary<string, string> imageBySource = new(StringComparer.Ordinal);

    /// <summary>Every problem found so far, one line each; the build stops when there is any.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Links to anchors, checked when every page's ids are known.</summary>
    public List<AnchorLink> Anchors { get; } = [];

    /// <summary>Source file to its path in the site, for the images the pages show.</summary>
    public IReadOnlyDictionary<string, string> Images => imageBySource;

    public string? PageFor(string notebookFileName) => pagesByNotebook.GetValueOrDefault(notebookFileName);

    /// <summary>The page of a markdown document, by its full path, or null when the site does not publish it.</summary>
    public string? DocumentFor(string fullPath) => pagesByDocument?.GetValueOrDefault(fullPath);

    public static bool IsImage(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".svg" or ".png" or ".jpg" or ".jpeg" or ".gif" or ".webp";

    /// <summary>The site path (images/NAME) for an image file; two different files with one name get distinct names.</summary>
    public string AddImage(string source)
    {
        if (imageBySource.TryGetValue(source, out var known)) return Escape(known);
        var name = Path.GetFileName(source);
        var target = $"images/{name}";
        for (var n = 2; imageBySource.ContainsValue(target); n++)
            target = $"images/{Path.GetFileNameWithoutExtension(name)}-{n}{Path.GetExtension(name)}";
        imageBySource[source] = target;
        return Escape(target);
    }

    static string Escape(string sitePath) => Uri.EscapeDataString(sitePath).Replace("%2F", "/", StringComparison.Ordinal);
}
