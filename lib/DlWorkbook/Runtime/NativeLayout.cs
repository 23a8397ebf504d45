using System.Runtime.InteropServices;

namespace DlWorkbook.Runtime;

/// <summary>
/// Where the TorchSharp-cpu packages keep their native libraries on one platform, and the order in
/// which to load them: libtorch's files from the <c>libtorch-cpu-&lt;rid&gt;</c> package, then
/// TorchSharp's own binding from the <c>torchsharp</c> package.
/// </summary>
/// <remarks>
/// tools/Workbook compiles this file too (it checks the platform before anything else runs), so it
/// uses nothing but the base library.
/// </remarks>
public sealed record NativeLayout(
    OSPlatform Os, Architecture Architecture, string Rid, IReadOnlyList<string> LibTorchFiles, string TorchSharpFile)
{
    /// <summary>
    /// The platforms TorchSharp-cpu 0.107 ships natives for (libtorch-cpu depends on exactly these three
    /// packages). Each file list loads dependencies first: a library loaded by full path is found by
    /// name when the next one asks for it.
    /// </summary>
    public static IReadOnlyList<NativeLayout> Supported { get; } =
    [
        // libtorch_cpu.so finds libc10 and libgomp beside itself (RUNPATH $ORIGIN).
        new(OSPlatform.Linux, Architecture.X64, "linux-x64", ["libtorch_cpu.so", "libtorch.so"], "libLibTorchSharp.so"),
        // Windows loads a DLL's dependencies from its own folder when it is loaded by full path.
        new(OSPlatform.Windows, Architecture.X64, "win-x64", ["torch_cpu.dll", "torch.dll"], "LibTorchSharp.dll"),
        // libtorch_cpu.dylib names libomp by Homebrew's absolute path and libc10 by @rpath, neither of
        // which leads to the package folder: the package's own copies are loaded first.
        new(OSPlatform.OSX, Architecture.Arm64, "osx-arm64",
            ["libomp.dylib", "libc10.dylib", "libtorch_cpu.dylib", "libtorch.dylib"], "libLibTorchSharp.dylib"),
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
    /// <c>&lt;root&gt;/libtorch-cpu-&lt;rid&gt;/&lt;newest version&gt;/runtimes/&lt;rid&gt;/native/…</c> and
    /// <c>&lt;torchSharpHome&gt;/runtimes/&lt;rid&gt;/native/…</c>.
    /// </summary>
    /// <param name="packagesRoot">The NuGet packages folder (for example <c>~/.nuget/packages</c>).</param>
    /// <param name="torchSharpHome">The TorchSharp package's version folder (for example <c>&lt;root&gt;/torchsharp/0.107.0</c>).</param>
    /// <exception cref="TorchNativeException">A file is missing; the message names the path looked for and the fix.</exception>
    public IReadOnlyList<string> Resolve(string packagesRoot, string torchSharpHome)
    {
        var libTorchPackage = Path.Combine(packagesRoot, LibTorchPackage);
        var libTorchHome = NewestVersionFolder(libTorchPackage) ?? Path.Combine(libTorchPackage, "<version>");
        var paths = LibTorchFiles.Select(f => Path.Combine(NativeFolder(libTorchHome), f))
            .Append(Path.Combine(NativeFolder(torchSharpHome), TorchSharpFile))
            .ToList();
        var missing = paths.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
            throw new TorchNativeException(MissingMessage(missing, missing.StartsWith(libTorchPackage, StringComparison.Ordinal) ? libTorchPackage : torchSharpHome));
        return paths;
    }

    /// <summary>The native folder of a package version folder: <c>&lt;home&gt;/runtimes/&lt;rid&gt;/native</c>.</summary>
    public string NativeFolder(string packageHome) => Path.Combine(packageHome, "runtimes", Rid, "native");

    /// <summary>The message for a native file that is not where the restored package should have put it.</summary>
    public string MissingMessage(string path, string packageFolder) =>
        $"TorchSharp's native library {Path.GetFileName(path)} ({Rid}) is missing: looked for {path}. "
        + $"Fix: run the setup command from README.md ({SetupCommand}), which restores the TorchSharp-cpu packages, "
        + $"then restart the kernel. If the file is still missing, delete {packageFolder} so that NuGet downloads it again.";

    /// <summary>README's set-up-and-run command, which every fix here points to.</summary>
    public const string SetupCommand = "dotnet run --project tools/Workbook -- setup";

    /// <summary>The newest version folder of a package (by version number, pre-release suffix ignored), or null.</summary>
    static string? NewestVersionFolder(string packageFolder) =>
        Directory.Exists(packageFolder)
            ? Directory.GetDirectories(packageFolder)
                .OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version())
                .FirstOrDefault()
            : null;
}
