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
        foreach (var old in PreviousBuilds(packages)) DeleteUnlessHeld(old);
        var package = Path.Combine(packages, $"DlWorkbook.{version}.nupkg");
        if (workspace.Dotnet(["pack", "lib/DlWorkbook", "-c", "Release", "--no-build", "-o", "packages", .. quiet]) != 0 || !File.Exists(package))
        {
            Console.Error.WriteLine($"pack: {package} was not written (errors above).");
            return 1;
        }
        PruneCache(Path.Combine(NuGetPackagesFolder(), "dlworkbook"), KeptInCache, RemoveFolder, Console.Out);
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
    /// The placeholder package committed in packages/ (tools/SetupFirstPackage): what a notebook loads before the first
    /// pack. Its version sorts below every build, so it is never the one loaded once a build is there, and pack keeps it.
    /// </summary>
    public const string SetupFirstPackage = "DlWorkbook.0.0.0-setup-first.nupkg";

    /// <summary>The builds in packages/ that a new pack replaces: every DlWorkbook package but the placeholder.</summary>
    public static IEnumerable<string> PreviousBuilds(string packages) =>
        Directory.GetFiles(packages, "DlWorkbook.*.nupkg").Where(f => Path.GetFileName(f) != SetupFirstPackage);

    /// <summary>
    /// Deletes all but the newest <paramref name="keep"/> version folders of a package in the NuGet cache
    /// (local versions differ only in their timestamp, so ordinal order is age order). A folder that cannot be removed
    /// (on Windows: a running notebook kernel holds its DLLs) is left whole and named on <paramref name="log"/>; a later
    /// pack removes it.
    /// </summary>
    /// <param name="packageFolder">The package's folder in the NuGet cache, for example <c>~/.nuget/packages/dlworkbook</c>.</param>
    /// <param name="keep">How many of the newest versions stay.</param>
    /// <param name="remove">Removes one version folder; <see cref="RemoveFolder"/> outside tests.</param>
    /// <param name="log">Where a folder left in place is named; null for silence.</param>
    /// <returns>The folders removed.</returns>
    public static IReadOnlyList<string> PruneCache(string packageFolder, int keep, Action<string>? remove = null, TextWriter? log = null)
    {
        if (!Directory.Exists(packageFolder)) return [];
        remove ??= RemoveFolder;
        var folders = Directory.GetDirectories(packageFolder);
        // Left over from a removal that failed half-way: no longer a package version, removed again now.
        foreach (var leftover in folders.Where(f => f.EndsWith(PruningSuffix, StringComparison.Ordinal))) TryDelete(leftover);
        var old = folders.Where(f => !f.EndsWith(PruningSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).SkipLast(keep).ToList();
        var removed = new List<string>();
        foreach (var folder in old)
        {
            try
            {
                remove(folder);
                removed.Add(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log?.WriteLine($"pack: left DlWorkbook {Path.GetFileName(folder)} in the NuGet cache ({folder}): its files are in use, "
                               + "most likely by a notebook kernel that loaded it. A later pack removes it once that kernel is closed.");
            }
        }
        return removed;
    }

    const string PruningSuffix = ".pruning";

    /// <summary>
    /// Removes a version folder whole or not at all: it is renamed first (Windows refuses while a process holds a file in
    /// it), so a held folder is never left half-deleted for NuGet to take as installed.
    /// </summary>
    public static void RemoveFolder(string folder)
    {
        var renamed = folder + PruningSuffix;
        Directory.Move(folder, renamed);
        TryDelete(renamed);
    }

    static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Renamed already, so NuGet no longer sees it; the next pack tries again.
        }
    }

    static void DeleteUnlessHeld(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"pack: left {file} (in use); the new build has a higher version, so notebooks load the new one.");
        }
    }
}
