using System.Globalization;
using System.Security.Cryptography;

namespace DlWorkbook.Runtime;

/// <summary>
/// The one way a fetched file enters a cache folder (the data sets' <c>DataCache</c>, the course site's npm tarballs): it
/// is copied from a mirror folder or a download stream into a temporary file beside its place while it is hashed, and
/// renamed into place only when the hash is the expected one. A reader never sees half a file, and a wrong file is never kept.
/// </summary>
internal static class VerifiedFile
{
    /// <summary>The suffix of a file still being written; a killed run leaves it behind, never the file itself.</summary>
    internal const string PartSuffix = ".part";

    /// <summary>The hash of a file on disk.</summary>
    public static byte[] HashOf(string path, HashAlgorithmName algorithm)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var hash = IncrementalHash.CreateHash(algorithm);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0) hash.AppendData(buffer.AsSpan(0, read));
        return hash.GetHashAndReset();
    }

    /// <summary>The temporary name a file is written under beside <paramref name="target"/>: <c>NAME.&lt;guid&gt;.part</c>.</summary>
    public static string TemporaryPath(string target) => $"{target}.{Guid.NewGuid():N}{PartSuffix}";

    /// <summary>
    /// Copies <paramref name="source"/> to a temporary file beside <paramref name="target"/> while hashing it, and renames it
    /// to <paramref name="target"/> (replacing a file there) only if its hash is <paramref name="expected"/>; otherwise,
    /// and on any failure, the temporary file is deleted. Returns the hash and the size read, so the caller can say how a
    /// wrong file differs.
    /// </summary>
    /// <param name="source">The mirror's file or the response body.</param>
    /// <param name="target">The file's place in the cache; its folder must exist.</param>
    /// <param name="algorithm">The hash the expected value is of (SHA-256 for the data sets, SHA-512 for npm tarballs).</param>
    /// <param name="expected">The expected hash.</param>
    /// <param name="received">Told the bytes received so far after each chunk (a download's progress).</param>
    /// <param name="stall">Longest wait for the next bytes of a network stream; null waits as long as the stream does.</param>
    /// <param name="deadline">Cancels the copy (a learner's Stop, or a download's overall time limit).</param>
    /// <exception cref="CacheNotWritableException">The temporary file could not be created or renamed into place.</exception>
    /// <exception cref="DownloadStalledException">No byte arrived for <paramref name="stall"/>.</exception>
    public static (byte[] Hash, long Size) Store(Stream source, string target, HashAlgorithmName algorithm, ReadOnlySpan<byte> expected,
        Action<long>? received = null, TimeSpan? stall = null, CancellationToken deadline = default)
    {
        var temp = TemporaryPath(target);
        try
        {
            var (hash, size) = CopyHashing(source, temp, algorithm, received, stall, deadline);
            if (hash.AsSpan().SequenceEqual(expected))
            {
                try
                {
                    File.Move(temp, target, overwrite: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CacheNotWritableException(Path.GetDirectoryName(Path.GetFullPath(target))!, e);
                }
            }
            return (hash, size);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    static (byte[] Hash, long Size) CopyHashing(Stream source, string destination, HashAlgorithmName algorithm, Action<long>? received,
        TimeSpan? stall, CancellationToken deadline)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        FileStream output;
        try
        {
            // FileShare.None also locks the file against other processes, which tells a sweep of unfinished files it is in use.
            output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileNotFoundException)
        {
            throw new CacheNotWritableException(Path.GetDirectoryName(Path.GetFullPath(destination))!, e);
        }
        using (output)
        {
            var buffer = new byte[1 << 16];
            long size = 0;
            int read;
            while ((read = ReadChunk(source, buffer, size, stall, deadline)) > 0)
            {
                hash.AppendData(buffer.AsSpan(0, read));
                output.Write(buffer, 0, read);
                size += read;
                received?.Invoke(size);
            }
            return (hash.GetHashAndReset(), size);
        }
    }

    /// <summary>One read that fails when no byte arrives for <paramref name="stall"/> (a file stream never waits).</summary>
    static int ReadChunk(Stream source, byte[] buffer, long sofar, TimeSpan? stall, CancellationToken deadline)
    {
        if (source is FileStream || stall is null) return source.Read(buffer);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        wait.CancelAfter(stall.Value);
        try
        {
            return source.ReadAsync(buffer, wait.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
        {
            throw new DownloadStalledException(string.Create(CultureInfo.InvariantCulture,
                $"the server stopped sending after {sofar:N0} bytes (nothing for {stall.Value.TotalSeconds:0.#} s)"));
        }
    }

    /// <summary>Deletes a file if it is there; one that cannot be deleted is left for the next run's sweep.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next run's sweep.
        }
    }
}

/// <summary>A cache folder's file could not be created or replaced; the caller names the folder and how to choose another.</summary>
/// <param name="folder">The folder that could not be written.</param>
/// <param name="inner">The system's reason.</param>
internal sealed class CacheNotWritableException(string folder, Exception inner) : Exception($"Cannot write to {folder}: {inner.Message}", inner)
{
    /// <summary>The folder that could not be written.</summary>
    public string Folder { get; } = folder;
}

/// <summary>A download stopped sending: no byte arrived within the time allowed.</summary>
internal sealed class DownloadStalledException(string message) : IOException(message);
