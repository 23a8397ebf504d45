using NotebookRunner;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>Standard error the runner lets through: libtorch's NNPACK notice on Apple silicon, and nothing else.</summary>
public class KnownNativeNoticesTests
{
    [Theory]
    [InlineData("[W NNPACK.cpp:53] Could not initialize NNPACK! Reason: Unsupported hardware.")]
    [InlineData("[W1206 21:03:14.123456789 4711 NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported hardware.")]
    [InlineData("[W1206 21:03:14.123456789 4711 /pytorch/aten/src/ATen/native/NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported hardware.\r")]
    public void TheNnpackHardwareNoticeIsHarmless(string line) => Assert.True(KnownNativeNotices.IsHarmless(line));

    [Theory]
    [InlineData("[W NNPACK.cpp:53] Could not initialize NNPACK! Reason: Out of memory.")]
    [InlineData("Could not initialize NNPACK! Reason: Unsupported hardware.")]
    [InlineData("[W NNPACK.cpp:53] Could not initialize NNPACK! Reason: Unsupported hardware. And then a crash")]
    [InlineData("[E NNPACK.cpp:53] Could not initialize NNPACK! Reason: Unsupported hardware.")]
    [InlineData("libgomp: Invalid value for environment variable OMP_NUM_THREADS")]
    [InlineData("terminate called after throwing an instance of 'c10::Error'")]
    public void EverythingElseStillFails(string line) => Assert.False(KnownNativeNotices.IsHarmless(line));

    [Fact]
    public void AProgramsStandardErrorKeepsEverythingButTheNotice() =>
        Assert.Equal("libgomp: Invalid value\n", KnownNativeNotices.Without(
            "[W NNPACK.cpp:53] Could not initialize NNPACK! Reason: Unsupported hardware.\nlibgomp: Invalid value\n"));
}
