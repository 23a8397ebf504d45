using System.CommandLine;
using System.Globalization;
using CommandLines;
using SiteBuilder;

var notebooks = new Option<string>("--notebooks")
{
    Description = "executed notebooks, one page each", HelpName = "DIR", DefaultValueFactory = _ => "out/notebooks",
};
var output = new Option<string>("--out")
{
    Description = "the site; replaced only when the build succeeds", HelpName = "DIR", DefaultValueFactory = _ => "out/site",
};
var source = new Option<string>("--source") { Description = "source notebooks, where relative image links are also looked up (default: notebooks, if it exists)", HelpName = "DIR" };
var readme = new Option<string>("--readme") { Description = "README with the course map for the index (default: README.md, if it exists)", HelpName = "FILE" };
var command = new ToolCommand("SiteBuilder", "Builds the static course site from the executed notebooks.") { notebooks, output, source, readme };
return command.Run(args, parsed => Build(new SiteOptions(parsed.GetValue(notebooks)!, parsed.GetValue(output)!,
    parsed.GetValue(source) ?? (Directory.Exists("notebooks") ? "notebooks" : null),
    parsed.GetValue(readme) ?? (File.Exists("README.md") ? "README.md" : null))));

static int Build(SiteOptions options)
{
    try
    {
        var site = SiteBuild.Build(options);
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
}
