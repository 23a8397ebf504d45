using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using SiteBuilder;

namespace DlWorkbook.Tests.Site;

public class NpmPackageTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("dlw-npm-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>A registry that serves one tarball and counts the requests.</summary>
    sealed class FakeRegistry(byte[]? body) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!.ToString());
            if (body is null) throw new HttpRequestException("no network");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });
        }
    }

    static byte[] Tarball()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
            foreach (var (name, text) in new[] { ("package/dist/demo.min.js", "var demo;"), ("package/README.md", "readme") })
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        return buffer.ToArray();
    }

    static NpmPackage Package(byte[] tarball) => new("demo", "1.0.0", "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball)));

    PackageSources Sources(FakeRegistry registry, string? mirror = null) =>
        new(Path.Combine(root, "cache"), mirror, "https://registry.example/", new HttpClient(registry));

    [Fact]
    public void ADownloadIsCheckedCachedAndThenUsedWithoutTheNetwork()
    {
        var tarball = Tarball();
        var online = new FakeRegistry(tarball);

        var files = Package(tarball).Files(p => p.StartsWith("dist/"), Sources(online));

        Assert.Equal(["https://registry.example/demo/-/demo-1.0.0.tgz"], online.Requests);
        Assert.Equal("var demo;", Encoding.UTF8.GetString(Assert.Single(files, f => f.Key == "dist/demo.min.js").Value));
        Assert.True(File.Exists(Path.Combine(root, "cache", "npm", "demo-1.0.0.tgz")));
        var offline = new FakeRegistry(null);
        Assert.Single(Package(tarball).Files(p => p == "README.md", Sources(offline)));
        Assert.Empty(offline.Requests);
    }

    [Fact]
    public void ATarballWithTheWrongHashIsRejectedAndNotCached()
    {
        var package = Package(Tarball());
        var tampered = Tarball().Concat(new byte[] { 0 }).ToArray();

        var e = Assert.Throws<SiteBuildException>(() => package.Fetch(Sources(new FakeRegistry(tampered))));

        Assert.Contains("does not match the registry's integrity hash", e.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "cache", "npm")) && Directory.EnumerateFiles(Path.Combine(root, "cache", "npm")).Any());
    }

    [Fact]
    public void AMirrorStandsInForTheNetwork()
    {
        var tarball = Tarball();
        var mirror = Path.Combine(root, "mirror");
        Directory.CreateDirectory(Path.Combine(mirror, "npm"));
        File.WriteAllBytes(Path.Combine(mirror, "npm", "demo-1.0.0.tgz"), tarball);
        var offline = new FakeRegistry(null);

        Assert.Equal(tarball, Package(tarball).Fetch(Sources(offline, mirror)));
        Assert.Empty(offline.Requests);
    }

    [Fact]
    public void WithoutNetworkTheErrorSaysWhereToPutTheFile()
    {
        var e = Assert.Throws<SiteBuildException>(() => Package(Tarball()).Fetch(Sources(new FakeRegistry(null))));
        Assert.Contains("Could not download demo 1.0.0 for the course site from https://registry.example/demo/-/demo-1.0.0.tgz (no network)", e.Message);
        Assert.Contains($"put demo-1.0.0.tgz (`npm pack demo@1.0.0` writes it) into {Path.Combine(root, "cache", "npm")}", e.Message);
    }
}
