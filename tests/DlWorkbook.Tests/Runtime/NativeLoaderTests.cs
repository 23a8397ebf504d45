using System.Runtime.InteropServices;
using DlWorkbook.Runtime;

namespace DlWorkbook.Tests.Runtime;

/// <summary>
/// Loading the natives library by library, with the loader injected: the order, where it stops, and the message with
/// the fix for each system's failure (the reasons are the texts .NET gives on that system).
/// </summary>
public sealed class NativeLoaderTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("dlw-natives-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static readonly NativeLayout Windows = NativeLayout.For(OSPlatform.Windows, Architecture.X64)!;
    static readonly NativeLayout MacOS = NativeLayout.For(OSPlatform.OSX, Architecture.Arm64)!;
    static readonly NativeLayout Linux = NativeLayout.For(OSPlatform.Linux, Architecture.X64)!;

    string Native(NativeLayout layout, string file) =>
        Path.Combine(root, layout.LibTorchPackage, "2.10.0", "runtimes", layout.Rid, "native", file);

    IReadOnlyList<string> Files(NativeLayout layout) =>
        [.. layout.LibTorchFiles.Select(f => Native(layout, f)),
         Path.Combine(root, "torchsharp", "0.107.0", "runtimes", layout.Rid, "native", layout.TorchSharpFile)];

    /// <summary>A loader that fails on one library (by file name) with <paramref name="reason"/> and records every call.</summary>
    static NativeLoad FailingOn(string fileName, string reason, List<string> calls) => pathOrName =>
    {
        calls.Add(Path.GetFileName(pathOrName));
        return Path.GetFileName(pathOrName) == fileName ? reason : null;
    };

    static TorchNativeException LoadFailing(NativeLayout layout, IReadOnlyList<string> files, string fileName, string reason, List<string>? calls = null) =>
        Assert.Throws<TorchNativeException>(() => NativeLoader.LoadAll(layout, files, FailingOn(fileName, reason, calls ?? [])));

    [Fact]
    public void EveryLibraryIsLoadedSystemLibrariesFirstThenInDependencyOrder()
    {
        var calls = new List<string>();
        NativeLoader.LoadAll(Windows, Files(Windows), FailingOn("none", "", calls));
        Assert.Equal(["VCRUNTIME140.dll", "VCRUNTIME140_1.dll", "MSVCP140.dll", "libiomp5md.dll", "c10.dll", "torch_cpu.dll", "torch.dll",
                      "LibTorchSharp.dll"], calls);
    }

    [Fact]
    public void WindowsWithoutTheVisualCppRuntimeNamesItAndTheWingetLine()
    {
        var calls = new List<string>();
        var e = LoadFailing(Windows, Files(Windows), "MSVCP140.dll",
            "Unable to load DLL 'MSVCP140.dll' or one of its dependencies: The specified module could not be found. (0x8007007E)", calls);
        Assert.Equal(
            "Windows could not load MSVCP140.dll, part of the Microsoft Visual C++ 2015-2022 Redistributable (x64), which libtorch "
            + "needs and no NuGet package ships. Fix: install it, in PowerShell: `winget install Microsoft.VCRedist.2015+.x64` "
            + "(or run the installer from https://aka.ms/vs/17/release/vc_redist.x64.exe); then restart the notebook's kernel "
            + "(or run the command again).", e.Message);
        Assert.DoesNotContain("c10.dll", calls);   // stops at the first library that fails
    }

    [Fact]
    public void VcRuntime140Underscore1AloneMissingIsNamedToo()
    {
        // An old Visual C++ 2015 runtime has VCRUNTIME140.dll but not VCRUNTIME140_1.dll.
        var e = LoadFailing(Windows, Files(Windows), "VCRUNTIME140_1.dll",
            "Unable to load DLL 'VCRUNTIME140_1.dll' or one of its dependencies: The specified module could not be found. (0x8007007E)");
        Assert.StartsWith("Windows could not load VCRUNTIME140_1.dll, part of the Microsoft Visual C++ 2015-2022 Redistributable (x64)", e.Message);
        Assert.Contains("`winget install Microsoft.VCRedist.2015+.x64`", e.Message);
    }

    [Fact]
    public void SmartAppControlIsNamedWithWhereToTurnItOff()
    {
        var e = LoadFailing(Windows, Files(Windows), "c10.dll",
            $"Unable to load DLL '{Native(Windows, "c10.dll")}' or one of its dependencies: An Application Control policy has blocked this file. (0x800711C7)");
        Assert.StartsWith("Windows blocked c10.dll (", e.Message);
        Assert.Contains("(0x800711C7)): Smart App Control, or another application-control policy, does not let unsigned libraries load", e.Message);
        Assert.Contains("Windows Security > App & browser control > Smart App Control settings > Off", e.Message);
        Assert.EndsWith("then restart the notebook's kernel (or run the command again).", e.Message);
    }

    [Fact]
    public void AWindowsPackageFileThatLacksANeighbourSendsTheLearnerToDeleteThePackage()
    {
        var e = LoadFailing(Windows, Files(Windows), "torch_cpu.dll",
            $"Unable to load DLL '{Native(Windows, "torch_cpu.dll")}' or one of its dependencies: The specified module could not be found. (0x8007007E)");
        Assert.StartsWith("Windows could not load torch_cpu.dll: a library it needs was not found (", e.Message);
        Assert.Contains($"Fix: delete {Path.Combine(root, "libtorch-cpu-win-x64")} and run the setup command from README.md "
                        + "(dotnet run --project tools/Workbook -- setup), so that NuGet downloads it again;", e.Message);
    }

    [Fact]
    public void MacOSWithoutOpenMpNamesHomebrew()
    {
        var e = LoadFailing(MacOS, Files(MacOS), "libtorch_cpu.dylib",
            "dlopen(libtorch_cpu.dylib, 0x0001): Library not loaded: /opt/homebrew/opt/libomp/lib/libomp.dylib");
        Assert.StartsWith("macOS could not load libtorch_cpu.dylib: it asks for OpenMP (libomp) and none was found (", e.Message);
        Assert.Contains("Fix: install Homebrew's libomp (`brew install libomp`);", e.Message);
    }

    [Fact]
    public void MacOSGatekeeperNamesTheQuarantineToClear()
    {
        var e = LoadFailing(MacOS, Files(MacOS), "libc10.dylib",
            "dlopen(libc10.dylib, 0x0001): code signature in <...> not valid for use in process: library load disallowed by system policy");
        Assert.StartsWith("macOS refused to load libc10.dylib: Gatekeeper does not trust it (", e.Message);
        Assert.Contains($"`xattr -dr com.apple.quarantine \"{Path.Combine(root, "libtorch-cpu-osx-arm64")}\"`", e.Message);
    }

    [Fact]
    public void MacOSUnderRosettaNamesTheArm64Sdk()
    {
        var e = LoadFailing(MacOS, Files(MacOS), "libomp.dylib",
            "dlopen(libomp.dylib, 0x0001): tried: 'libomp.dylib' (mach-o file, but is an incompatible architecture (have 'arm64', need 'x86_64'))");
        Assert.Contains("Fix: install the Arm64 .NET 10 SDK from https://dot.net/download and remove the x64 one from PATH;", e.Message);
    }

    [Fact]
    public void LinuxWithAnOldLibstdcxxGetsTheFixForItsDistribution()
    {
        var reason = $"{Native(Linux, "libc10.so")}: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found "
                     + $"(required by {Native(Linux, "libc10.so")})";
        var e = LoadFailing(Linux, Files(Linux), "libc10.so", reason);
        Assert.StartsWith($"Linux could not load libc10.so: {reason} Fix: ", e.Message);
        Assert.EndsWith(" Then restart the notebook's kernel.", e.Message);
    }

    [Fact]
    public void ALinuxDependencyOutsideThePackagesIsNamed()
    {
        var e = LoadFailing(Linux, Files(Linux), "libtorch_cpu.so",
            "libgfortran.so.5: cannot open shared object file: No such file or directory");
        Assert.StartsWith("Linux could not load libtorch_cpu.so: it needs libgfortran.so.5, which this system lacks (", e.Message);
        Assert.Contains("`apt-file search libgfortran.so.5`", e.Message);
    }

    [Fact]
    public void ADamagedFileIsNamedWithItsPackageToDownloadAgain()
    {
        // The real loader on a file that is not a library: what a truncated download gives.
        var layout = NativeLayout.Current();
        var path = Native(layout, layout.LibTorchFiles[0]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "not a library");
        var reason = NativeLoader.System(path);
        Assert.NotNull(reason);
        var e = Assert.Throws<TorchNativeException>(() => NativeLoader.LoadAll(layout, [path], p => p == path ? reason : null));
        Assert.Contains(path, e.Message);
        Assert.Contains($"Fix: delete {Path.Combine(root, layout.LibTorchPackage)} and run the setup command from README.md", e.Message);
    }
}

/// <summary>The libstdc++ fix named for each distribution, from its os-release.</summary>
public class LinuxReleaseTests
{
    const string Ubuntu2204 = "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n";

    [Fact]
    public void OsReleaseAndWslAreRead()
    {
        Assert.Equal(new LinuxRelease("ubuntu", "22.04", true),
            LinuxRelease.Parse(Ubuntu2204, "Linux version 5.15.153.1-microsoft-standard-WSL2 (root@941d701f84f1) #1 SMP"));
        Assert.Equal(new LinuxRelease("debian", "12", false),
            LinuxRelease.Parse("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nID=debian\n", "Linux version 6.1.0-18-amd64"));
        Assert.Equal(new LinuxRelease("", "", false), LinuxRelease.Parse("", ""));
    }

    [Fact]
    public void Ubuntu2204InWslGetsTheToolchainArchiveAndUbuntu2404() =>
        Assert.Equal(
            "Fix: Ubuntu 22.04 (here in WSL) ships GCC 12's; install GCC 13's from Ubuntu's toolchain archive: "
            + "`sudo add-apt-repository -y ppa:ubuntu-toolchain-r/test && sudo apt-get install -y libstdc++6`, or use Ubuntu 24.04 "
            + "(`wsl --install -d Ubuntu-24.04` in PowerShell).",
            LibStdCxx.FixFor(new LinuxRelease("ubuntu", "22.04", Wsl: true)));

    [Fact]
    public void DebianIsSentToTheSetupCommandWhichInstallsIt() =>
        Assert.StartsWith("Fix: run the setup command from README.md (dotnet run --project tools/Workbook -- setup); on Debian 12",
            LibStdCxx.FixFor(new LinuxRelease("debian", "12", false)));

    [Theory]
    [InlineData("fedora", "38")]
    [InlineData("ubuntu", "24.04")]   // has it: only a broken install lands here
    [InlineData("", "")]
    public void OtherDistributionsAreToldWhatToInstallNotToRunSetupAgain(string id, string version)
    {
        var fix = LibStdCxx.FixFor(new LinuxRelease(id, version, false));
        Assert.Equal("Fix: install GCC 13's libstdc++ (or newer) from your distribution (Ubuntu 24.04, Debian 13 and Fedora 39 have it).", fix);
        Assert.DoesNotContain("setup", fix);
    }
}
