using System.Runtime.InteropServices;

namespace DlWorkbook.Runtime;

/// <summary>Loads one native library by full path or by name: null when it loaded, else the system's reason.</summary>
/// <param name="pathOrName">A full path, or a bare file name the system looks up (for example <c>MSVCP140.dll</c>).</param>
public delegate string? NativeLoad(string pathOrName);

/// <summary>
/// Loads TorchSharp's natives in dependency order, so that a failure names the library that failed rather than the
/// last one in the chain, and turns the system's reason into the fix for that system.
/// </summary>
public static class NativeLoader
{
    /// <summary>The system's loader: <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/>, and on failure the reason from
    /// <see cref="NativeLibrary.Load(string)"/> (TryLoad gives none).</summary>
    public static string? System(string pathOrName)
    {
        if (NativeLibrary.TryLoad(pathOrName, out _)) return null;
        try
        {
            NativeLibrary.Load(pathOrName);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Loads <paramref name="layout"/>'s system libraries by name, then <paramref name="files"/> in order, stopping at the
    /// first that fails.
    /// </summary>
    /// <param name="layout">The platform's layout (its system libraries and rid).</param>
    /// <param name="files">Full paths in dependency order, as <see cref="NativeLayout.Resolve"/> returns them.</param>
    /// <param name="load">The loader; <see cref="System"/> outside tests.</param>
    /// <exception cref="TorchNativeException">A library did not load; the message names it and the fix for this system.</exception>
    public static void LoadAll(NativeLayout layout, IEnumerable<string> files, NativeLoad load)
    {
        foreach (var name in layout.SystemLibraries)
            if (load(name) is { } reason)
                throw new TorchNativeException(FailureMessage(layout, name, reason));
        foreach (var path in files)
            if (load(path) is { } reason)
                throw new TorchNativeException(FailureMessage(layout, path, reason));
    }

    /// <summary>The Visual C++ runtime download, for machines without winget.</summary>
    internal const string VcRedistUrl = "https://aka.ms/vs/17/release/vc_redist.x64.exe";

    /// <summary>The winget line that installs the Visual C++ 2015–2022 runtime (x64).</summary>
    internal const string VcRedistWinget = "winget install Microsoft.VCRedist.2015+.x64";

    /// <summary>
    /// One message for a library that did not load: which one, why, and the fix on this system. <paramref name="library"/>
    /// is a full path for a package file, a bare name for a system library.
    /// </summary>
    internal static string FailureMessage(NativeLayout layout, string library, string reason)
    {
        var name = Path.GetFileName(library);
        var packageFolder = PackageFolderOf(library);
        var redownload = packageFolder is null
            ? $"run the setup command from README.md ({NativeLayout.SetupCommand})"
            : $"delete {packageFolder} and run the setup command from README.md ({NativeLayout.SetupCommand}), so that NuGet downloads it again";
        var restart = "then restart the notebook's kernel (or run the command again).";
        reason = reason.Trim();
        if (layout.Os == OSPlatform.Windows)
        {
            if (reason.Contains("0x800711C7", StringComparison.OrdinalIgnoreCase) || reason.Contains("Application Control", StringComparison.OrdinalIgnoreCase))
                return $"Windows blocked {name} ({reason}): Smart App Control, or another application-control policy, does not let "
                     + "unsigned libraries load, and libtorch's c10.dll and uv.dll are unsigned. Fix: turn Smart App Control off "
                     + "(Windows Security > App & browser control > Smart App Control settings > Off; Windows cannot turn it back on "
                     + "without a reset), or on a managed PC ask for the NuGet packages folder to be allowed, or use GitHub Codespaces "
                     + "(README.md, \"Supported systems\"); " + restart;
            if (layout.SystemLibraries.Contains(name, StringComparer.OrdinalIgnoreCase))
                return $"Windows could not load {name}, part of the Microsoft Visual C++ 2015-2022 Redistributable (x64), which "
                     + "libtorch needs and no NuGet package ships. Fix: install it, in PowerShell: "
                     + $"`{VcRedistWinget}` (or run the installer from {VcRedistUrl}); " + restart;
            if (reason.Contains("0x8007007E", StringComparison.OrdinalIgnoreCase))
                return $"Windows could not load {name}: a library it needs was not found ({reason}). The Visual C++ runtime is "
                     + $"installed, so a file beside it is missing. Fix: {redownload}; " + restart;
            return $"Windows could not load {library}: {reason} Fix: {redownload}; " + restart;
        }
        if (layout.Os == OSPlatform.OSX)
        {
            if (reason.Contains("libomp", StringComparison.Ordinal) && !name.StartsWith("libomp", StringComparison.Ordinal))
                return $"macOS could not load {name}: it asks for OpenMP (libomp) and none was found ({reason}). "
                     + "Fix: install Homebrew's libomp (`brew install libomp`); " + restart;
            if (reason.Contains("incompatible architecture", StringComparison.Ordinal) || reason.Contains("incompatible cpu-subtype", StringComparison.Ordinal))
                return $"macOS could not load {name}: it is built for Apple silicon and this .NET is not ({reason}). "
                     + "Fix: install the Arm64 .NET 10 SDK from https://dot.net/download and remove the x64 one from PATH; " + restart;
            if (reason.Contains("not valid for use in process", StringComparison.Ordinal) || reason.Contains("code signature", StringComparison.Ordinal)
                || reason.Contains("system policy", StringComparison.Ordinal) || reason.Contains("quarantine", StringComparison.Ordinal))
                return $"macOS refused to load {name}: Gatekeeper does not trust it ({reason}). Fix: clear the download quarantine "
                     + $"in a terminal: `xattr -dr com.apple.quarantine \"{packageFolder ?? Path.GetDirectoryName(library)}\"`; " + restart;
            return $"macOS could not load {library}: {reason} Fix: {redownload}; " + restart;
        }
        if (layout.Os == OSPlatform.Linux)
        {
            if (reason.Contains("GLIBCXX_", StringComparison.Ordinal))
                return $"Linux could not load {name}: {reason} " + LibStdCxx.FixFor(LinuxRelease.Current()) + " Then restart the notebook's kernel.";
            if (MissingLinuxDependency(reason) is { } dependency && !string.Equals(dependency, name, StringComparison.Ordinal))
                return $"Linux could not load {name}: it needs {dependency}, which this system lacks ({reason}). Fix: install the "
                     + $"package that provides {dependency} from your distribution (Debian and Ubuntu: `apt-file search {dependency}` "
                     + "names it); " + restart;
            return $"Linux could not load {library}: {reason} Fix: {redownload}; " + restart;
        }
        return $"Could not load {library}: {reason} Fix: {redownload}; " + restart;
    }

    /// <summary>"libfoo.so.1: cannot open shared object file" in a dlopen reason: the library the loader did not find.</summary>
    static string? MissingLinuxDependency(string reason)
    {
        var at = reason.IndexOf(": cannot open shared object file", StringComparison.Ordinal);
        if (at <= 0) return null;
        var start = reason.LastIndexOfAny([' ', ':', '/', '\''], at - 1) + 1;
        return reason[start..at];
    }

    /// <summary>The package version folder above a native file (<c>&lt;root&gt;/&lt;id&gt;/&lt;version&gt;/runtimes/…</c>), or null for a bare name.</summary>
    static string? PackageFolderOf(string library)
    {
        if (!Path.IsPathRooted(library)) return null;
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(library)!); dir is not null; dir = dir.Parent)
            if (dir.Name == "runtimes") return dir.Parent?.Parent?.FullName;
        return Path.GetDirectoryName(library);
    }
}
