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
    /// On Linux, when the C++ runtime lacks the symbol version TorchSharp needs: scripts/ensure-libstdcxx.sh
    /// installs it on Debian and names the fix elsewhere. Does nothing on Windows and macOS, or when it is there.
    /// </summary>
    public static Step CppRuntime { get; } = new("libstdc++", (workspace, _) =>
    {
        if (!OperatingSystem.IsLinux()) return 0;
        var library = LibStdCxx.FindInUse();
        if (library is not null && LibStdCxx.HasSymbolVersion(library, LibStdCxx.RequiredVersion)) return 0;
        return workspace.Run("bash", [workspace.PathOf("scripts/ensure-libstdcxx.sh")]);
    });

    /// <summary>
    /// After restore: every native file this platform loads is in the NuGet packages folder; otherwise
    /// one message names the file looked for and the fix, before any notebook or test starts.
    /// </summary>
    public static Step Natives { get; } = new("natives", (workspace, _) =>
    {
        var assets = workspace.PathOf("lib/DlWorkbook/obj/project.assets.json");
        try
        {
            var (packagesRoot, torchSharpVersion) = RestoredTorchSharp(assets);
            NativeLayout.Current().Resolve(packagesRoot, Path.Combine(packagesRoot, "torchsharp", torchSharpVersion));
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
        if (!File.Exists(assetsFile))
            throw new TorchNativeException($"{assetsFile} is missing: the course library was not restored. Fix: run `{NativeLayout.SetupCommand}`.");
        using var assets = JsonDocument.Parse(File.ReadAllBytes(assetsFile));
        var packagesRoot = assets.RootElement.GetProperty("packageFolders").EnumerateObject().First().Name;
        var torchSharp = assets.RootElement.GetProperty("libraries").EnumerateObject()
            .Select(p => p.Name.Split('/'))
            .FirstOrDefault(parts => parts[0].Equals("TorchSharp", StringComparison.OrdinalIgnoreCase))
            ?? throw new TorchNativeException($"{assetsFile} lists no TorchSharp package. Fix: run `{NativeLayout.SetupCommand}`.");
        return (packagesRoot, torchSharp[1].ToLowerInvariant());
    }
}
