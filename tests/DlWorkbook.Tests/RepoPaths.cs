namespace DlWorkbook.Tests;

/// <summary>Folders of the repository the tests run from.</summary>
static class RepoPaths
{
    /// <summary>The repository root: the first folder above the test binaries that holds DlWorkbook.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Notebooks => Path.Combine(Root, "notebooks");
    public static string Packages => Path.Combine(Root, "packages");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DlWorkbook.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No DlWorkbook.sln above {AppContext.BaseDirectory}.");
    }
}
