using DlWorkbook.Data;
using DlWorkbook.Runtime;

namespace DlWorkbook.Tests.Data;

/// <summary>Where the tests find the real data files, and scratch folders for the fake ones.</summary>
internal static class TestData
{
    static readonly Lazy<string> MirrorFolder = new(FindMirror);

    /// <summary>
    /// The read-only copy of the data sets: the folder <c>DLWORKBOOK_DATA_MIRROR</c> names (CI sets it), else the
    /// repository's own download cache <c>data/</c>, filled from upstream and verified on first use as a learner's
    /// notebooks would fill it.
    /// </summary>
    public static string Mirror => MirrorFolder.Value;

    /// <summary>
    /// A cache beside the test assembly, filled from the mirror on first use and kept between runs (bin/ is
    /// git-ignored). Never touches the network once the mirror is there.
    /// </summary>
    public static DataCache Cache { get; } = new(Path.Combine(AppContext.BaseDirectory, "data-cache"), Mirror);

    static string FindMirror()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(CacheFolder.MirrorVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        var data = Path.Combine(RepoPaths.Root, "data");
        var cache = new DataCache(data);
        foreach (var file in DataManifest.All) cache.Fetch(file);
        return data;
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
