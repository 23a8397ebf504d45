using TorchSharp;

namespace DlWorkbook.Runtime;

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
    static readonly object Gate = new();
    static bool loaded;

    /// <summary>
    /// Makes sure TorchSharp can run: checks the platform and (on Linux) libstdc++, loads the system libraries the natives
    /// need and then every native file in dependency order from the NuGet packages folder when TorchSharp.dll was loaded
    /// from there (a notebook), then initialises the CPU backend. Safe to call any number of times.
    /// </summary>
    /// <exception cref="TorchNativeException">The natives cannot load; the message names the library and the fix.</exception>
    public static void EnsureLoaded()
    {
        if (loaded) return;
        lock (Gate)
        {
            if (loaded) return;
            ThreadSettings.Apply(); // libgomp reads its settings once, when it loads
            var layout = NativeLayout.Current();
            if (OperatingSystem.IsLinux())
            {
                if (LibStdCxx.ReplacedSinceLoaded())
                    throw new TorchNativeException(
                        "The C++ runtime (libstdc++) was upgraded after this kernel started, and the kernel still holds the old one. "
                        + "Fix: restart the kernel.");
                var libstdcxx = LibStdCxx.FindInUse();
                if (libstdcxx is not null && !LibStdCxx.HasSymbolVersion(libstdcxx, LibStdCxx.RequiredVersion))
                    throw new TorchNativeException(LibStdCxx.TooOldMessage(libstdcxx));
            }
            var torchSharpDll = typeof(torch).Assembly.Location;
            var packagesRoot = PackagesRootOf(torchSharpDll);
            // Outside a packages folder (a program or test build) the natives sit beside the program, where TorchSharp's
            // own loader finds them; the system libraries they need are still loaded first, for the message.
            var files = packagesRoot is null ? [] : layout.Resolve(packagesRoot, TorchSharpHomeOf(torchSharpDll));
            NativeLoader.LoadAll(layout, files, NativeLoader.System);
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
                ThreadSettings.AfterLoad();
            }
            catch (Exception e)
            {
                throw new TorchNativeException(
                    $"TorchSharp's native library ({layout.TorchSharpFile} with libtorch) could not be loaded: "
                    + Innermost(e).Message
                    + $" Fix: run the setup command from README.md ({NativeLayout.SetupCommand}) so the TorchSharp-cpu "
                    + "packages are restored, then restart the kernel.", e);
            }
            loaded = true;
        }
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

    /// <summary>The TorchSharp package's version folder above its assembly: <c>&lt;root&gt;/torchsharp/&lt;version&gt;</c>.</summary>
    internal static string TorchSharpHomeOf(string assemblyPath) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(assemblyPath)!, "..", ".."));

    static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
