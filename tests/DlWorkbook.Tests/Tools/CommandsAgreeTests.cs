using System.Text.Json;
using DlWorkbook.Runtime;
using YamlDotNet.RepresentationModel;
using Cli = WorkbookTool.Cli;

namespace DlWorkbook.Tests.Tools;

/// <summary>README's two commands are the ones CI, the hosted workflow, the devcontainer and the library's messages use.</summary>
public class CommandsAgreeTests
{
    static string Read(string relative) => File.ReadAllText(Path.Combine([RepoPaths.Root, .. relative.Split('/')]));

    /// <summary>The lines of the first code block under README's "## Two commands" heading.</summary>
    static IReadOnlyList<string> ReadmeCommands()
    {
        var lines = Read("README.md").ReplaceLineEndings("\n").Split('\n');
        var heading = Array.IndexOf(lines, "## Two commands");
        Assert.True(heading >= 0, "README.md has no \"## Two commands\" section.");
        var open = Array.FindIndex(lines, heading, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindIndex(lines, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        return lines[(open + 1)..close].Where(l => l.Trim().Length > 0).ToList();
    }

    static string Setup => ReadmeCommands()[0];
    static string Test => ReadmeCommands()[1];

    [Fact]
    public void ReadmeGivesTwoDotnetCommands()
    {
        Assert.Equal([$"{Cli.Usage} setup", $"{Cli.Usage} test"], ReadmeCommands());
        Assert.Equal("dotnet run --project tools/Workbook -- setup", Setup);
        Assert.Equal(NativeLayout.SetupCommand, Setup);
    }

    [Fact]
    public void CiRunsReadmesTestCommand()
    {
        var lastLine = Read(".ci/run").ReplaceLineEndings("\n").TrimEnd().Split('\n')[^1];
        Assert.Equal(Test, lastLine);
    }

    [Fact]
    public void TheDevcontainerPreparesWithTheToolAndVsCodeWaitsForIt()
    {
        using var devcontainer = JsonDocument.Parse(Read(".devcontainer/devcontainer.json"),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        Assert.Equal($"{Cli.Usage} prepare", devcontainer.RootElement.GetProperty("postCreateCommand").GetString());
        Assert.Equal("postCreateCommand", devcontainer.RootElement.GetProperty("waitFor").GetString());
        Assert.Contains(WorkbookTool.Commands.All, c => c.Name == "prepare");
    }

    [Fact]
    public void GlobalJsonAsksForTheDotnet10SdkWithTheInstallLink()
    {
        using var global = JsonDocument.Parse(Read("global.json"));
        var sdk = global.RootElement.GetProperty("sdk");
        Assert.Equal("10.0.100", sdk.GetProperty("version").GetString());
        Assert.Equal("latestFeature", sdk.GetProperty("rollForward").GetString());
        Assert.StartsWith("The workbook needs the .NET 10 SDK", sdk.GetProperty("errorMessage").GetString());
        Assert.Contains("https://dot.net/download", sdk.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public void TheHostedWorkflowRunsReadmesCommandsOnThreeSystems()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Read(".github/workflows/every-laptop.yml")));
        var job = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents.Single().RootNode)["jobs"])["workbook"];
        var matrix = (YamlMappingNode)((YamlMappingNode)job["strategy"])["matrix"];
        Assert.Equal(["ubuntu-latest", "windows-latest", "macos-latest"], ((YamlSequenceNode)matrix["os"]).Select(Scalar));
        Assert.Equal("${{ matrix.os }}", Scalar(job["runs-on"]));

        var steps = ((YamlSequenceNode)job["steps"]).Cast<YamlMappingNode>().ToList();
        Assert.Equal([$"{Setup} --quick", Test], steps.Where(s => s.Children.ContainsKey("run")).Select(s => Scalar(s["run"])));
        // README says what the workflow runs.
        Assert.Contains("runs `setup --quick` and then `test` on `ubuntu-latest`, `windows-latest` and `macos-latest`", Read("README.md"));

        // Only read access to the repository.
        var permissions = (YamlMappingNode)((YamlMappingNode)yaml.Documents.Single().RootNode)["permissions"];
        Assert.Equal(["contents: read"], permissions.Children.Select(p => $"{Scalar(p.Key)}: {Scalar(p.Value)}"));

        // NuGet packages and the data sets are cached between runs, keyed on what pins them.
        var caches = Uses(steps, "actions/cache@").Select(s => (YamlMappingNode)s["with"]).ToList();
        Assert.Equal("~/.nuget/packages", Scalar(caches[0]["path"]));
        Assert.StartsWith("nuget-${{ runner.os }}-${{ hashFiles('Directory.Packages.props'", Scalar(caches[0]["key"]));
        Assert.Equal("data-${{ runner.os }}-${{ hashFiles('lib/DlWorkbook/Data/DataManifest.cs') }}", Scalar(caches[1]["key"]));
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "lib", "DlWorkbook", "Data", "DataManifest.cs")));
        Assert.StartsWith("data/*\n", Scalar(caches[1]["path"]));

        // The executed notebooks, the test results and the screenshots are uploaded, also after a failure.
        var upload = Uses(steps, "actions/upload-artifact@").Single();
        Assert.Equal(["out/notebooks", "out/test/notebooks", "out/test-results", "out/site-screenshots"],
            Scalar(((YamlMappingNode)upload["with"])["path"]).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("always()", Scalar(upload["if"]));
    }

    static List<YamlMappingNode> Uses(IEnumerable<YamlMappingNode> steps, string action) =>
        steps.Where(s => s.Children.TryGetValue("uses", out var uses) && Scalar(uses).StartsWith(action, StringComparison.Ordinal)).ToList();

    static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    [Fact]
    public void TheBashWrappersCallTheSameCommands()
    {
        Assert.Contains($"exec {Setup} \"$@\"", Read("scripts/setup.sh"));
        Assert.Contains($"exec {Test} \"$@\"", Read("scripts/test.sh"));
    }
}
