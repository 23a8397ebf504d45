using DlWorkbook.Runtime;

namespace DlWorkbook.Tests.Runtime;

public class MappedFilesTests
{
    [Fact]
    public void EachMappedFileIsListedOnceAndAReplacedOneIsMarked()
    {
        var files = MappedFiles.Parse(
        [
            "7f1c2a000000-7f1c2a021000 rw-p 00000000 00:00 0 ",
            "7f1c2b000000-7f1c2b0a0000 r--p 00000000 08:01 1234                       /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33 (deleted)",
            "7f1c2b0a0000-7f1c2b1a0000 r-xp 000a0000 08:01 1234                       /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33 (deleted)",
            "7f1c2c000000-7f1c2c010000 r--p 00000000 08:01 99                         /opt/lib/libgomp.so.1",
            "7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0                          [stack]",
        ]);

        Assert.Equal(
            [
                new MappedFiles.MappedFile("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33", Replaced: true),
                new MappedFiles.MappedFile("/opt/lib/libgomp.so.1", Replaced: false),
            ],
            files);
    }

    [Fact]
    public void OnLinuxThisProcessMapsTheDotnetRuntime()
    {
        if (!OperatingSystem.IsLinux()) return;   // the map exists only on Linux; elsewhere Current() is empty by design
        Assert.Contains(MappedFiles.Current(), f => f.Path.EndsWith("libcoreclr.so", StringComparison.Ordinal));
    }
}
