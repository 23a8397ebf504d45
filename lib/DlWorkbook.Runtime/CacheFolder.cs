using System.Runtime.InteropServices;

namespace DlWorkbook.Runtime;

/// <summary>
/// The workbook's cache folders: the data cache (data sets, the site's npm tarballs, the progress file) and the
/// system's cache folder outside a workbook clone, where each system keeps caches: <c>%LOCALAPPDATA%\dlworkbook</c>
/// on Windows, <c>~/Library/Caches/dlworkbook</c> on macOS, <c>$XDG_CACHE_HOME/dlworkbook</c> (else
/// <c>~/.cache/dlworkbook</c>) on Linux.
/// </summary>
public static class CacheFolder
{
    /// <summary>Environment variable naming a local folder to copy cached files from instead of downloading them.</summary>
    internal const string MirrorVariable = "DLWORKBOOK_DATA_MIRROR";

    /// <summary>Environment variable overriding the data cache folder.</summary>
    internal const string DataVariable = "DLWORKBOOK_DATA_DIR";

    /// <summary>This system's cache folder for the workbook.</summary>
    public static string Default() =>
        For(OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux,
            Environment.GetFolderPath, Environment.GetEnvironmentVariable);

    /// <summary>The cache folder on <paramref name="os"/>, from its special folders and environment.</summary>
    public static string For(OSPlatform os, Func<Environment.SpecialFolder, string> folders, Func<string, string?> environment)
    {
        if (os == OSPlatform.Windows) return Path.Join(folders(Environment.SpecialFolder.LocalApplicationData), "dlworkbook");
        var home = folders(Environment.SpecialFolder.UserProfile);
        if (os == OSPlatform.OSX) return Path.Join(home, "Library", "Caches", "dlworkbook");
        return environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? Path.Join(xdg, "dlworkbook")
            : Path.Join(home, ".cache", "dlworkbook");
    }

    /// <summary>
    /// The data cache folder used when none is given: <c>DLWORKBOOK_DATA_DIR</c> if set; else the <c>data/</c> folder
    /// of the workbook, found by walking up from the current directory to the first folder that holds both
    /// <c>notebooks/</c> and <c>data/</c> (a notebook runs in <c>notebooks/</c>); else <see cref="Default"/>.
    /// </summary>
    internal static string Data() => Data(Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable(DataVariable));

    /// <summary>The data cache folder seen from <paramref name="startDirectory"/>, or <paramref name="overridden"/> when set.</summary>
    internal static string Data(string startDirectory, string? overridden)
    {
        if (!string.IsNullOrWhiteSpace(overridden)) return Path.GetFullPath(overridden);
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "notebooks")) && Directory.Exists(Path.Combine(dir.FullName, "data")))
                return Path.Combine(dir.FullName, "data");
        }
        return Default();
    }

    /// <summary>The mirror folder from <c>DLWORKBOOK_DATA_MIRROR</c> (absolute), laid out like the data cache; null when unset.</summary>
    internal static string? Mirror() =>
        Environment.GetEnvironmentVariable(MirrorVariable) is { } mirror && !string.IsNullOrWhiteSpace(mirror) ? Path.GetFullPath(mirror) : null;
}
