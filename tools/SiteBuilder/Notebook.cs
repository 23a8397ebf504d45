using System.Text.Json;
using System.Text.Json.Nodes;

namespace SiteBuilder;

/// <summary>One output of a code cell, as nbformat 4 stores it.</summary>
/// <param name="Kind">display_data, execute_result, stream or error.</param>
/// <param name="Data">MIME type to content; JSON MIME types hold their JSON text.</param>
/// <param name="Text">The text of a stream output.</param>
/// <param name="StreamName">stdout or stderr for a stream output.</param>
/// <param name="Error">"ename: evalue" of an error output.</param>
public sealed record Output(string Kind, IReadOnlyDictionary<string, string> Data, string? Text, string? StreamName, string? Error);

/// <summary>A cell: its 0-based index, type (markdown, code, raw), source and outputs.</summary>
public sealed record Cell(int Index, string Type, string Source, IReadOnlyList<Output> Outputs)
{
    /// <summary>How messages name the cell: counted from 1, as the notebook runner and notebook editors do.</summary>
    public string Label => $"cell {Index + 1}";
}

/// <summary>An executed notebook read from its .ipynb file (nbformat 4).</summary>
public sealed record Notebook(string FilePath, IReadOnlyList<Cell> Cells)
{
    /// <summary>The file name, as messages name the notebook.</summary>
    public string Name => Path.GetFileName(FilePath);

    /// <summary>The page the notebook becomes: its file name with .html.</summary>
    public string PageName => Path.ChangeExtension(Name, ".html");

    /// <summary>Reads a notebook file.</summary>
    /// <exception cref="SiteBuildException">The file is not JSON or not a notebook.</exception>
    public static Notebook Load(string path)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new SiteBuildException($"{Path.GetFileName(path)} is not a notebook: invalid JSON ({e.Message})."); }
        if (root?["cells"] is not JsonArray cells)
            throw new SiteBuildException($"{Path.GetFileName(path)} is not a notebook: it has no \"cells\" array.");
        return new Notebook(path, cells.Select((c, i) => ReadCell(c, i)).ToList());
    }

    static Cell ReadCell(JsonNode? cell, int index) => new(
        index,
        cell?["cell_type"]?.GetValue<string>() ?? "raw",
        MultilineText(cell?["source"]),
        (cell?["outputs"] as JsonArray ?? []).Select(ReadOutput).ToList());

    static Output ReadOutput(JsonNode? output)
    {
        var kind = output?["output_type"]?.GetValue<string>() ?? "unknown";
        var data = new Dictionary<string, string>();
        if (output?["data"] is JsonObject bundle)
            foreach (var (mime, value) in bundle)
                data[mime] = value switch
                {
                    // JSON MIME types are stored as JSON; some hosts store them as text instead (a string or lines).
                    JsonObject => value.ToJsonString(),
                    JsonArray array when IsJsonMime(mime) && !array.All(l => l is JsonValue v && v.TryGetValue<string>(out _)) => array.ToJsonString(),
                    _ => MultilineText(value),
                };
        var error = kind == "error" ? $"{output?["ename"]?.GetValue<string>()}: {output?["evalue"]?.GetValue<string>()}" : null;
        return new Output(kind, data, kind == "stream" ? MultilineText(output?["text"]) : null,
            output?["name"]?.GetValue<string>(), error);
    }

    /// <summary>MIME types whose content nbformat stores as JSON rather than text.</summary>
    public static bool IsJsonMime(string mime) => mime == "application/json" || mime.EndsWith("+json", StringComparison.Ordinal);

    /// <summary>nbformat's multi-line strings: one string, or an array of lines to join.</summary>
    static string MultilineText(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray lines => string.Concat(lines.Select(l => l is JsonValue v && v.TryGetValue<string>(out var s) ? s : l?.ToJsonString())),
        null => "",
        _ => node.ToJsonString(),
    };
}

/// <summary>A problem in the input that stops the site build; the message names the notebook, cell or file.</summary>
public sealed class SiteBuildException(string message) : Exception(message);
