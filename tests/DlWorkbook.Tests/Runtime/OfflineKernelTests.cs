using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using DlWorkbook.Runtime;

namespace DlWorkbook.Tests.Runtime;

/// <summary>
/// A notebook's first cell, <c>#r "nuget: DlWorkbook, *-*"</c>, resolves the course library from packages/ alone: the
/// kernel starts with no network once setup has run, a DlWorkbook on nuget.org is never asked for, and before setup the
/// cell fails with one sentence naming the setup command. The kernel runs are real (dotnet-interactive through
/// tools/NotebookRunner) inside a network namespace with no network.
/// </summary>
public class OfflineKernelTests
{
    static string SetupFirstNupkg => Path.Combine(RepoPaths.Packages, "DlWorkbook.0.0.0-setup-first.nupkg");

    const string SetupFirstSentence =
        "The course library is not packed yet: run `dotnet run --project tools/Workbook -- setup` in a terminal in the "
        + "repository folder, then restart the kernel.";

    [NetworklessFact]
    public void NotebookZeroRunsInAKernelWithNoNetworkOnceSetupHasRun()
    {
        var version = File.ReadAllText(Path.Combine(RepoPaths.Packages, "VERSION")).Trim();
        var output = Path.Combine(RepoPaths.Root, "out", "test", "offline");
        var (code, text) = RunOffline("--quick", "--out", output, Path.Combine(RepoPaths.Notebooks, "00-tensors-and-training.ipynb"));
        Assert.True(code == 0, text);
        Assert.Contains("ok   00-tensors-and-training.ipynb in dotnet-interactive", text);
        // The first cell loaded this build, not the placeholder and not anything from another source.
        var executed = File.ReadAllText(Path.Combine(output, "00-tensors-and-training.ipynb"));
        Assert.Contains($"DlWorkbook, {version}", executed);
    }

    [NetworklessFact]
    public void BeforeSetupTheFirstCellNamesTheSetupCommand()
    {
        // A fresh clone: notebooks/ with its nuget.config, packages/ with nothing but the committed placeholder.
        var clone = Path.Combine(RepoPaths.Root, "out", "test", "before-setup");
        if (Directory.Exists(clone)) Directory.Delete(clone, recursive: true);
        Directory.CreateDirectory(Path.Combine(clone, "notebooks"));
        Directory.CreateDirectory(Path.Combine(clone, "packages"));
        File.Copy(Path.Combine(RepoPaths.Notebooks, "nuget.config"), Path.Combine(clone, "notebooks", "nuget.config"));
        File.Copy(SetupFirstNupkg, Path.Combine(clone, "packages", Path.GetFileName(SetupFirstNupkg)));
        var notebook = Path.Combine(clone, "notebooks", "00-tensors-and-training.ipynb");
        File.Copy(Path.Combine(RepoPaths.Notebooks, "00-tensors-and-training.ipynb"), notebook);

        var (code, text) = RunOffline("--quick", "--out", Path.Combine(clone, "out"), notebook);

        Assert.Equal(1, code);
        Assert.Contains($"00-tensors-and-training.ipynb, cell 3: {SetupFirstSentence}\n", text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TheNotebooksSeeOnlyTheLocalFeed()
    {
        // What the notebook host does at every kernel start: list the sources from the notebook's folder.
        var start = new ProcessStartInfo("dotnet", ["nuget", "list", "source", "--format", "short"])
        {
            WorkingDirectory = RepoPaths.Notebooks, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en-us";
        using var process = Process.Start(start)!;
        var sources = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        Assert.Equal([$"E {RepoPaths.Packages}"], sources);
    }

    [Fact]
    public void EverywhereElseDlWorkbookComesOnlyFromTheLocalFeed()
    {
        var mapping = XDocument.Load(Path.Combine(RepoPaths.Root, "nuget.config")).Descendants("packageSource")
            .ToDictionary(s => (string)s.Attribute("key")!, s => s.Elements("package").Select(p => (string)p.Attribute("pattern")!).ToList());
        Assert.Equal(["DlWorkbook"], mapping["local"]);
        Assert.Equal(["*"], mapping["nuget.org"]);
    }

    [Fact]
    public void ThePlaceholderCarriesTheSetupSentenceAndSortsBelowEveryBuild()
    {
        using var package = ZipFile.OpenRead(SetupFirstNupkg);
        var nuspec = XDocument.Load(package.GetEntry("DlWorkbook.nuspec")!.Open());
        string Meta(string name) => nuspec.Descendants().First(e => e.Name.LocalName == name).Value;
        Assert.Equal("DlWorkbook", Meta("id"));
        Assert.Equal("0.0.0-setup-first", Meta("version"));
        Assert.True(new Version(0, 0, 0) < new Version(0, 1, 0));   // every build is 0.1.0-local.<timestamp>
        // The committed package holds the script in tools/SetupFirstPackage (rebuild it after changing the script).
        using var script = new StreamReader(package.GetEntry("interactive-extensions/dotnet/extension.dib")!.Open());
        var text = script.ReadToEnd();
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "tools", "SetupFirstPackage", "extension.dib")), text);
        Assert.Contains(SetupFirstSentence, text);
        Assert.Contains($"`{NativeLayout.SetupCommand}`", SetupFirstSentence);
        // The kernel runs a package's extension script only when the package brings an assembly.
        Assert.NotNull(package.GetEntry("lib/net10.0/DlWorkbook.SetupFirst.dll"));
    }

    /// <summary>Runs tools/NotebookRunner in a new network namespace (no interface but a loopback that is down).</summary>
    static (int Code, string Output) RunOffline(params string[] runnerArguments)
    {
        var start = new ProcessStartInfo("unshare", ["-n", "--", "dotnet", Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll"), .. runnerArguments])
        {
            WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}

/// <summary>
/// A test that needs a network namespace: Linux, root and <c>unshare</c>. Elsewhere it is skipped with the reason, which
/// the test run lists.
/// </summary>
public sealed class NetworklessFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> where no network namespace can be made.</summary>
    public NetworklessFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "Needs Linux: the kernel runs without network inside `unshare -n`, a Linux network namespace.";
        else if (Environment.UserName != "root")
            Skip = "Needs root: `unshare -n` (a network namespace for the offline kernel) is run as root here; CI runs it.";
        else if (!File.Exists("/usr/bin/unshare") && !File.Exists("/bin/unshare"))
            Skip = "Needs `unshare` (util-linux) for a network namespace: sudo apt-get install -y util-linux.";
    }
}
