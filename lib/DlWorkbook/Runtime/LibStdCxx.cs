using System.Text;

namespace DlWorkbook.Runtime;

/// <summary>Finds the C++ runtime (libstdc++) a process uses and checks its symbol versions.</summary>
/// <remarks>tools/Workbook compiles this file too, so it uses nothing but the base library.</remarks>
public static class LibStdCxx
{
    /// <summary>The libstdc++ symbol version that TorchSharp 0.107's native library needs (GCC 13's C++ runtime).</summary>
    public const string RequiredVersion = "GLIBCXX_3.4.32";

    static readonly string[] StandardPaths =
    [
        "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
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
        $"TorchSharp's native library needs {RequiredVersion} (the C++ runtime of GCC 13 or newer), "
        + $"but {libraryPath} provides only up to {NewestVersion(libraryPath)}. "
        + $"Fix: run the setup command from README.md ({NativeLayout.SetupCommand}); on Debian 12 it installs libstdc++6 "
        + "from Debian 13, elsewhere install GCC 13's libstdc++ from your distribution. Then restart the kernel. "
        + "See README.md, section \"Troubleshooting\".";
}
