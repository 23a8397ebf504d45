using WorkbookTool;

namespace DlWorkbook.Tests.Tools;

/// <summary>The test command's lines for skipped tests: each reason once, with how many tests it skipped, from the TRX files.</summary>
public sealed class SkipReasonTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("dlw-skips-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static string Result(string name, string outcome, string? message) => $"""
        <UnitTestResult testName="{name}" outcome="{outcome}">
          {(message is null ? "" : $"<Output><ErrorInfo><Message>{message}</Message></ErrorInfo></Output>")}
        </UnitTestResult>
        """;

    [Fact]
    public void EachReasonIsListedOnceWithItsCount()
    {
        const string noBrowser = "No Chrome, Edge or Chromium found (…): install Chromium, or set CHROMIUM_PATH to one.";
        File.WriteAllText(Path.Combine(folder, "run.trx"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
              {Result("A.Site1", "NotExecuted", noBrowser)}
              {Result("A.Site2", "NotExecuted", noBrowser)}
              {Result("A.Offline", "NotExecuted", "Needs root.")}
              {Result("A.Passes", "Passed", null)}
              {Result("A.Fails", "Failed", "Assert.Equal() Failure")}
            </Results></TestRun>
            """);
        Assert.Equal([(noBrowser, 2), ("Needs root.", 1)], TestCounts.SkipReasons(folder));
    }

    [Fact]
    public void NoResultsMeanNoSkips() => Assert.Empty(TestCounts.SkipReasons(Path.Combine(folder, "none")));
}
