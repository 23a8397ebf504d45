using System.Text.Json.Nodes;

namespace DlWorkbook.Tests.Apps;

/// <summary>Small source notebooks (no outputs) in a temporary folder, for the program generator.</summary>
sealed class AppNotebooks : IDisposable
{
    public const string LibraryCell = "// The course library\n#r \"nuget: DlWorkbook, *-*\"";

    public string Root { get; } = Directory.CreateTempSubdirectory("dlw-apps-").FullName;

    public string Apps => Path.Combine(Root, "apps");

    public static JsonObject Markdown(string source) => new() { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source };

    public static JsonObject Code(string source, string kernel = "csharp") => new()
    {
        ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = source,
        ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernel } },
    };

    /// <summary>Writes a notebook whose cells are <paramref name="cells"/>; returns its path.</summary>
    public string Write(string name, params JsonObject[] cells)
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
            ["metadata"] = JsonNode.Parse("""{"kernelspec":{"display_name":".NET (C#)","language":"C#","name":".net-csharp"}}"""),
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    /// <summary>Writes a notebook of a library cell followed by C# cells.</summary>
    public string WriteCode(string name, params string[] sources) =>
        Write(name, [Code(LibraryCell), .. sources.Select(s => Code(s))]);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
