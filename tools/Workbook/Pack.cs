using System.Globalization;

namespace WorkbookTool;

/// <summary>
/// Builds the course library with its kernel extension and packs it into packages/ under a fresh
/// version, so a notebook's <c>#r "nuget: DlWorkbook, *-*"</c> always gets this build (NuGet caches a
/// package by id and version and would otherwise serve an older build of the same version).
/// </summary>
public static class Pack
{
    /// <summary>How many local builds the NuGet cache keeps.</summary>
    public const int KeptInCache = 3;

    public static Step Step { get; } = new("pack", (workspace, _) => Run(workspace, DateTime.UtcNow));

    /// <summary>The version of a build packed at <paramref name="utc"/>: <c>0.1.0-local.yyyyMMddHHmmss</c>.</summary>
    public static string VersionAt(DateTime utc) =>
        "0.1.0-local." + utc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    static int Run(Workspace workspace, DateTime utc)
    {
        var version = VersionAt(utc);
        var packages = workspace.PathOf("packages");
        // nuget.config lists packages/ as a source; restore fails if the folder is missing.
        Directory.CreateDirectory(packages);
        Console.WriteLine($"pack: DlWorkbook {version}");
        string[] quiet = [$"-p:Version={version}", "-nologo", "-v", "quiet", "-clp:ErrorsOnly"];
        if (workspace.Dotnet(["build", "lib/DlWorkbook.Interactive", "-c", "Release", .. quiet]) != 0)
        {
            Console.Error.WriteLine("pack: the build failed (errors above); nothing was packed.");
            return 1;
        }
        foreach (var old in Directory.GetFiles(packages, "DlWorkbook.*.nupkg")) File.Delete(old);
        var package = Path.Combine(packages, $"DlWorkbook.{version}.nupkg");
        if (workspace.Dotnet(["pack", "lib/DlWorkbook", "-c", "Release", "--no-build", "-o", "packages", .. quiet]) != 0 || !File.Exists(package))
        {
            Console.Error.WriteLine($"pack: {package} was not written (errors above).");
            return 1;
        }
        PruneCache(Path.Combine(NuGetPackagesFolder(), "dlworkbook"), KeptInCache);
        File.WriteAllText(Path.Combine(packages, "VERSION"), version + "\n");
        Console.WriteLine($"pack: wrote packages/DlWorkbook.{version}.nupkg");
        return 0;
    }

    /// <summary>The NuGet global packages folder: NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    public static string NuGetPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// Deletes all but the newest <paramref name="keep"/> version folders of a package in the NuGet cache
    /// (local versions differ only in their timestamp, so ordinal order is age order).
    /// </summary>
    public static IReadOnlyList<string> PruneCache(string packageFolder, int keep)
    {
        if (!Directory.Exists(packageFolder)) return [];
        var old = Directory.GetDirectories(packageFolder).Order(StringComparer.Ordinal).SkipLast(keep).ToList();
        foreach (var folder in old) Directory.Delete(folder, recursive: true);
        return old;
    }
}
