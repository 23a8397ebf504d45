using System.Globalization;
using SiteBuilder;

// Usage: SiteBuilder [--notebooks out/notebooks] [--out out/site] [--source notebooks] [--readme README.md]
const string Usage = """
    Builds the static course site from the executed notebooks.

    Usage: SiteBuilder [--notebooks DIR] [--out DIR] [--source DIR] [--readme FILE]
      --notebooks DIR  executed notebooks, one page each (default: out/notebooks)
      --out DIR        the site; replaced only when the build succeeds (default: out/site)
      --source DIR     source notebooks, where relative image links are also looked up (default: notebooks, if it exists)
      --readme FILE    README with the course map for the index (default: README.md, if it exists)
    """;

string? notebooks = "out/notebooks", output = "out/site", source = null, readme = null;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    try
    {
        switch (args[i])
        {
            case "--notebooks": notebooks = Value(); break;
            case "--out": output = Value(); break;
            case "--source": source = Value(); break;
            case "--readme": readme = Value(); break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"Unknown argument {args[i]}.");
        }
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"site: {e.Message}\n\n{Usage}");
        return 2;
    }
}
source ??= Directory.Exists("notebooks") ? "notebooks" : null;
readme ??= File.Exists("README.md") ? "README.md" : null;

try
{
    var site = SiteBuild.Build(new SiteOptions(notebooks, output, source, readme));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"site: {site.Pages.Count} pages in {site.Elapsed.TotalSeconds:0.0} s -> {Path.GetRelativePath(Environment.CurrentDirectory, site.Folder)}/index.html " +
        $"({site.TotalBytes / 1e6:0.0} MB in all; largest page {site.LargestPage}, {site.LargestPageBytes / 1e3:0} KB)"));
    return 0;
}
catch (SiteBuildException e)
{
    Console.Error.WriteLine($"site: {e.Message}");
    return 1;
}
