using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace SiteBuilder;

/// <summary>
/// One pinned npm package, fetched as its tarball straight from the npm registry (no Node.js needed), checked
/// against the integrity hash the registry publishes for it, and cached like the workbook's data sets.
/// </summary>
/// <remarks>
/// Where the tarball comes from, in order: the cache (<c>npm/NAME-VERSION.tgz</c> in the data cache folder,
/// <c>data/</c> of the workbook or <c>DLWORKBOOK_DATA_DIR</c>); the same path in the data mirror
/// (<c>DLWORKBOOK_DATA_MIRROR</c>), for offline machines; the registry (<c>npm_config_registry</c>, as npm
/// itself reads it, or registry.npmjs.org). Every copy is checked against <see cref="Integrity"/> before use, and
/// a download enters the cache only after it matched.
/// </remarks>
public sealed record NpmPackage(string Name, string Version, string Integrity)
{
    /// <summary>KaTeX, which typesets the formulas in the browser.</summary>
    public static NpmPackage Katex { get; } =
        new("katex", "0.19.1", "sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA==");

    /// <summary>The tarball's file name, as the registry and <c>npm pack</c> name it.</summary>
    public string FileName => $"{Name}-{Version}.tgz";

    /// <summary>The tarball's address on <paramref name="registry"/>.</summary>
    public string Url(string registry) => $"{registry.TrimEnd('/')}/{Name}/-/{FileName}";

    /// <summary>
    /// The package's files whose paths (inside the tarball's <c>package/</c> folder) <paramref name="wanted"/> accepts,
    /// by path. Fetches the tarball first when the cache lacks it.
    /// </summary>
    /// <exception cref="SiteBuildException">The tarball could not be had, or no copy matched its integrity hash.</exception>
    public IReadOnlyDictionary<string, byte[]> Files(Func<string, bool> wanted, PackageSources sources)
    {
        var tarball = Fetch(sources);
        var files = new Dictionary<string, byte[]>();
        using var gzip = new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
            var path = entry.Name.StartsWith("package/", StringComparison.Ordinal) ? entry.Name["package/".Length..] : entry.Name;
            if (!wanted(path)) continue;
            using var copy = new MemoryStream();
            entry.DataStream.CopyTo(copy);
            files[path] = copy.ToArray();
        }
        return files;
    }

    /// <summary>The tarball's bytes, from the cache, the mirror or the registry, checked.</summary>
    public byte[] Fetch(PackageSources sources)
    {
        var cached = Path.Combine(sources.CacheFolder, "npm", FileName);
        if (File.Exists(cached))
        {
            var bytes = File.ReadAllBytes(cached);
            if (Matches(bytes)) return bytes;
            File.Delete(cached);   // a damaged copy: fetch it again
        }
        var mirrored = sources.MirrorFolder is null ? null : Path.Combine(sources.MirrorFolder, "npm", FileName);
        if (mirrored is not null && File.Exists(mirrored))
        {
            var bytes = File.ReadAllBytes(mirrored);
            if (!Matches(bytes))
                throw new SiteBuildException($"{mirrored} is not {Name} {Version}: its hash differs from the registry's ({Integrity}). Replace it with the file `npm pack {Name}@{Version}` writes.");
            Store(bytes, cached);
            return bytes;
        }
        var url = Url(sources.Registry);
        byte[] downloaded;
        try
        {
            downloaded = sources.Client.GetByteArrayAsync(url).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            throw new SiteBuildException(
                $"Could not download {Name} {Version} for the course site from {url} ({e.Message}). Without network, put {FileName} "
                + $"(`npm pack {Name}@{Version}` writes it) into {Path.GetDirectoryName(cached)}"
                + (sources.MirrorFolder is null ? "." : $" or {Path.Combine(sources.MirrorFolder, "npm")}."));
        }
        if (!Matches(downloaded))
            throw new SiteBuildException($"The download of {Name} {Version} from {url} does not match the registry's integrity hash {Integrity}; it was not kept. Try again later.");
        Store(downloaded, cached);
        return downloaded;
    }

    /// <summary>True when <paramref name="tarball"/> has the published hash (npm's "sha512-BASE64" form).</summary>
    public bool Matches(byte[] tarball) =>
        Integrity.StartsWith("sha512-", StringComparison.Ordinal)
        && Convert.ToBase64String(SHA512.HashData(tarball)) == Integrity["sha512-".Length..];

    static void Store(byte[] bytes, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.part";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>Where <see cref="NpmPackage"/> looks for tarballs: the cache, an optional mirror, the registry.</summary>
public sealed record PackageSources(string CacheFolder, string? MirrorFolder, string Registry, HttpClient Client)
{
    static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(60) });

    /// <summary>
    /// The workbook's data cache and mirror (the same environment variables and folder as the data sets: see
    /// data/README.md) and the registry npm would use.
    /// </summary>
    public static PackageSources Default()
    {
        var cache = Environment.GetEnvironmentVariable("DLWORKBOOK_DATA_DIR");
        if (string.IsNullOrWhiteSpace(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dlworkbook");
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "notebooks")) && Directory.Exists(Path.Combine(dir.FullName, "data")))
                {
                    cache = Path.Combine(dir.FullName, "data");
                    break;
                }
        }
        var mirror = Environment.GetEnvironmentVariable("DLWORKBOOK_DATA_MIRROR");
        var registry = Environment.GetEnvironmentVariable("npm_config_registry");
        return new PackageSources(Path.GetFullPath(cache), string.IsNullOrWhiteSpace(mirror) ? null : Path.GetFullPath(mirror),
            string.IsNullOrWhiteSpace(registry) ? "https://registry.npmjs.org/" : registry, SharedClient.Value);
    }
}
