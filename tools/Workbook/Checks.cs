using System.Runtime.InteropServices;
using System.Text.Json;
using DlWorkbook.Runtime;

namespace WorkbookTool;

/// <summary>What must hold before the workbook can run: a platform with natives, the C++ runtime they need, the natives themselves.</summary>
public static class Checks
{
    /// <summary>Stops on a platform that TorchSharp-cpu has no natives for, before anything else runs.</summary>
    public static Step Platform { get; } = new("platform", (_, _) =>
    {
        var problem = PlatformProblem(NativeLayout.CurrentOs, RuntimeInformation.ProcessArchitecture, RuntimeInformation.OSArchitecture);
        if (problem is null) return 0;
        Console.Error.WriteLine(problem);
        return 2;
    });

    /// <summary>The message for a platform without natives, or null where the workbook runs.</summary>
    public static string? PlatformProblem(OSPlatform os, Architecture process, Architecture machine) =>
        NativeLayout.For(os, process) is null ? NativeLayout.UnsupportedMessage(os, process, machine) : null;

    /// <summary>
    /// On Linux, when the C++ runtime lacks the symbol version TorchSharp needs: on Debian scripts/ensure-libstdcxx.sh
    /// installs it; elsewhere the message names the fix for that distribution. Does nothing on Windows and macOS, or
    /// when it is there.
    /// </summary>
    public static Step CppRuntime { get; } = new("libstdc++", (workspace, _) =>
    {
        if (!OperatingSystem.IsLinux()) return 0;
        var library = LibStdCxx.FindInUse();
        if (library is not null && File.Exists(library) && LibStdCxx.HasSymbolVersion(library, LibStdCxx.RequiredVersion)) return 0;
        var release = LinuxRelease.Current();
        if (release.Id != "debian" && library is not null && File.Exists(library))
        {
            Console.Error.WriteLine(LibStdCxx.TooOldMessage(library, release));
            return 1;
        }
        return workspace.Run("bash", [workspace.PathOf("scripts/ensure-libstdcxx.sh")]);
    });

    /// <summary>
    /// After restore: every native file this platform needs is in the NuGet packages folder at the restored versions,
    /// and each one loads (the system libraries first, then the files in dependency order); otherwise one message names
    /// the library and the fix for this system, before any notebook or test starts.
    /// </summary>
    public static Step Natives { get; } = new("natives", (workspace, _) =>
    {
        var assets = workspace.PathOf("lib/DlWorkbook/obj/project.assets.json");
        try
        {
            var layout = NativeLayout.Current();
            var (packagesRoot, torchSharpVersion) = RestoredTorchSharp(assets);
            var files = layout.Resolve(packagesRoot, Path.Combine(packagesRoot, "torchsharp", torchSharpVersion),
                RestoredVersion(assets, layout.LibTorchPackage));
            if (OperatingSystem.IsLinux() && LibStdCxx.ReplacedSinceLoaded())
            {
                // The libstdc++ step has just replaced the C++ runtime this process started with; the notebooks load with the new one.
                Console.WriteLine("natives: in place; this process still holds the C++ runtime the libstdc++ step replaced, so the notebooks load them");
                return 0;
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            NativeLoader.LoadAll(layout, files, NativeLoader.System);
            Console.WriteLine($"natives: {layout.SystemLibraries.Count + files.Count} libraries loaded ({clock.ElapsedMilliseconds} ms)");
            return 0;
        }
        catch (TorchNativeException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    });

    /// <summary>The NuGet packages folder and the TorchSharp version the library was restored with, from its project.assets.json.</summary>
    public static (string PackagesRoot, string TorchSharpVersion) RestoredTorchSharp(string assetsFile)
    {
        using var assets = ReadAssets(assetsFile);
        var packagesRoot = assets.RootElement.GetProperty("packageFolders").EnumerateObject().First().Name;
        var torchSharp = RestoredVersion(assets, "TorchSharp")
            ?? throw new TorchNativeException($"{assetsFile} lists no TorchSharp package. Fix: run `{NativeLayout.SetupCommand}`.");
        return (packagesRoot, torchSharp);
    }

    /// <summary>The version of one package (by id, any case) the library was restored with, or null when it is not listed.</summary>
    public static string? RestoredVersion(string assetsFile, string packageId)
    {
        using var assets = ReadAssets(assetsFile);
        return RestoredVersion(assets, packageId);
    }

    static string? RestoredVersion(JsonDocument assets, string packageId) =>
        assets.RootElement.GetProperty("libraries").EnumerateObject()
            .Select(p => p.Name.Split('/'))
            .FirstOrDefault(parts => parts[0].Equals(packageId, StringComparison.OrdinalIgnoreCase))?[1].ToLowerInvariant();

    static JsonDocument ReadAssets(string assetsFile) =>
        File.Exists(assetsFile)
            ? JsonDocument.Parse(File.ReadAllBytes(assetsFile))
            : throw new TorchNativeException($"{assetsFile} is missing: the course library was not restored. Fix: run `{NativeLayout.SetupCommand}`.");
}
