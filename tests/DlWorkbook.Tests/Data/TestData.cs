using DlWorkbook.Data;

namespace DlWorkbook.Tests.Data;

/// <summary>Where the tests find the real data files, and scratch folders for the fake ones.</summary>
internal static class TestData
{
    static readonly Lazy<string> MirrorFolder = new(FindMirror);

    /// <summary>
    /// The read-only copy of the data sets: <c>DLWORKBOOK_DATA_MIRROR</c>, else the <c>shared/data</c> folder found
    /// beside one of the folders above the test assembly (as with <c>../shared/data</c> beside the clone, the layout CI uses).
    /// </summary>
    public static string Mirror => MirrorFolder.Value;

    /// <summary>
    /// A cache beside the test assembly, filled from the mirror on first use and kept between runs (bin/ is
    /// git-ignored). Never touches the network: a mirror is always set.
    /// </summary>
    public static DataCache Cache { get; } = new(Path.Combine(AppContext.BaseDirectory, "data-cache"), Mirror);

    static string FindMirror()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DataCache.MirrorVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (File.Exists(Path.Combine(candidate, "Fish.csv"))) return candidate;
        }
        throw new InvalidOperationException(
            $"The real data files were not found: set {DataCache.MirrorVariable} to a folder with Fish.csv, timemachine.txt "
            + "and fashion-mnist/*.gz (the repository's CI uses ../shared/data).");
    }
}

/// <summary>A fresh temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("dlworkbook-tests-").FullName;

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Every file under the folder, relative, for checking that nothing was left behind.</summary>
    public string[] Files() =>
        Directory.GetFiles(Path, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(Path, f)).ToArray();

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
