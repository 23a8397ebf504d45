extern alias tool;
using System.Text.Json;
using DlWorkbook.Runtime;
using YamlDotNet.RepresentationModel;
using Cli = tool::WorkbookTool.Cli;

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
    public void TheDevcontainerRunsReadmesSetupCommand()
    {
        using var devcontainer = JsonDocument.Parse(Read(".devcontainer/devcontainer.json"));
        Assert.Equal(Setup, devcontainer.RootElement.GetProperty("postCreateCommand").GetString());
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
        Assert.Equal([Setup, Test], steps.Where(s => s.Children.ContainsKey("run")).Select(s => Scalar(s["run"])));

        // The data sets are cached between runs, keyed on the manifest that lists them.
        var cache = (YamlMappingNode)Uses(steps, "actions/cache@")["with"];
        Assert.Equal("data-${{ runner.os }}-${{ hashFiles('lib/DlWorkbook/Data/DataManifest.cs') }}", Scalar(cache["key"]));
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "lib", "DlWorkbook", "Data", "DataManifest.cs")));
        Assert.StartsWith("data/*\n", Scalar(cache["path"]));

        // The executed notebooks are uploaded, also after a failure.
        var upload = Uses(steps, "actions/upload-artifact@");
        Assert.Equal("out/notebooks", Scalar(((YamlMappingNode)upload["with"])["path"]));
        Assert.Equal("always()", Scalar(upload["if"]));
    }

    static YamlMappingNode Uses(IEnumerable<YamlMappingNode> steps, string action) =>
        steps.Single(s => s.Children.TryGetValue("uses", out var uses) && Scalar(uses).StartsWith(action, StringComparison.Ordinal));

    static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    [Fact]
    public void TheBashWrappersCallTheSameCommands()
    {
        Assert.Contains($"exec {Setup} \"$@\"", Read("scripts/setup.sh"));
        Assert.Contains($"exec {Test} \"$@\"", Read("scripts/test.sh"));
    }
}
