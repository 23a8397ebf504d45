using System.Runtime.InteropServices;

namespace DlWorkbook.Runtime;

/// <summary>
/// Where the TorchSharp-cpu packages keep their native libraries on one platform, and the order in
/// which to load them: libtorch's files from the <c>libtorch-cpu-&lt;rid&gt;</c> package, then
/// TorchSharp's own binding from the <c>torchsharp</c> package.
/// </summary>
public sealed record NativeLayout(
    OSPlatform Os, Architecture Architecture, string Rid, IReadOnlyList<string> LibTorchFiles, string TorchSharpFile,
    IReadOnlyList<string> SystemLibraries)
{
    /// <summary>
    /// The platforms TorchSharp-cpu 0.107 ships natives for (libtorch-cpu depends on exactly these three
    /// packages). Each file list loads dependencies first: a library loaded by full path is found by
    /// name when the next one asks for it.
    /// </summary>
    public static IReadOnlyList<NativeLayout> Supported { get; } =
    [
        // libtorch_cpu.so finds libc10 and libgomp beside itself (RUNPATH $ORIGIN); libstdc++ is checked by symbol version.
        new(OSPlatform.Linux, Architecture.X64, "linux-x64", ["libc10.so", "libtorch_cpu.so", "libtorch.so"], "libLibTorchSharp.so", []),
        // Windows loads a DLL's dependencies from its own folder when it is loaded by full path. The Visual C++
        // runtime that c10.dll and torch_cpu.dll import is not in any package: it is loaded by name first, so its
        // absence is named instead of surfacing as "c10.dll or one of its dependencies" (0x8007007E).
        new(OSPlatform.Windows, Architecture.X64, "win-x64", ["libiomp5md.dll", "c10.dll", "torch_cpu.dll", "torch.dll"], "LibTorchSharp.dll",
            ["VCRUNTIME140.dll", "VCRUNTIME140_1.dll", "MSVCP140.dll"]),
        // libtorch_cpu.dylib names libomp by Homebrew's absolute path and libc10 by @rpath, neither of
        // which leads to the package folder: the package's own copies are loaded first.
        new(OSPlatform.OSX, Architecture.Arm64, "osx-arm64",
            ["libomp.dylib", "libc10.dylib", "libtorch_cpu.dylib", "libtorch.dylib"], "libLibTorchSharp.dylib", []),
    ];

    /// <summary>The NuGet package that holds the libtorch files, for example <c>libtorch-cpu-win-x64</c>.</summary>
    public string LibTorchPackage => "libtorch-cpu-" + Rid;

    /// <summary>The layout for an operating system and process architecture, or null where TorchSharp-cpu has no natives.</summary>
    public static NativeLayout? For(OSPlatform os, Architecture architecture) =>
        Supported.FirstOrDefault(l => l.Os == os && l.Architecture == architecture);

    /// <summary>The operating system this process runs on.</summary>
    public static OSPlatform CurrentOs =>
        OperatingSystem.IsWindows() ? OSPlatform.Windows
        : OperatingSystem.IsMacOS() ? OSPlatform.OSX
        : OperatingSystem.IsLinux() ? OSPlatform.Linux
        : OperatingSystem.IsFreeBSD() ? OSPlatform.FreeBSD
        : OSPlatform.Create(RuntimeInformation.OSDescription);

    /// <summary>This process's layout.</summary>
    /// <exception cref="TorchNativeException">TorchSharp-cpu has no natives for this platform; the message names it and what to use instead.</exception>
    public static NativeLayout Current() =>
        For(CurrentOs, RuntimeInformation.ProcessArchitecture)
        ?? throw new TorchNativeException(UnsupportedMessage(CurrentOs, RuntimeInformation.ProcessArchitecture, RuntimeInformation.OSArchitecture));

    /// <summary>
    /// The message for a platform without natives. <paramref name="machineArchitecture"/> tells an x64
    /// .NET on an Apple-silicon Mac (Rosetta), where the fix is the Arm64 SDK, from an Intel Mac.
    /// </summary>
    public static string UnsupportedMessage(OSPlatform os, Architecture processArchitecture, Architecture machineArchitecture)
    {
        var mac = os == OSPlatform.OSX;
        if (mac && processArchitecture == Architecture.X64 && machineArchitecture == Architecture.Arm64)
            return "This .NET runs as x64 under Rosetta on an Apple-silicon Mac, and TorchSharp-cpu has no x64 macOS natives. "
                 + "Fix: install the Arm64 .NET 10 SDK from https://dot.net/download (and remove the x64 one from PATH), then run the command again.";
        var name = mac ? "macOS" : os == OSPlatform.Linux ? "Linux" : os == OSPlatform.Windows ? "Windows" : os.ToString();
        var what = $"{name} on {processArchitecture.ToString().ToLowerInvariant()}" + (mac && processArchitecture == Architecture.X64 ? " (an Intel Mac)" : "");
        return $"The workbook cannot run on {what}: the TorchSharp-cpu packages ship native libraries for "
             + "Linux x64, Windows x64 and macOS on Apple silicon (arm64) only. "
             + "Fix: use one of those systems, or open the workbook in its devcontainer (GitHub Codespaces runs it in the browser); "
             + "see README.md, section \"Supported systems\".";
    }

    /// <summary>
    /// The full paths of every native file, in load order, inside a NuGet packages folder:
    /// <c>&lt;root&gt;/libtorch-cpu-&lt;rid&gt;/&lt;version&gt;/runtimes/&lt;rid&gt;/native/…</c> and
    /// <c>&lt;torchSharpHome&gt;/runtimes/&lt;rid&gt;/native/…</c>.
    /// </summary>
    /// <param name="packagesRoot">The NuGet packages folder (for example <c>~/.nuget/packages</c>).</param>
    /// <param name="torchSharpHome">The TorchSharp package's version folder (for example <c>&lt;root&gt;/torchsharp/0.107.0</c>).</param>
    /// <param name="libTorchVersion">The libtorch-cpu-&lt;rid&gt; version that was restored; null to read it from the
    /// TorchSharp-cpu and libtorch-cpu packages' dependencies (<see cref="RestoredLibTorchVersion"/>).</param>
    /// <exception cref="TorchNativeException">A file is missing; the message names the path looked for and the fix.</exception>
    public IReadOnlyList<string> Resolve(string packagesRoot, string torchSharpHome, string? libTorchVersion = null)
    {
        var libTorchPackage = Path.Combine(packagesRoot, LibTorchPackage);
        libTorchVersion ??= RestoredLibTorchVersion(packagesRoot, Path.GetFileName(Path.TrimEndingDirectorySeparator(torchSharpHome)));
        var libTorchHome = Path.Combine(libTorchPackage, libTorchVersion ?? "<version>");
        var paths = LibTorchFiles.Select(f => Path.Combine(NativeFolder(libTorchHome), f))
            .Append(Path.Combine(NativeFolder(torchSharpHome), TorchSharpFile))
            .ToList();
        var missing = paths.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
            throw new TorchNativeException(MissingMessage(missing, missing.StartsWith(libTorchPackage, StringComparison.Ordinal) ? libTorchPackage : torchSharpHome));
        return paths;
    }

    /// <summary>
    /// The version of this platform's libtorch package that a restore of TorchSharp-cpu picks: TorchSharp-cpu names
    /// the libtorch-cpu version, whose package names the version of each platform's package (NuGet takes the lowest
    /// version a dependency allows). Null when a package on the way is not in <paramref name="packagesRoot"/>.
    /// </summary>
    /// <param name="packagesRoot">The NuGet packages folder.</param>
    /// <param name="torchSharpVersion">The TorchSharp (and TorchSharp-cpu) version, for example <c>0.107.0</c>.</param>
    internal string? RestoredLibTorchVersion(string packagesRoot, string torchSharpVersion) =>
        DependencyVersion(Path.Combine(packagesRoot, "torchsharp-cpu", torchSharpVersion, "torchsharp-cpu.nuspec"), "libtorch-cpu")
            is { } libTorchCpu
            ? DependencyVersion(Path.Combine(packagesRoot, "libtorch-cpu", libTorchCpu, "libtorch-cpu.nuspec"), LibTorchPackage)
            : null;

    /// <summary>The lowest version a package's .nuspec allows for one dependency (NuGet's choice), or null.</summary>
    static string? DependencyVersion(string nuspec, string dependencyId)
    {
        if (!File.Exists(nuspec)) return null;
        try
        {
            var range = System.Xml.Linq.XDocument.Load(nuspec).Descendants()
                .Where(e => e.Name.LocalName == "dependency")
                .FirstOrDefault(e => string.Equals((string?)e.Attribute("id"), dependencyId, StringComparison.OrdinalIgnoreCase))
                ?.Attribute("version")?.Value;
            // "2.10.0", "[2.10.0]" or "[2.10.0, 3.0.0)": the lower bound, which NuGet restores when it is inclusive.
            var lower = range?.Trim('[', '(', ' ').Split(',')[0].Trim(']', ')', ' ');
            return string.IsNullOrEmpty(lower) ? null : lower.ToLowerInvariant();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>The native folder of a package version folder: <c>&lt;home&gt;/runtimes/&lt;rid&gt;/native</c>.</summary>
    internal string NativeFolder(string packageHome) => Path.Combine(packageHome, "runtimes", Rid, "native");

    /// <summary>The message for a native file that is not where the restored package should have put it.</summary>
    internal string MissingMessage(string path, string packageFolder) =>
        $"TorchSharp's native library {Path.GetFileName(path)} ({Rid}) is missing: looked for {path}. "
        + $"Fix: run the setup command from README.md ({SetupCommand}), which restores the TorchSharp-cpu packages, "
        + $"then restart the kernel. If the file is still missing, delete {packageFolder} so that NuGet downloads it again.";

    /// <summary>README's set-up-and-run command, which every fix here points to.</summary>
    public const string SetupCommand = "dotnet run --project tools/Workbook -- setup";
}
