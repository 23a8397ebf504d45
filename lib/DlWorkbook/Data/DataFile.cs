namespace DlWorkbook.Data;

/// <summary>
/// One file of a public data set: where it sits in the cache, where it comes from and how to check it.
/// Counterpart of an entry of d2l's <c>DATA_HUB</c> (<c>name → (url, sha1)</c>), with SHA-256 and the size added.
/// </summary>
/// <param name="DataSet">The data set's name as a learner knows it, for messages ("Fashion-MNIST").</param>
/// <param name="RelativePath">Path inside the cache and inside a mirror folder, with '/' separators ("fashion-mnist/t10k-labels-idx1-ubyte.gz").</param>
/// <param name="Size">Exact size in bytes.</param>
/// <param name="Sha256">Expected SHA-256 of the file, lower-case hex.</param>
/// <param name="Urls">Upstream addresses, tried in order.</param>
public sealed record DataFile(string DataSet, string RelativePath, long Size, string Sha256, IReadOnlyList<string> Urls)
{
    /// <summary>The file name without folders ("Fish.csv").</summary>
    public string FileName => Path.GetFileName(RelativePath);

    /// <summary>The relative path with the platform's separators, for joining to a folder.</summary>
    internal string LocalRelativePath => RelativePath.Replace('/', Path.DirectorySeparatorChar);
}
