using System.Runtime.InteropServices;
using System.Xml.Linq;
using DlWorkbook.Runtime;
using TorchSharp;

namespace DlWorkbook.Tests.Runtime;

/// <summary>The native file names, folders and load order for each OS, with the OS and the packages folder injected.</summary>
public sealed class NativeLayoutTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("dlw-nuget-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Lays out a NuGet packages folder like a restore of TorchSharp-cpu 0.107 does; returns TorchSharp.dll's path.</summary>
    string Restore(NativeLayout layout, string libTorchVersion = "2.10.0", string? leaveOut = null)
    {
        var libTorch = Path.Combine(root, layout.LibTorchPackage, libTorchVersion, "runtimes", layout.Rid, "native");
        var torchSharp = Path.Combine(root, "torchsharp", "0.107.0");
        Directory.CreateDirectory(libTorch);
        Directory.CreateDirectory(Path.Combine(torchSharp, "runtimes", layout.Rid, "native"));
        Directory.CreateDirectory(Path.Combine(torchSharp, "lib", "net8.0"));
        foreach (var file in layout.LibTorchFiles.Where(f => f != leaveOut)) File.WriteAllText(Path.Combine(libTorch, file), "");
        if (layout.TorchSharpFile != leaveOut)
            File.WriteAllText(Path.Combine(torchSharp, "runtimes", layout.Rid, "native", layout.TorchSharpFile), "");
        var dll = Path.Combine(torchSharp, "lib", "net8.0", "TorchSharp.dll");
        File.WriteAllText(dll, "");
        // The dependency chain a restore leaves: TorchSharp-cpu names libtorch-cpu, which names each platform's package.
        Nuspec("torchsharp-cpu", "0.107.0", ("libtorch-cpu", "2.10.0"), ("TorchSharp", "0.107.0"));
        Nuspec("libtorch-cpu", "2.10.0", ("libtorch-cpu-linux-x64", "2.10.0"), ("libtorch-cpu-osx-arm64", "2.10.0"),
            ("libtorch-cpu-win-x64", "2.10.0"));
        return dll;
    }

    void Nuspec(string id, string version, params (string Id, string Version)[] dependencies)
    {
        var folder = Path.Combine(root, id, version);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, id + ".nuspec"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata><id>{id}</id><version>{version}</version><dependencies><group targetFramework="net8.0">
                {string.Concat(dependencies.Select(d => $"<dependency id=\"{d.Id}\" version=\"{d.Version}\" exclude=\"Build,Analyzers\" />"))}
              </group></dependencies></metadata>
            </package>
            """);
    }

    IReadOnlyList<string> ResolveFrom(string torchSharpDll, NativeLayout layout) =>
        layout.Resolve(TorchNative.PackagesRootOf(torchSharpDll)!, TorchNative.TorchSharpHomeOf(torchSharpDll));

    string LibTorch(string rid, string file) => Path.Combine(root, "libtorch-cpu-" + rid, "2.10.0", "runtimes", rid, "native", file);
    string TorchSharp(string rid, string file) => Path.Combine(root, "torchsharp", "0.107.0", "runtimes", rid, "native", file);

    [Fact]
    public void LinuxLoadsC10AndLibtorchThenTheBindingFromTheirPackages()
    {
        var layout = NativeLayout.For(OSPlatform.Linux, Architecture.X64)!;
        Assert.Equal(
            [LibTorch("linux-x64", "libc10.so"), LibTorch("linux-x64", "libtorch_cpu.so"), LibTorch("linux-x64", "libtorch.so"),
             TorchSharp("linux-x64", "libLibTorchSharp.so")],
            ResolveFrom(Restore(layout), layout));
        Assert.Empty(layout.SystemLibraries);
    }

    [Fact]
    public void WindowsLoadsTheVcRuntimeByNameThenOpenMpC10AndTorchCpuThenLibTorchSharp()
    {
        var layout = NativeLayout.For(OSPlatform.Windows, Architecture.X64)!;
        Assert.Equal(["VCRUNTIME140.dll", "VCRUNTIME140_1.dll", "MSVCP140.dll"], layout.SystemLibraries);
        Assert.Equal(
            [LibTorch("win-x64", "libiomp5md.dll"), LibTorch("win-x64", "c10.dll"), LibTorch("win-x64", "torch_cpu.dll"),
             LibTorch("win-x64", "torch.dll"), TorchSharp("win-x64", "LibTorchSharp.dll")],
            ResolveFrom(Restore(layout), layout));
    }

    [Fact]
    public void MacOSLoadsThePackagedOpenMpAndC10BeforeLibtorch()
    {
        var layout = NativeLayout.For(OSPlatform.OSX, Architecture.Arm64)!;
        Assert.Equal(
            [LibTorch("osx-arm64", "libomp.dylib"), LibTorch("osx-arm64", "libc10.dylib"), LibTorch("osx-arm64", "libtorch_cpu.dylib"),
             LibTorch("osx-arm64", "libtorch.dylib"), TorchSharp("osx-arm64", "libLibTorchSharp.dylib")],
            ResolveFrom(Restore(layout), layout));
    }

    [Fact]
    public void TheRestoredLibtorchVersionIsTakenNotTheNewestFolder()
    {
        // A newer libtorch left in the cache by another project must not be loaded beside TorchSharp 0.107's own.
        var layout = NativeLayout.For(OSPlatform.Windows, Architecture.X64)!;
        Restore(layout, libTorchVersion: "2.11.0");
        var dll = Restore(layout, libTorchVersion: "2.10.0");
        Assert.Equal("2.10.0", layout.RestoredLibTorchVersion(root, "0.107.0"));
        Assert.Equal(LibTorch("win-x64", "libiomp5md.dll"), ResolveFrom(dll, layout)[0]);
    }

    [Fact]
    public void AnExplicitLibtorchVersionWins()
    {
        var layout = NativeLayout.For(OSPlatform.Linux, Architecture.X64)!;
        var dll = Restore(layout, libTorchVersion: "2.9.1");
        Restore(layout);
        var paths = layout.Resolve(root, TorchNative.TorchSharpHomeOf(dll), libTorchVersion: "2.9.1");
        Assert.Equal(Path.Combine(root, "libtorch-cpu-linux-x64", "2.9.1", "runtimes", "linux-x64", "native", "libc10.so"), paths[0]);
    }

    [Fact]
    public void AMissingRestoredVersionIsNamedWithTheVersionThatWasExpected()
    {
        // Only an older libtorch folder is there: the message names the folder of the version the restore asked for.
        var layout = NativeLayout.For(OSPlatform.Linux, Architecture.X64)!;
        var dll = Restore(layout, libTorchVersion: "2.9.1");
        var e = Assert.Throws<TorchNativeException>(() => ResolveFrom(dll, layout));
        Assert.StartsWith($"TorchSharp's native library libc10.so (linux-x64) is missing: looked for {LibTorch("linux-x64", "libc10.so")}.", e.Message);
    }

    [Fact]
    public void AMissingFileIsNamedWithWhereItWasLookedForAndTheFix()
    {
        var layout = NativeLayout.For(OSPlatform.Windows, Architecture.X64)!;
        var dll = Restore(layout, leaveOut: "torch_cpu.dll");
        var e = Assert.Throws<TorchNativeException>(() => ResolveFrom(dll, layout));
        Assert.Equal(
            $"TorchSharp's native library torch_cpu.dll (win-x64) is missing: looked for {LibTorch("win-x64", "torch_cpu.dll")}. "
            + "Fix: run the setup command from README.md (dotnet run --project tools/Workbook -- setup), which restores the "
            + "TorchSharp-cpu packages, then restart the kernel. If the file is still missing, delete "
            + $"{Path.Combine(root, "libtorch-cpu-win-x64")} so that NuGet downloads it again.",
            e.Message);
    }

    [Fact]
    public void AMissingBindingNamesTheTorchSharpPackage()
    {
        var layout = NativeLayout.For(OSPlatform.OSX, Architecture.Arm64)!;
        var dll = Restore(layout, leaveOut: "libLibTorchSharp.dylib");
        var e = Assert.Throws<TorchNativeException>(() => ResolveFrom(dll, layout));
        Assert.StartsWith($"TorchSharp's native library libLibTorchSharp.dylib (osx-arm64) is missing: looked for {TorchSharp("osx-arm64", "libLibTorchSharp.dylib")}.", e.Message);
        Assert.EndsWith($"delete {Path.Combine(root, "torchsharp", "0.107.0")} so that NuGet downloads it again.", e.Message);
    }

    [Fact]
    public void AMissingLibtorchPackageIsNamedWithItsRestoredVersion()
    {
        var linux = NativeLayout.For(OSPlatform.Linux, Architecture.X64)!;
        var dll = Restore(linux);
        var mac = NativeLayout.For(OSPlatform.OSX, Architecture.Arm64)!;
        var e = Assert.Throws<TorchNativeException>(() => ResolveFrom(dll, mac));
        Assert.Contains($"looked for {Path.Combine(root, "libtorch-cpu-osx-arm64", "2.10.0", "runtimes", "osx-arm64", "native", "libomp.dylib")}.", e.Message);
    }

    [Fact]
    public void WithoutTheDependencyChainTheVersionIsAPlaceholder()
    {
        var layout = NativeLayout.For(OSPlatform.Linux, Architecture.X64)!;
        var dll = Restore(layout);
        File.Delete(Path.Combine(root, "libtorch-cpu", "2.10.0", "libtorch-cpu.nuspec"));
        Assert.Null(layout.RestoredLibTorchVersion(root, "0.107.0"));
        var e = Assert.Throws<TorchNativeException>(() => ResolveFrom(dll, layout));
        Assert.Contains($"looked for {Path.Combine(root, "libtorch-cpu-linux-x64", "<version>", "runtimes", "linux-x64", "native", "libc10.so")}.", e.Message);
    }

    [Theory]
    [InlineData("/home/u/.nuget/packages/torchsharp/0.107.0/lib/net8.0/TorchSharp.dll", "/home/u/.nuget/packages")]
    [InlineData("/repo/tests/bin/Debug/net10.0/TorchSharp.dll", null)]
    public void PackagesRootIsFoundOnlyInsideAPackagesFolder(string dll, string? expected)
    {
        var found = TorchNative.PackagesRootOf(dll);
        Assert.Equal(expected is null ? null : Path.GetFullPath(expected), found);
    }

    [Fact]
    public void ThreePlatformsAreSupportedAndNoOthers()
    {
        Assert.Equal(["linux-x64", "win-x64", "osx-arm64"], NativeLayout.Supported.Select(l => l.Rid));
        Assert.Null(NativeLayout.For(OSPlatform.OSX, Architecture.X64));
        Assert.Null(NativeLayout.For(OSPlatform.Linux, Architecture.Arm64));
        Assert.Null(NativeLayout.For(OSPlatform.Windows, Architecture.Arm64));
        Assert.Null(NativeLayout.For(OSPlatform.FreeBSD, Architecture.X64));
    }

    [Fact]
    public void AnIntelMacIsToldItIsUnsupportedAndWhatToUseInstead() =>
        Assert.Equal(
            "The workbook cannot run on macOS on x64 (an Intel Mac): the TorchSharp-cpu packages ship native libraries for "
            + "Linux x64, Windows x64 and macOS on Apple silicon (arm64) only. Fix: use one of those systems, or open the workbook "
            + "in its devcontainer (GitHub Codespaces runs it in the browser); see README.md, section \"Supported systems\".",
            NativeLayout.UnsupportedMessage(OSPlatform.OSX, Architecture.X64, Architecture.X64));

    [Fact]
    public void AnX64DotnetUnderRosettaIsToldToInstallTheArm64Sdk()
    {
        var message = NativeLayout.UnsupportedMessage(OSPlatform.OSX, Architecture.X64, Architecture.Arm64);
        Assert.StartsWith("This .NET runs as x64 under Rosetta on an Apple-silicon Mac", message);
        Assert.Contains("Fix: install the Arm64 .NET 10 SDK from https://dot.net/download", message);
    }

    [Fact]
    public void LinuxOnArmIsNamed() =>
        Assert.StartsWith("The workbook cannot run on Linux on arm64: ",
            NativeLayout.UnsupportedMessage(OSPlatform.Linux, Architecture.Arm64, Architecture.Arm64));

    /// <summary>
    /// The real restore: libtorch-cpu depends on one package per supported platform, whatever the OS restoring
    /// it, so all three layouts can be checked against the real files here.
    /// </summary>
    [Fact]
    public void EveryLayoutMatchesTheRestoredPackages()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var torchSharpVersion = typeof(torch).Assembly.GetName().Version!.ToString(3);
        var libTorchNuspec = Directory.GetFiles(Path.Combine(packages, "libtorch-cpu"), "libtorch-cpu.nuspec", SearchOption.AllDirectories)
            .MaxBy(f => Version.Parse(Path.GetFileName(Path.GetDirectoryName(f))!))!;
        var dependencies = XDocument.Load(libTorchNuspec).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => e.Attribute("id")!.Value).Order();
        Assert.Equal(NativeLayout.Supported.Select(l => l.LibTorchPackage).Order(), dependencies);
        foreach (var layout in NativeLayout.Supported)
        {
            var paths = layout.Resolve(packages, Path.Combine(packages, "torchsharp", torchSharpVersion));
            Assert.All(paths, p => Assert.True(File.Exists(p), p));
        }
    }
}
