using System.Globalization;
using System.Security.Cryptography;

namespace DlWorkbook.Data;

/// <summary>
/// The folder where data sets are kept after their first download, and the code that fills it.
/// Counterpart of d2l's <c>download(name, cache_dir='../data')</c>, with two differences: a file enters the
/// cache only after its SHA-256 matched (it is written to a temporary file first and renamed), and a mirror
/// folder can stand in for the network.
/// </summary>
/// <remarks>
/// The cache and the mirror have the same layout: <c>Fish.csv</c>, <c>timemachine.txt</c>,
/// <c>fashion-mnist/*.gz</c>. When <see cref="Mirror"/> is set the network is never used, so tests and CI
/// cannot reach it by accident. A file already in the cache is checked by its size only: its hash was checked
/// when it came in, and hashing 26 MB on every load would cost more than the rest of loading.
/// </remarks>
public sealed class DataCache
{
    /// <summary>Environment variable naming a local folder to copy data files from instead of downloading them.</summary>
    public const string MirrorVariable = "DLWORKBOOK_DATA_MIRROR";

    /// <summary>Environment variable overriding the cache folder.</summary>
    public const string FolderVariable = "DLWORKBOOK_DATA_DIR";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient());
    readonly HttpClient client;

    /// <summary>A cache in <paramref name="folder"/>, filled from <paramref name="mirror"/> when given, else from the network.</summary>
    /// <param name="folder">Cache folder; created on the first fetch.</param>
    /// <param name="mirror">Folder laid out like the cache to copy from; null or empty downloads instead.</param>
    /// <param name="handler">HTTP handler for downloads (tests pass one that never reaches the network).</param>
    public DataCache(string folder, string? mirror = null, HttpMessageHandler? handler = null)
    {
        Folder = Path.GetFullPath(folder);
        Mirror = string.IsNullOrWhiteSpace(mirror) ? null : Path.GetFullPath(mirror);
        client = handler is null ? SharedClient.Value : new HttpClient(handler, disposeHandler: false);
    }

    /// <summary>
    /// The cache the data loaders use when none is passed: folder <see cref="DefaultFolder()"/> and mirror
    /// <c>DLWORKBOOK_DATA_MIRROR</c>, both read from the environment at each call.
    /// </summary>
    public static DataCache Default => new(DefaultFolder(), Environment.GetEnvironmentVariable(MirrorVariable));

    /// <summary>The cache folder, absolute (d2l's <c>cache_dir</c>, by default <c>../data</c>).</summary>
    public string Folder { get; }

    /// <summary>The mirror folder (absolute), or null when files are downloaded.</summary>
    public string? Mirror { get; }

    /// <summary>Where <paramref name="file"/> lives in the cache, whether or not it is there yet.</summary>
    public string PathOf(DataFile file) => Path.Combine(Folder, file.LocalRelativePath);

    /// <summary>True when the cache holds <paramref name="file"/> with the right size.</summary>
    public bool Contains(DataFile file) => HasSize(PathOf(file), file.Size);

    /// <summary>
    /// The local path of <paramref name="file"/>, fetching it first when the cache lacks it: copied from the
    /// mirror when one is set, else downloaded (with progress in a notebook or on the console).
    /// Counterpart of <c>d2l.download(name)</c>.
    /// </summary>
    /// <exception cref="DataSetException">
    /// The file could not be fetched (no network, not in the mirror) or its SHA-256 did not match; nothing
    /// was written to the cache in either case.
    /// </exception>
    public string Fetch(DataFile file)
    {
        var target = PathOf(file);
        if (HasSize(target, file.Size)) return target;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (Mirror is not null) CopyFromMirror(file, target);
        else Download(file, target);
        return target;
    }

    /// <summary>
    /// The cache folder used when none is given: <c>DLWORKBOOK_DATA_DIR</c> if set; else the <c>data/</c> folder
    /// of the workbook, found by walking up from the current directory to the first folder that holds both
    /// <c>notebooks/</c> and <c>data/</c> (a notebook runs in <c>notebooks/</c>); else <c>~/.cache/dlworkbook</c>.
    /// </summary>
    public static string DefaultFolder() =>
        DefaultFolder(Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable(FolderVariable));

    internal static string DefaultFolder(string startDirectory, string? overridden)
    {
        if (!string.IsNullOrWhiteSpace(overridden)) return Path.GetFullPath(overridden);
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "notebooks")) && Directory.Exists(Path.Combine(dir.FullName, "data")))
                return Path.Combine(dir.FullName, "data");
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dlworkbook");
    }

    void CopyFromMirror(DataFile file, string target)
    {
        var source = Path.Combine(Mirror!, file.LocalRelativePath);
        if (!File.Exists(source))
            throw new DataSetException(
                $"Could not get the {file.DataSet} file {file.FileName}: {MirrorVariable} is set to {Mirror}, "
                + $"but {source} does not exist. Copy the file there (it comes from {file.Urls[0]}), "
                + $"or unset {MirrorVariable} to download it.");
        using var stream = File.OpenRead(source);
        var (sha256, size) = StoreVerified(stream, target, file.Sha256, progress: null);
        if (sha256 != file.Sha256)
            throw Mismatch(file, sha256, size, $"the mirror ({source})",
                $"Replace {source} with the original from {file.Urls[0]}.");
    }

    void Download(DataFile file, string target)
    {
        var failures = new List<string>();
        DataSetException? mismatch = null;
        foreach (var url in file.Urls)
        {
            try
            {
                using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                using var stream = response.Content.ReadAsStream();
                var progress = DownloadProgress.Start($"Downloading {file.DataSet} {file.FileName}", response.Content.Headers.ContentLength ?? file.Size);
                var (sha256, size) = StoreVerified(stream, target, file.Sha256, progress);
                if (sha256 == file.Sha256)
                {
                    progress.Finish(size);
                    return;
                }
                progress.Finish(size, "failed: wrong checksum");
                mismatch ??= Mismatch(file, sha256, size, url,
                    $"The server sent a different file (an error page, or a changed upstream). Try again later, or set {MirrorVariable} to a folder with a good copy.");
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or NotSupportedException)
            {
                failures.Add($"{url}: {e.Message}");
            }
        }
        throw mismatch ?? NoNetwork(file, target, failures);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to a temporary file beside <paramref name="target"/> while hashing it,
    /// and renames it to the target only if its hash is <paramref name="expected"/>; otherwise the temporary file is deleted.
    /// </summary>
    static (string Sha256, long Size) StoreVerified(Stream source, string target, string expected, DownloadProgress? progress)
    {
        var temp = $"{target}.{Guid.NewGuid():N}.part";
        try
        {
            var (sha256, size) = CopyHashing(source, temp, progress);
            if (sha256 == expected) File.Move(temp, target, overwrite: true);
            return (sha256, size);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    static (string Sha256, long Size) CopyHashing(Stream source, string destination, DownloadProgress? progress)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        var buffer = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            hash.AppendData(buffer.AsSpan(0, read));
            output.Write(buffer, 0, read);
            size += read;
            progress?.Report(size);
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    static bool HasSize(string path, long size) => new FileInfo(path) is { Exists: true } info && info.Length == size;

    static DataSetException Mismatch(DataFile file, string actualSha256, long actualSize, string origin, string advice) =>
        new(string.Create(Inv,
            $"The {file.DataSet} file {file.FileName} from {origin} is not the expected file: its SHA-256 is {actualSha256} "
            + $"({actualSize:N0} bytes), expected {file.Sha256} ({file.Size:N0} bytes). The bad copy was not kept. {advice}"));

    DataSetException NoNetwork(DataFile file, string target, IEnumerable<string> failures) =>
        new($"Could not download the {file.DataSet} file {file.FileName} ({string.Join("; ", failures)}). "
            + $"Without network, set the environment variable {MirrorVariable} to a folder that holds a copy of the data "
            + $"laid out like the cache ({file.RelativePath}), or download {file.Urls[0]} by hand and save it as {target}.");
}
