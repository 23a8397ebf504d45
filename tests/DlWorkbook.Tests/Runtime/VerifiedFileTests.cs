using System.Security.Cryptography;
using System.Text;
using DlWorkbook.Runtime;

namespace DlWorkbook.Tests.Runtime;

public class VerifiedFileTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("dlw-verified-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static readonly byte[] Content = Encoding.UTF8.GetBytes("the original file");

    static MemoryStream Source() => new(Content);

    [Fact]
    public void AFileWithTheExpectedHashReplacesTheCachedOneAndLeavesNoPartFile()
    {
        var target = Path.Combine(root, "data.bin");
        File.WriteAllText(target, "an older copy");
        var received = new List<long>();

        var (hash, size) = VerifiedFile.Store(Source(), target, HashAlgorithmName.SHA256, SHA256.HashData(Content), received.Add);

        Assert.Equal(SHA256.HashData(Content), hash);
        Assert.Equal(Content.Length, size);
        Assert.Equal([(long)Content.Length], received);
        Assert.Equal(Content, File.ReadAllBytes(target));
        Assert.Equal(["data.bin"], Directory.GetFiles(root).Select(Path.GetFileName));
    }

    [Fact]
    public void AFileWithAnotherHashIsNotKeptAndTheCachedOneStays()
    {
        var target = Path.Combine(root, "data.bin");
        File.WriteAllText(target, "an older copy");
        var expected = SHA512.HashData(Encoding.UTF8.GetBytes("some other file"));

        var (hash, size) = VerifiedFile.Store(Source(), target, HashAlgorithmName.SHA512, expected);

        Assert.Equal(SHA512.HashData(Content), hash);   // what arrived, for the caller's message
        Assert.Equal(Content.Length, size);
        Assert.Equal("an older copy", File.ReadAllText(target));
        Assert.Equal(["data.bin"], Directory.GetFiles(root).Select(Path.GetFileName));
    }

    [Fact]
    public void AFolderThatCannotBeWrittenIsNamed()
    {
        var missing = Path.Combine(root, "no-such-folder");

        var e = Assert.Throws<CacheNotWritableException>(() =>
            VerifiedFile.Store(Source(), Path.Combine(missing, "data.bin"), HashAlgorithmName.SHA256, SHA256.HashData(Content)));

        Assert.Equal(missing, e.Folder);
        Assert.IsAssignableFrom<IOException>(e.InnerException);
        Assert.Empty(Directory.GetFiles(root));
    }

    [Fact]
    public void HashOfReadsTheFileOnDisk()
    {
        var path = Path.Combine(root, "data.bin");
        File.WriteAllBytes(path, Content);

        Assert.Equal(SHA256.HashData(Content), VerifiedFile.HashOf(path, HashAlgorithmName.SHA256));
    }
}
