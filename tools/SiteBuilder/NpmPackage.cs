using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using DlWorkbook.Runtime;

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
/// a copy enters the cache only after it matched, the way a data set does (<see cref="VerifiedFile"/>).
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
            using var copy = File.OpenRead(mirrored);
            if (!Store(copy, cached))
                throw new SiteBuildException($"{mirrored} is not {Name} {Version}: its hash differs from the registry's ({Integrity}). Replace it with the file `npm pack {Name}@{Version}` writes.");
            return File.ReadAllBytes(cached);
        }
        var url = Url(sources.Registry);
        bool matched;
        try
        {
            using var response = sources.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            using var body = response.Content.ReadAsStream();
            matched = Store(body, cached);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            throw new SiteBuildException(
                $"Could not download {Name} {Version} for the course site from {url} ({e.Message}). Without network, put {FileName} "
                + $"(`npm pack {Name}@{Version}` writes it) into {Path.GetDirectoryName(cached)}"
                + (sources.MirrorFolder is null ? "." : $" or {Path.Combine(sources.MirrorFolder, "npm")}."));
        }
        if (!matched)
            throw new SiteBuildException($"The download of {Name} {Version} from {url} does not match the registry's integrity hash {Integrity}; it was not kept. Try again later.");
        return File.ReadAllBytes(cached);
    }

    /// <summary>Stores <paramref name="source"/> as <paramref name="cached"/> if it has the published hash; false (nothing kept) if not.</summary>
    /// <exception cref="SiteBuildException">The cache folder cannot be written.</exception>
    bool Store(Stream source, string cached)
    {
        var folder = Path.GetDirectoryName(cached)!;
        try
        {
            Directory.CreateDirectory(folder);
            var expected = ExpectedHash;
            return VerifiedFile.Store(source, cached, HashAlgorithmName.SHA512, expected).Hash.AsSpan().SequenceEqual(expected);
        }
        catch (Exception e) when (e is CacheNotWritableException || (e is IOException or UnauthorizedAccessException && !Directory.Exists(folder)))
        {
            throw new SiteBuildException(
                $"Cannot write {FileName} into the cache folder {folder} ({(e.InnerException ?? e).Message}). Fix: set "
                + $"{CacheFolder.DataVariable} to a folder you can write to.");
        }
    }

    /// <summary>The SHA-512 digest the integrity string names; empty when it is not npm's "sha512-BASE64" form.</summary>
    byte[] ExpectedHash => Integrity.StartsWith("sha512-", StringComparison.Ordinal) ? Convert.FromBase64String(Integrity["sha512-".Length..]) : [];

    /// <summary>True when <paramref name="tarball"/> has the published hash (npm's "sha512-BASE64" form).</summary>
    public bool Matches(byte[] tarball) => SHA512.HashData(tarball).AsSpan().SequenceEqual(ExpectedHash);
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
        var registry = Environment.GetEnvironmentVariable("npm_config_registry");
        return new PackageSources(DlWorkbook.Runtime.CacheFolder.Data(), DlWorkbook.Runtime.CacheFolder.Mirror(),
            string.IsNullOrWhiteSpace(registry) ? "https://registry.npmjs.org/" : registry, SharedClient.Value);
    }
}
