using System.Runtime.CompilerServices;
using DlWorkbook.Exercises;

namespace DlWorkbook.Tests;

/// <summary>
/// Every exercise check records its result in the learner's progress file. The tests check hundreds of answers, and
/// run notebooks and programs that check more: all of that goes to a file of this test run, never to the progress
/// file of whoever runs the tests.
/// </summary>
static class TestProgressFile
{
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dlworkbook-tests-{Environment.ProcessId}", "progress.json");

    [ModuleInitializer]
    internal static void UseTheTestRunsOwnFile() => Environment.SetEnvironmentVariable(ProgressFile.Variable, Path);
}
