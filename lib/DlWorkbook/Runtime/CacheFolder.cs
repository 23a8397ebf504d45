using System.Runtime.InteropServices;

namespace DlWorkbook.Runtime;

/// <summary>
/// The workbook's cache folder outside a workbook clone, where each system keeps caches: <c>%LOCALAPPDATA%\dlworkbook</c>
/// on Windows, <c>~/Library/Caches/dlworkbook</c> on macOS, <c>$XDG_CACHE_HOME/dlworkbook</c> (else
/// <c>~/.cache/dlworkbook</c>) on Linux.
/// </summary>
public static class CacheFolder
{
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
}
