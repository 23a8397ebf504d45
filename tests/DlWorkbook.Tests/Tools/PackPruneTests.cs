using WorkbookTool;

namespace DlWorkbook.Tests.Tools;

/// <summary>Pruning old builds from the NuGet cache while a notebook kernel holds one of them (Windows refuses to delete it).</summary>
public sealed class PackPruneTests : IDisposable
{
    readonly string cache = Directory.CreateTempSubdirectory("dlw-prune-").FullName;

    public void Dispose() => Directory.Delete(cache, recursive: true);

    string Version(string name)
    {
        var folder = Path.Combine(cache, name);
        Directory.CreateDirectory(Path.Combine(folder, "lib", "net10.0"));
        File.WriteAllText(Path.Combine(folder, "lib", "net10.0", "DlWorkbook.dll"), "");
        return folder;
    }

    [Fact]
    public void AHeldFolderIsLeftWholeAndNamedAndTheOthersGo()
    {
        var held = Version("0.1.0-local.20261130000001");
        var old = Version("0.1.0-local.20261130000002");
        string[] kept = [Version("0.1.0-local.20261130000003"), Version("0.1.0-local.20261130000004")];
        var log = new StringWriter();

        var removed = Pack.PruneCache(cache, keep: 2, folder =>
        {
            // What Windows answers while a kernel has the DLL loaded.
            if (folder == held)
                throw new IOException($"The process cannot access the file '{Path.Combine(folder, "lib", "net10.0", "DlWorkbook.dll")}' "
                                      + "because it is being used by another process.");
            Pack.RemoveFolder(folder);
        }, log);

        Assert.Equal([old], removed);
        Assert.True(File.Exists(Path.Combine(held, "lib", "net10.0", "DlWorkbook.dll")));
        Assert.Equal([held, .. kept], Directory.GetDirectories(cache).Order(StringComparer.Ordinal));
        Assert.Equal(
            $"pack: left DlWorkbook 0.1.0-local.20261130000001 in the NuGet cache ({held}): its files are in use, most likely by a "
            + "notebook kernel that loaded it. A later pack removes it once that kernel is closed.\n", log.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AFolderRenamedButNotDeletedLastTimeIsRemovedAndNeverCountsAsAVersion()
    {
        var leftover = Path.Combine(cache, "0.1.0-local.20261130000001.pruning");
        Directory.CreateDirectory(leftover);
        string[] kept = [Version("0.1.0-local.20261130000002"), Version("0.1.0-local.20261130000003")];

        Assert.Empty(Pack.PruneCache(cache, keep: 2));
        Assert.Equal(kept, Directory.GetDirectories(cache).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ThePlaceholderSortsFirstSoItIsPrunedLikeAnOldBuild()
    {
        var placeholder = Version("0.0.0-setup-first");
        Version("0.1.0-local.20261130000001");
        Assert.Equal([placeholder], Pack.PruneCache(cache, keep: 1));
    }

    [Fact]
    public void APackReplacesEveryPreviousBuildButNeverThePlaceholder()
    {
        foreach (var name in new[] { "DlWorkbook.0.0.0-setup-first.nupkg", "DlWorkbook.0.1.0-local.20261130000001.nupkg", "VERSION" })
            File.WriteAllText(Path.Combine(cache, name), "");
        Assert.Equal([Path.Combine(cache, "DlWorkbook.0.1.0-local.20261130000001.nupkg")], Pack.PreviousBuilds(cache));
    }
}
