using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using DlWorkbook.Runtime;

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
/// cannot reach it by accident. A file under <see cref="AlwaysHashedBelow"/> (Fish.csv, The Time Machine, the label
/// files: 0.2 MB in all, about a millisecond to hash) is hashed at every fetch, so even an edit that keeps its
/// modification time is noticed. For the two image archives (31 MB, about 0.2 s to hash on a slow laptop) a small stamp
/// beside the file (<c>NAME.verified</c>) records the size, modification time and SHA-256 it had when its hash last
/// matched, and only a file whose size or time no longer agrees is hashed again; an edit that keeps both still breaks
/// the archive's own CRC-32, which reading it checks. A cached file that is not the original (another size, or another
/// hash) is kept as <c>NAME.changed</c>, a fresh copy is fetched, and one line says which file and why.
/// Downloads give up after <see cref="DownloadLimits.Response"/> without an answer, <see cref="DownloadLimits.Stall"/>
/// without a byte, or <see cref="DownloadLimits.Total"/> in all; unfinished <c>.part</c> files of a killed run are
/// removed on the next.
/// </remarks>
public sealed class DataCache
{
    const string StampSuffix = ".verified";

    /// <summary>Where a cached file that is not the original is kept when a fresh copy replaces it.</summary>
    internal const string ChangedSuffix = ".changed";

    /// <summary>Files smaller than this (bytes) are hashed at every fetch; larger ones when their size or time changed.</summary>
    internal const long AlwaysHashedBelow = 1 << 20;

    /// <summary>An unfinished download this old and not open in any process is litter from a killed run.</summary>
    static readonly TimeSpan StalePart = TimeSpan.FromMinutes(2);

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan });

    /// <summary>Files whose hash matched in this process, with the size and time they had then.</summary>
    static readonly ConcurrentDictionary<string, (long Size, DateTime Written)> VerifiedThisProcess = new();

    /// <summary>Folders already swept for unfinished downloads in this process.</summary>
    static readonly ConcurrentDictionary<string, bool> Swept = new();

    readonly HttpClient client;

    /// <summary>A cache in <paramref name="folder"/>, filled from <paramref name="mirror"/> when given, else from the network.</summary>
    /// <param name="folder">Cache folder; created on the first fetch.</param>
    /// <param name="mirror">Folder laid out like the cache to copy from; null or empty downloads instead.</param>
    /// <param name="handler">HTTP handler for downloads (tests pass one that never reaches the network).</param>
    public DataCache(string folder, string? mirror = null, HttpMessageHandler? handler = null)
    {
        Folder = Path.GetFullPath(folder);
        Mirror = string.IsNullOrWhiteSpace(mirror) ? null : Path.GetFullPath(mirror);
        client = handler is null ? SharedClient.Value : new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// The cache the data loaders use when none is passed: folder <see cref="DefaultFolder()"/> and mirror
    /// <c>DLWORKBOOK_DATA_MIRROR</c>, both read from the environment at each call.
    /// </summary>
    public static DataCache Default => new(DefaultFolder(), CacheFolder.Mirror());

    /// <summary>The cache folder, absolute (d2l's <c>cache_dir</c>, by default <c>../data</c>).</summary>
    public string Folder { get; }

    /// <summary>The mirror folder (absolute), or null when files are downloaded.</summary>
    public string? Mirror { get; }

    /// <summary>How long a download may wait and take; tests shorten them.</summary>
    internal DownloadLimits Limits { get; init; } = DownloadLimits.Default;

    /// <summary>Where <paramref name="file"/> lives in the cache, whether or not it is there yet.</summary>
    public string PathOf(DataFile file) => Path.Combine(Folder, file.LocalRelativePath);

    /// <summary>True when the cache holds <paramref name="file"/> with the right size and content.</summary>
    public bool Contains(DataFile file) => Check(file, PathOf(file)) == CachedState.Verified;

    /// <summary>
    /// The local path of <paramref name="file"/>, fetching it first when the cache lacks it or holds a changed copy:
    /// copied from the mirror when one is set, else downloaded (with progress in a notebook or on the console).
    /// Counterpart of <c>d2l.download(name)</c>.
    /// </summary>
    /// <exception cref="DataSetException">
    /// The file could not be fetched (no network, not in the mirror, cache folder not writable) or its SHA-256 did
    /// not match; nothing was written to the cache in either case.
    /// </exception>
    public string Fetch(DataFile file)
    {
        var target = PathOf(file);
        SweepUnfinished(target);
        var state = Check(file, target, out var difference);
        if (state == CachedState.Verified) return target;
        if (state == CachedState.Changed)
            Console.Out.WriteLine(
                $"Note: the cached {file.DataSet} file {target} is not the original ({difference}): it was edited, replaced or "
                + $"damaged, so {KeepChanged(target)} and a fresh copy is fetched.");
        CreateFolder(Path.GetDirectoryName(target)!);
        if (Mirror is not null) CopyFromMirror(file, target);
        else Download(file, target);
        return target;
    }

    /// <summary>
    /// The cache folder used when none is given (<see cref="CacheFolder.Data()"/>): <c>DLWORKBOOK_DATA_DIR</c> if set;
    /// else the workbook's <c>data/</c> folder; else the system's cache folder (<c>~/.cache/dlworkbook</c> on Linux).
    /// </summary>
    internal static string DefaultFolder() => CacheFolder.Data();

    enum CachedState { Missing, Verified, Changed }

    CachedState Check(DataFile file, string target) => Check(file, target, out _);

    /// <summary>
    /// Whether the cached copy is the original: its size is right and its SHA-256 matches, or, for a file of at least
    /// <see cref="AlwaysHashedBelow"/> bytes, its size and time agree with this process's memory or with its stamp.
    /// A match renews the stamp; <paramref name="difference"/> says how a changed copy differs.
    /// </summary>
    static CachedState Check(DataFile file, string target, out string difference)
    {
        difference = "";
        var info = new FileInfo(target);
        if (!info.Exists) return CachedState.Missing;
        if (info.Length != file.Size)
        {
            difference = string.Create(Inv, $"{info.Length:N0} bytes, expected {file.Size:N0}");
            return CachedState.Changed;
        }
        var seen = (info.Length, info.LastWriteTimeUtc);
        var stamp = Stamp(file.Sha256, seen.Length, seen.LastWriteTimeUtc);
        var stamped = ReadStamp(target + StampSuffix) == stamp;
        if (file.Size >= AlwaysHashedBelow)
        {
            if (VerifiedThisProcess.TryGetValue(target, out var known) && known == seen) return CachedState.Verified;
            if (stamped)
            {
                VerifiedThisProcess[target] = seen;
                return CachedState.Verified;
            }
        }
        var actualSha256 = Convert.ToHexStringLower(VerifiedFile.HashOf(target, HashAlgorithmName.SHA256));
        if (actualSha256 != file.Sha256)
        {
            difference = $"the same size, but its SHA-256 is {actualSha256}, expected {file.Sha256}";
            return CachedState.Changed;
        }
        if (!stamped) WriteStamp(target, file.Sha256, seen.Length, seen.LastWriteTimeUtc);
        return CachedState.Verified;
    }

    /// <summary>Moves a changed cached file to <c>NAME.changed</c> (replacing an older one); says where, or that it is overwritten.</summary>
    static string KeepChanged(string target)
    {
        var kept = target + ChangedSuffix;
        try
        {
            File.Move(target, kept, overwrite: true);
            return $"it is kept as {Path.GetFileName(kept)}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "it is overwritten";
        }
    }

    static string Stamp(string sha256, long size, DateTime written) =>
        string.Create(Inv, $"{sha256} {size} {written.Ticks}");

    static string? ReadStamp(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records that <paramref name="target"/> had this hash at this size and time; a cache that cannot be written keeps it in memory only.</summary>
    static void WriteStamp(string target, string sha256, long size, DateTime written)
    {
        VerifiedThisProcess[target] = (size, written);
        var temp = VerifiedFile.TemporaryPath(target + StampSuffix);
        try
        {
            File.WriteAllText(temp, Stamp(sha256, size, written));
            File.Move(temp, target + StampSuffix, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            VerifiedFile.TryDelete(temp);
        }
    }

    /// <summary>
    /// Removes unfinished downloads (<c>NAME.*.part</c>) that a killed run left beside <paramref name="target"/>: only those
    /// no process has open (a live download holds its file locked) and not written to for <see cref="StalePart"/>.
    /// </summary>
    static void SweepUnfinished(string target)
    {
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder) || !Swept.TryAdd(target, true)) return;
        foreach (var part in Directory.EnumerateFiles(folder, Path.GetFileName(target) + ".*" + VerifiedFile.PartSuffix))
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(part) < StalePart) continue;
                using (new FileStream(part, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                File.Delete(part);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // In use by another process, or not ours to delete: leave it.
            }
        }
    }

    void CreateFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(folder, e);
        }
    }

    void CopyFromMirror(DataFile file, string target)
    {
        var source = Path.Combine(Mirror!, file.LocalRelativePath);
        if (!File.Exists(source))
            throw new DataSetException(
                $"Could not get the {file.DataSet} file {file.FileName}: {CacheFolder.MirrorVariable} is set to {Mirror}, "
                + $"but {source} does not exist. Copy the file there (it comes from {file.Urls[0]}), "
                + $"or unset {CacheFolder.MirrorVariable} to download it.");
        using var stream = File.OpenRead(source);
        var (sha256, size) = StoreVerified(stream, target, file.Sha256, progress: null, Limits, CancellationToken.None);
        if (sha256 != file.Sha256)
            throw Mismatch(file, sha256, size, $"the mirror ({source})",
                $"Replace {source} with the original from {file.Urls[0]}.");
    }

    void Download(DataFile file, string target)
    {
        var failures = new List<string>();
        DataSetException? mismatch = null;
        var stop = KernelStop.Token;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(Limits.Total);
        foreach (var url in file.Urls)
        {
            var host = new Uri(url).Host;
            var progress = DownloadProgress.Start($"Downloading {file.DataSet} {file.FileName} from {host}", file.Size);
            long received = 0;
            try
            {
                using var response = Send(url, deadline.Token);
                response.EnsureSuccessStatusCode();
                using var stream = response.Content.ReadAsStream();
                var (sha256, size) = StoreVerified(stream, target, file.Sha256, progress, Limits, deadline.Token, bytes => received = bytes);
                if (sha256 == file.Sha256)
                {
                    progress.Finish(size);
                    return;
                }
                progress.Finish(size, "failed: wrong checksum");
                mismatch ??= Mismatch(file, sha256, size, url,
                    $"The server sent a different file (an error page, or a changed upstream). Try again later, or set {CacheFolder.MirrorVariable} to a folder with a good copy.");
            }
            catch (DownloadStalledException e)
            {
                progress.Finish(received, "failed: stalled");
                failures.Add($"{url}: {e.Message}");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                progress.Finish(received, "stopped");
                throw new OperationCanceledException(
                    $"Stopped downloading {file.DataSet} {file.FileName}: you pressed Stop (or the cell was cancelled). "
                    + "Nothing half-downloaded was kept; run the cell again to download the file.", stop);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                progress.Finish(received, "failed: too slow");
                failures.Add(string.Create(Inv,
                    $"{url}: not finished after {Limits.Total.TotalSeconds:0.#} s ({received:N0} of {file.Size:N0} bytes), the time allowed for one file"));
                break;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or NotSupportedException)
            {
                progress.Finish(received, "failed");
                failures.Add($"{url}: {e.Message}");
            }
        }
        throw mismatch ?? NoNetwork(file, target, failures);
    }

    /// <summary>Sends the request and waits for the response headers, at most <see cref="DownloadLimits.Response"/>.</summary>
    HttpResponseMessage Send(string url, CancellationToken deadline)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        wait.CancelAfter(Limits.Response);
        try
        {
            return client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead, wait.Token)
                .GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested && !deadline.IsCancellationRequested)
        {
            throw new HttpRequestException(string.Create(Inv,
                $"no answer within {Limits.Response.TotalSeconds:0.#} s (the network is down, or a firewall drops the connection)"));
        }
    }

    /// <summary>
    /// Stores <paramref name="source"/> as <paramref name="target"/> when its SHA-256 is <paramref name="expected"/>
    /// (<see cref="VerifiedFile.Store"/>: nothing is kept otherwise) and stamps it; returns the hash and size it had.
    /// </summary>
    (string Sha256, long Size) StoreVerified(Stream source, string target, string expected, DownloadProgress? progress,
        DownloadLimits limits, CancellationToken deadline, Action<long>? received = null)
    {
        try
        {
            var (hash, size) = VerifiedFile.Store(source, target, HashAlgorithmName.SHA256, Convert.FromHexString(expected),
                bytes =>
                {
                    received?.Invoke(bytes);
                    progress?.Report(bytes);
                },
                limits.Stall, deadline);
            var sha256 = Convert.ToHexStringLower(hash);
            if (sha256 == expected) WriteStamp(target, sha256, size, File.GetLastWriteTimeUtc(target));
            return (sha256, size);
        }
        catch (CacheNotWritableException e)
        {
            throw NotWritable(e.Folder, e.InnerException!);
        }
    }

    DataSetException NotWritable(string folder, Exception e) =>
        new($"Cannot write to the data cache folder {folder} ({e.Message}). Choose a folder you can write to: set the "
            + $"environment variable {CacheFolder.DataVariable} to it before the first load (in a notebook: "
            + $"Environment.SetEnvironmentVariable(\"{CacheFolder.DataVariable}\", \"/path/to/folder\")), or pass new DataCache(\"/path/to/folder\") "
            + "to the loader.", e);

    static DataSetException Mismatch(DataFile file, string actualSha256, long actualSize, string origin, string advice) =>
        new(string.Create(Inv,
            $"The {file.DataSet} file {file.FileName} from {origin} is not the expected file: its SHA-256 is {actualSha256} "
            + $"({actualSize:N0} bytes), expected {file.Sha256} ({file.Size:N0} bytes). The bad copy was not kept. {advice}"));

    DataSetException NoNetwork(DataFile file, string target, IEnumerable<string> failures) =>
        new($"Could not download the {file.DataSet} file {file.FileName} ({string.Join("; ", failures)}). "
            + $"Without network, set the environment variable {CacheFolder.MirrorVariable} to a folder that holds a copy of the data "
            + $"laid out like the cache ({file.RelativePath}), or download {file.Urls[0]} by hand and save it as {target}.");
}

/// <summary>How long a download may take: a learner's cell must fail with a message, not wait forever.</summary>
/// <param name="Response">From sending the request to the response headers (covers a network that drops packets).</param>
/// <param name="Stall">Longest wait for the next bytes of the body.</param>
/// <param name="Total">Everything for one file, over all its addresses.</param>
internal sealed record DownloadLimits(TimeSpan Response, TimeSpan Stall, TimeSpan Total)
{
    /// <summary>20 s to answer, 30 s without a byte, 15 minutes per file (26 MB at 30 kB/s).</summary>
    public static DownloadLimits Default { get; } = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15));
}
