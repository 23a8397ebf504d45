using DlWorkbook.Runtime;

namespace DlWorkbook.Tests.Runtime;

public class LibStdCxxTests
{
    static string FakeLibrary(params string[] versions)
    {
        var path = Path.Combine(Path.GetTempPath(), $"libstdc++-{Guid.NewGuid():N}.so.6");
        File.WriteAllBytes(path, [0x7f, .. "ELF"u8, .. string.Join("\0", versions).Select(c => (byte)c), 0]);
        return path;
    }

    [Fact]
    public void ADebian12LibraryIsReportedTooOldWithTheFix()
    {
        var lib = FakeLibrary("GLIBCXX_3.4.29", "GLIBCXX_3.4.30", "CXXABI_1.3.13");
        try
        {
            Assert.False(LibStdCxx.HasSymbolVersion(lib, LibStdCxx.RequiredVersion));
            Assert.Equal("GLIBCXX_3.4.30", LibStdCxx.NewestVersion(lib));
            var message = LibStdCxx.TooOldMessage(lib, new LinuxRelease("debian", "12", Wsl: false));
            Assert.Contains("needs GLIBCXX_3.4.32", message);
            Assert.Contains($"{lib} provides only up to GLIBCXX_3.4.30", message);
            Assert.Contains("run the setup command from README.md (dotnet run --project tools/Workbook -- setup)", message);
            Assert.Contains("README.md, section \"Troubleshooting\"", message);
        }
        finally { File.Delete(lib); }
    }

    [Fact]
    public void ANewerLibraryPasses()
    {
        var lib = FakeLibrary("GLIBCXX_3.4.9", "GLIBCXX_3.4.32", "GLIBCXX_3.4.33");
        try
        {
            Assert.True(LibStdCxx.HasSymbolVersion(lib, "GLIBCXX_3.4.32"));
            Assert.Equal("GLIBCXX_3.4.33", LibStdCxx.NewestVersion(lib));
        }
        finally { File.Delete(lib); }
    }

    [Fact]
    public void TheProcessLibraryIsFoundOnLinux()
    {
        if (!OperatingSystem.IsLinux()) return;
        var lib = LibStdCxx.FindInUse();
        Assert.NotNull(lib);
        Assert.Contains("libstdc++.so", lib);
    }
}
