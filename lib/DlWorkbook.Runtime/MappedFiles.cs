namespace DlWorkbook.Runtime;

/// <summary>The files this process has mapped into memory on Linux (its shared libraries), read from /proc/self/maps.</summary>
internal static class MappedFiles
{
    /// <summary>A mapped file; <paramref name="Replaced"/> when the file on disk was replaced since (shown as "path (deleted)").</summary>
    internal sealed record MappedFile(string Path, bool Replaced);

    /// <summary>Each mapped file once, in the order of the map; empty off Linux or when the map cannot be read.</summary>
    public static IReadOnlyList<MappedFile> Current()
    {
        if (!OperatingSystem.IsLinux()) return [];
        try
        {
            return Parse(File.ReadLines("/proc/self/maps"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The files named by lines of the maps format: "address perms offset dev inode path".</summary>
    internal static IReadOnlyList<MappedFile> Parse(IEnumerable<string> lines)
    {
        var files = new List<MappedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var at = line.IndexOf('/');
            if (at < 0) continue;   // anonymous memory, [heap], [stack]
            var path = line[at..].Trim();
            var replaced = path.EndsWith(" (deleted)", StringComparison.Ordinal);
            if (replaced) path = path[..^" (deleted)".Length];
            if (seen.Add(path)) files.Add(new MappedFile(path, replaced));
        }
        return files;
    }
}
