using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;

namespace DlWorkbook;

/// <summary>
/// Loads TorchSharp's native libraries before the first <c>torch.*</c> call, and turns the failures
/// a learner can meet into one clear message.
/// </summary>
/// <remarks>
/// Inside a notebook host TorchSharp's own loader can miss the natives of a transitively referenced
/// package, and on Debian 12 the native library needs a newer libstdc++ than the system has; in
/// both cases TorchSharp reports a misleading "doesn't contain a reference to libtorch-cpu" error.
/// </remarks>
public static class TorchNative
{
    /// <summary>The libstdc++ symbol version that TorchSharp 0.107's native library needs.</summary>
    public const string RequiredGlibcxx = "GLIBCXX_3.4.32";

    static readonly object Gate = new();
    static bool loaded;

    /// <summary>
    /// Makes sure TorchSharp can run: checks libstdc++, loads the natives from the NuGet packages
    /// folder when TorchSharp.dll was loaded from there (a notebook), then initialises the CPU backend.
    /// Safe to call any number of times.
    /// </summary>
    /// <exception cref="TorchNativeException">The natives cannot load; the message says why and what to do.</exception>
    public static void EnsureLoaded()
    {
        if (loaded) return;
        lock (Gate)
        {
            if (loaded) return;
            Runtime.ThreadSettings.Apply(); // libgomp reads its settings once, when it loads
            if (OperatingSystem.IsLinux())
            {
                var libstdcxx = LibStdCxx.FindInUse();
                if (libstdcxx is not null && !LibStdCxx.HasSymbolVersion(libstdcxx, RequiredGlibcxx))
                    throw new TorchNativeException(LibStdCxx.TooOldMessage(libstdcxx));
                PreloadFromPackageFolder();
            }
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e)
            {
                throw new TorchNativeException(
                    "TorchSharp's native library (libLibTorchSharp / libtorch_cpu) could not be loaded: "
                    + Innermost(e).Message
                    + " Run the setup command from README.md so the TorchSharp-cpu package is restored, "
                    + "then restart the kernel.", e);
            }
            loaded = true;
        }
    }

    /// <summary>
    /// The native folders of the restored TorchSharp and libtorch-cpu packages, when TorchSharp.dll
    /// was loaded from a NuGet packages folder (…/torchsharp/0.107.0/lib/net6.0/TorchSharp.dll).
    /// Empty when TorchSharp runs from an application's output folder, where the natives sit beside it.
    /// </summary>
    public static IReadOnlyList<string> PackageNativeFolders()
    {
        var torchSharpDll = typeof(torch).Assembly.Location;
        var packagesRoot = PackagesRootOf(torchSharpDll);
        if (packagesRoot is null) return [];
        var rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64") ? "linux-arm64" : "linux-x64";
        var folders = new List<string>();
        var libtorch = NewestVersionFolder(Path.Combine(packagesRoot, "libtorch-cpu-" + rid));
        if (libtorch is not null) folders.Add(Path.Combine(libtorch, "runtimes", rid, "native"));
        var torchsharpVersion = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(torchSharpDll)!, "..", ".."));
        folders.Add(Path.Combine(torchsharpVersion, "runtimes", rid, "native"));
        return folders.Where(Directory.Exists).ToList();
    }

    /// <summary>The NuGet packages root above a package assembly path, or null if the path is not in one.</summary>
    internal static string? PackagesRootOf(string assemblyPath)
    {
        // <root>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll
        var dir = new DirectoryInfo(Path.GetDirectoryName(assemblyPath) ?? "");
        var lib = dir.Parent;
        var version = lib?.Parent;
        var id = version?.Parent;
        if (lib?.Name != "lib" || id is null || !id.Name.Equals("torchsharp", StringComparison.OrdinalIgnoreCase))
            return null;
        return id.Parent?.FullName;
    }

    static string? NewestVersionFolder(string packageFolder) =>
        Directory.Exists(packageFolder)
            ? Directory.GetDirectories(packageFolder)
                .OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version())
                .FirstOrDefault()
            : null;

    static void PreloadFromPackageFolder()
    {
        var folders = PackageNativeFolders();
        // libLibTorchSharp links against libtorch (which pulls in libtorch_cpu and libc10 from its own
        // folder); loading them first by full path lets the dynamic linker find them by name.
        foreach (var name in new[] { "libtorch_cpu.so", "libtorch.so", "libLibTorchSharp.so" })
        {
            var path = folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists);
            if (path is null) continue;
            try
            {
                NativeLibrary.Load(path);
            }
            catch (DllNotFoundException e)
            {
                throw new TorchNativeException($"Could not load {path}: {e.Message}", e);
            }
        }
    }

    static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}

/// <summary>TorchSharp's native libraries could not be loaded; the message names the cause and the fix.</summary>
public sealed class TorchNativeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Finds the C++ runtime (libstdc++) a process uses and checks its symbol versions.</summary>
public static class LibStdCxx
{
    static readonly string[] StandardPaths =
    [
        "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    ];

    /// <summary>
    /// The libstdc++ this process has mapped, else the first one on LD_LIBRARY_PATH or in the
    /// standard library folders; null when none is found (not Linux, or a static runtime).
    /// </summary>
    public static string? FindInUse()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var at = line.IndexOf('/');
                if (at >= 0 && line.Contains("libstdc++.so", StringComparison.Ordinal)) return line[at..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        var fromEnv = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "libstdc++.so.6"));
        return fromEnv.Concat(StandardPaths).FirstOrDefault(File.Exists);
    }

    /// <summary>True when the library file names the given symbol version (for example GLIBCXX_3.4.32).</summary>
    public static bool HasSymbolVersion(string libraryPath, string version) =>
        SymbolVersions(libraryPath).Contains(version);

    /// <summary>Every GLIBCXX_x.y.z version string in the library file.</summary>
    public static IReadOnlySet<string> SymbolVersions(string libraryPath)
    {
        var bytes = File.ReadAllBytes(libraryPath);
        var found = new HashSet<string>(StringComparer.Ordinal);
        var marker = "GLIBCXX_"u8;
        var span = bytes.AsSpan();
        for (var at = span.IndexOf(marker); at >= 0;)
        {
            var end = at + marker.Length;
            while (end < span.Length && (char.IsAsciiDigit((char)span[end]) || span[end] == '.')) end++;
            if (end > at + marker.Length) found.Add(Encoding.ASCII.GetString(span[at..end]).TrimEnd('.'));
            var next = span[end..].IndexOf(marker);
            at = next < 0 ? -1 : end + next;
        }
        return found;
    }

    /// <summary>The newest GLIBCXX version the library provides, for messages.</summary>
    public static string NewestVersion(string libraryPath) =>
        SymbolVersions(libraryPath)
            .Select(v => (v, parsed: Version.TryParse(v["GLIBCXX_".Length..], out var p) ? p : new Version()))
            .OrderByDescending(x => x.parsed).Select(x => x.v).FirstOrDefault() ?? "none";

    /// <summary>The learner-facing message for a libstdc++ that is too old.</summary>
    public static string TooOldMessage(string libraryPath) =>
        $"TorchSharp's native library needs {TorchNative.RequiredGlibcxx} (the C++ runtime of GCC 13 or newer), "
        + $"but {libraryPath} provides only up to {NewestVersion(libraryPath)}. "
        + "Fix: run `bash scripts/ensure-libstdcxx.sh` from the workbook folder (on Debian 12 it installs libstdc++6 "
        + "from Debian 13), then restart the kernel. See README.md, section \"Troubleshooting\".";
}
