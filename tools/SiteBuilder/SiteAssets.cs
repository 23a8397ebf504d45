using System.Reflection;
using DlWorkbook.Display;

namespace SiteBuilder;

/// <summary>
/// The files every page shares, written once under <c>assets/</c>: the site's stylesheet and script, plotly.js and
/// KaTeX. No page inlines any of them, and none is loaded from the network.
/// </summary>
public static class SiteAssets
{
    /// <summary>plotly.js as Plotly.NET embeds it: the version its charts are made for.</summary>
    public const string PlotlyScript = "assets/plotly.min.js";

    public const string KatexScript = "assets/katex/katex.min.js";
    public const string KatexStyle = "assets/katex/katex.min.css";
    public const string SiteScript = "assets/site.js";
    public const string SiteStyle = "assets/site.css";

    /// <summary>Writes the shared files into <paramref name="site"/>.</summary>
    /// <exception cref="SiteBuildException">KaTeX could not be fetched, or Plotly.NET carries no plotly.js.</exception>
    public static void Write(string site, PackageSources sources)
    {
        var own = typeof(SiteAssets).Assembly;
        WriteResource(own, "site.css", Path.Combine(site, SiteStyle));
        WriteResource(own, "site.js", Path.Combine(site, SiteScript));

        // Plotly.NET 6 carries plotly.js (and its licence) as resources of its DLL; no download, no version drift.
        try
        {
            var plotlyJs = new PlotlyJs(typeof(Plotly.NET.GenericChart).Assembly);
            plotlyJs.WriteTo(Path.Combine(site, PlotlyScript));
            plotlyJs.WriteLicenseTo(Path.Combine(site, "assets", "plotly.LICENSE.txt"));
        }
        catch (InvalidOperationException e)
        {
            throw new SiteBuildException(e.Message);
        }

        // KaTeX: the script, the stylesheet and the woff2 fonts (every browser that runs KaTeX reads woff2 first).
        var katex = NpmPackage.Katex.Files(
            path => path is "dist/katex.min.js" or "dist/katex.min.css" or "LICENSE"
                    || (path.StartsWith("dist/fonts/", StringComparison.Ordinal) && path.EndsWith(".woff2", StringComparison.Ordinal)),
            sources);
        if (!katex.ContainsKey("dist/katex.min.js") || !katex.ContainsKey("dist/katex.min.css"))
            throw new SiteBuildException($"The {NpmPackage.Katex.FileName} tarball lacks dist/katex.min.js or dist/katex.min.css.");
        foreach (var (path, bytes) in katex)
        {
            var target = Path.Combine(site, "assets", "katex", path.StartsWith("dist/", StringComparison.Ordinal) ? path["dist/".Length..] : path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, bytes);
        }
    }

    static void WriteResource(Assembly assembly, string name, string target)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new SiteBuildException($"{assembly.GetName().Name} has no resource {name}.");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var file = File.Create(target);
        stream.CopyTo(file);
    }
}
