using System.Net;
using System.Security.Cryptography;
using System.Text;
using DlWorkbook.Data;
using DlWorkbook.Runtime;

namespace DlWorkbook.Tests.Data;

public class DataCacheTests
{
    static readonly byte[] Content = Encoding.ASCII.GetBytes("species,weight\nbream,242\n");
    static readonly DataFile Fake = new("Fake fish", "sub/fake.csv", Content.Length,
        Convert.ToHexStringLower(SHA256.HashData(Content)), ["http://unreachable.invalid/fake.csv", "http://second.invalid/fake.csv"]);

    [Fact]
    public void ManifestAgreesWithTheSharedChecksumFile()
    {
        var sums = File.ReadAllLines(Path.Combine(TestData.Mirror, "SHA256SUMS"))
            .Select(l => l.Split("  ", 2)).ToDictionary(p => p[1].TrimStart('*'), p => p[0]);
        foreach (var file in DataManifest.All)
        {
            Assert.Equal(sums[file.RelativePath], file.Sha256);
            Assert.Equal(new FileInfo(Path.Combine(TestData.Mirror, file.RelativePath)).Length, file.Size);
        }
    }

    [Fact]
    public void FetchCopiesFromTheMirrorOnceAndReusesTheCachedFile()
    {
        using var mirror = new TempFolder();
        using var cache = new TempFolder();
        Directory.CreateDirectory(mirror.File("sub"));
        File.WriteAllBytes(mirror.File("sub/fake.csv"), Content);
        var data = new DataCache(cache.Path, mirror.Path, new FailingHandler());

        var path = data.Fetch(Fake);
        Assert.Equal(cache.File(Path.Combine("sub", "fake.csv")), path);
        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.True(data.Contains(Fake));

        File.Delete(mirror.File("sub/fake.csv"));
        Assert.Equal(path, data.Fetch(Fake));
        Assert.Equal([Path.Combine("sub", "fake.csv"), Path.Combine("sub", "fake.csv.verified")], cache.Files().Order());
    }

    [Fact]
    public void ChecksumMismatchKeepsNothingAndNamesBothHashes()
    {
        using var mirror = new TempFolder();
        using var cache = new TempFolder();
        Directory.CreateDirectory(mirror.File("sub"));
        var bad = Encoding.ASCII.GetBytes("species,weight\nbream,999\n");
        File.WriteAllBytes(mirror.File("sub/fake.csv"), bad);

        var e = Assert.Throws<DataSetException>(() => new DataCache(cache.Path, mirror.Path).Fetch(Fake));
        Assert.Contains(Fake.Sha256, e.Message);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(bad)), e.Message);
        Assert.Contains("Fake fish", e.Message);
        Assert.Contains("not kept", e.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void MissingFileWithoutNetworkNamesTheDataSetTheUrlAndTheMirrorSetting()
    {
        using var cache = new TempFolder();
        var handler = new FailingHandler();

        var e = Assert.Throws<DataSetException>(() => new DataCache(cache.Path, mirror: null, handler).Fetch(Fake));
        Assert.Contains("Fake fish", e.Message);
        Assert.Contains("fake.csv", e.Message);
        Assert.Contains(Fake.Urls[0], e.Message);
        Assert.Contains(CacheFolder.MirrorVariable, e.Message);
        Assert.Equal(2, handler.Requests);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void FileMissingFromTheMirrorIsAnErrorAndTheNetworkIsNotTried()
    {
        using var mirror = new TempFolder();
        using var cache = new TempFolder();
        var handler = new FailingHandler();

        var e = Assert.Throws<DataSetException>(() => new DataCache(cache.Path, mirror.Path, handler).Fetch(Fake));
        Assert.Contains(CacheFolder.MirrorVariable, e.Message);
        Assert.Contains(mirror.File(Path.Combine("sub", "fake.csv")), e.Message);
        Assert.Contains(Fake.Urls[0], e.Message);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public void DownloadIsVerifiedAndRenamedIntoPlace()
    {
        using var cache = new TempFolder();
        var handler = new ServingHandler(Content);

        var path = new DataCache(cache.Path, mirror: null, handler).Fetch(Fake);

        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.Equal([Path.Combine("sub", "fake.csv"), Path.Combine("sub", "fake.csv.verified")], cache.Files().Order());
    }

    [Fact]
    public void DownloadWithTheWrongContentIsNotKept()
    {
        using var cache = new TempFolder();
        var handler = new ServingHandler(Encoding.ASCII.GetBytes("<html>Not found</html>"));

        var e = Assert.Throws<DataSetException>(() => new DataCache(cache.Path, mirror: null, handler).Fetch(Fake));

        Assert.Contains(Fake.Sha256, e.Message);
        Assert.Contains(Fake.Urls[0], e.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void AnIncompleteCachedFileIsFetchedAgain()
    {
        using var mirror = new TempFolder();
        using var cache = new TempFolder();
        Directory.CreateDirectory(mirror.File("sub"));
        Directory.CreateDirectory(cache.File("sub"));
        File.WriteAllBytes(mirror.File("sub/fake.csv"), Content);
        File.WriteAllBytes(cache.File("sub/fake.csv"), Content[..5]);

        var path = new DataCache(cache.Path, mirror.Path).Fetch(Fake);

        Assert.Equal(Content, File.ReadAllBytes(path));
    }

    [Fact]
    public void DefaultFolderIsTheWorkbookDataFolderFoundFromANotebookFolder()
    {
        using var root = new TempFolder();
        Directory.CreateDirectory(root.File("notebooks/part1"));
        Directory.CreateDirectory(root.File("data"));

        Assert.Equal(root.File("data"), CacheFolder.Data(root.File("notebooks/part1"), overridden: null));
        Assert.Equal(root.File("elsewhere"), CacheFolder.Data(root.File("notebooks"), overridden: root.File("elsewhere")));
    }

    [Fact]
    public void DefaultFolderOutsideAWorkbookIsTheUserCache()
    {
        using var root = new TempFolder();

        var folder = CacheFolder.Data(root.Path, overridden: null);

        Assert.Equal(DlWorkbook.Runtime.CacheFolder.Default(), folder);
    }

    /// <summary>Stands for a machine without network: every request fails the way a DNS failure does.</summary>
    sealed class FailingHandler : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            throw new HttpRequestException($"Name or service not known ({request.RequestUri!.Host}:80)");
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));
    }

    /// <summary>A server that answers every request with the same bytes.</summary>
    sealed class ServingHandler(byte[] body) : HttpMessageHandler
    {
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));
    }
}
