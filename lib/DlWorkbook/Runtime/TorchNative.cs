using System.Runtime.InteropServices;
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
    /// Makes sure TorchSharp can run: checks the platform and (on Linux) libstdc++, loads the natives
    /// from the NuGet packages folder when TorchSharp.dll was loaded from there (a notebook), then
    /// initialises the CPU backend. Safe to call any number of times.
    /// </summary>
    /// <exception cref="TorchNativeException">The natives cannot load; the message says why and what to do.</exception>
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
                var libstdcxx = LibStdCxx.FindInUse();
                if (libstdcxx is not null && !LibStdCxx.HasSymbolVersion(libstdcxx, LibStdCxx.RequiredVersion))
                    throw new TorchNativeException(LibStdCxx.TooOldMessage(libstdcxx));
            }
            var torchSharpDll = typeof(torch).Assembly.Location;
            var packagesRoot = PackagesRootOf(torchSharpDll);
            if (packagesRoot is not null)
                foreach (var path in layout.Resolve(packagesRoot, TorchSharpHomeOf(torchSharpDll)))
                    Load(path);
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
                ThreadSettings.RecordLibTorchThreads(torch.get_num_threads());
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

    static void Load(string path)
    {
        try
        {
            NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            // A dependency outside the packages (macOS: Homebrew's libomp) or the C++ runtime is what usually fails.
            var hint = e.Message.Contains("libomp", StringComparison.Ordinal)
                ? " Fix: install Homebrew's libomp (`brew install libomp`), then restart the kernel."
                : $" Fix: run the setup command from README.md ({NativeLayout.SetupCommand}), then restart the kernel.";
            throw new TorchNativeException($"Could not load {path}: {e.Message}{hint}", e);
        }
    }

    static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
