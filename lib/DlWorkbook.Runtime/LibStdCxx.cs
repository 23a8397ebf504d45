using System.Text;

namespace DlWorkbook.Runtime;

/// <summary>Finds the C++ runtime (libstdc++) a process uses and checks its symbol versions.</summary>
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
        if (MappedFiles.Current().FirstOrDefault(f => f.Path.Contains("libstdc++.so", StringComparison.Ordinal)) is { } mapped)
            return mapped.Path;   // a file replaced since it was mapped (an upgrade): the path now holds the new one
        var fromEnv = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "libstdc++.so.6"));
        return fromEnv.Concat(StandardPaths).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// True when the libstdc++ this process has mapped was replaced on disk since (an upgrade while it ran): the process
    /// keeps the old one, so natives that need the new one load only in a new process.
    /// </summary>
    public static bool ReplacedSinceLoaded() =>
        MappedFiles.Current().Any(f => f.Replaced && f.Path.Contains("libstdc++.so", StringComparison.Ordinal));

    /// <summary>True when the library file names the given symbol version (for example GLIBCXX_3.4.32).</summary>
    public static bool HasSymbolVersion(string libraryPath, string version) =>
        SymbolVersions(libraryPath).Contains(version);

    /// <summary>Every GLIBCXX_x.y.z version string in the library file.</summary>
    internal static IReadOnlySet<string> SymbolVersions(string libraryPath)
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
    internal static string NewestVersion(string libraryPath) =>
        SymbolVersions(libraryPath)
            .Select(v => (v, parsed: Version.TryParse(v["GLIBCXX_".Length..], out var p) ? p : new Version()))
            .OrderByDescending(x => x.parsed).Select(x => x.v).FirstOrDefault() ?? "none";

    /// <summary>The learner-facing message for a libstdc++ that is too old, with the fix for this distribution.</summary>
    public static string TooOldMessage(string libraryPath) => TooOldMessage(libraryPath, LinuxRelease.Current());

    /// <summary>The learner-facing message for a libstdc++ that is too old on <paramref name="release"/>.</summary>
    public static string TooOldMessage(string libraryPath, LinuxRelease release) =>
        $"TorchSharp's native library needs {RequiredVersion} (the C++ runtime of GCC 13 or newer), "
        + $"but {libraryPath} provides only up to {NewestVersion(libraryPath)}. "
        + FixFor(release) + " Then restart the kernel. See README.md, section \"Troubleshooting\".";

    /// <summary>How to get GCC 13's libstdc++ on <paramref name="release"/>, as one "Fix: …" sentence.</summary>
    internal static string FixFor(LinuxRelease release)
    {
        if (release.Id == "debian")
            return $"Fix: run the setup command from README.md ({NativeLayout.SetupCommand}); on Debian 12 it installs libstdc++6 "
                 + "from Debian 13 (it needs root or sudo).";
        if (release.Id == "ubuntu" && Version.TryParse(release.VersionId, out var ubuntu) && ubuntu < new Version(24, 4))
            return $"Fix: Ubuntu {release.VersionId}{(release.Wsl ? " (here in WSL)" : "")} ships GCC 12's; install GCC 13's from "
                 + "Ubuntu's toolchain archive: `sudo add-apt-repository -y ppa:ubuntu-toolchain-r/test && sudo apt-get install -y libstdc++6`"
                 + (release.Wsl ? ", or use Ubuntu 24.04 (`wsl --install -d Ubuntu-24.04` in PowerShell)." : ", or move to Ubuntu 24.04.");
        return "Fix: install GCC 13's libstdc++ (or newer) from your distribution (Ubuntu 24.04, Debian 13 and Fedora 39 have it).";
    }
}

/// <summary>The Linux distribution from /etc/os-release (<c>ID</c>, <c>VERSION_ID</c>) and whether it runs in WSL.</summary>
/// <param name="Id">os-release's ID, for example <c>ubuntu</c> or <c>debian</c>; empty when unknown.</param>
/// <param name="VersionId">os-release's VERSION_ID, for example <c>22.04</c>; empty when unknown.</param>
/// <param name="Wsl">Whether the kernel is WSL's (its version names Microsoft).</param>
public sealed record LinuxRelease(string Id, string VersionId, bool Wsl)
{
    /// <summary>This machine's release; empty fields where the files cannot be read.</summary>
    public static LinuxRelease Current() =>
        Parse(ReadOrEmpty("/etc/os-release"), ReadOrEmpty("/proc/version"));

    /// <summary>Reads the release from the text of /etc/os-release and /proc/version.</summary>
    public static LinuxRelease Parse(string osRelease, string kernelVersion)
    {
        string Field(string name) => osRelease.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith(name + "=", StringComparison.Ordinal))
            .Select(l => l[(name.Length + 1)..].Trim('"', '\''))
            .FirstOrDefault() ?? "";
        return new(Field("ID").ToLowerInvariant(), Field("VERSION_ID"),
            kernelVersion.Contains("microsoft", StringComparison.OrdinalIgnoreCase));
    }

    static string ReadOrEmpty(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
