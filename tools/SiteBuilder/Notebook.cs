using System.Text.Json.Nodes;
using NotebookRunner;

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

    /// <summary>Reads a notebook file with the notebook runner's reader, which checks it is an nbformat 4 notebook.</summary>
    /// <exception cref="SiteBuildException">The file is not JSON or not a notebook.</exception>
    public static Notebook Load(string path)
    {
        NotebookDocument document;
        try { document = NotebookDocument.Load(path); }
        catch (InvalidNotebookException e) { throw new SiteBuildException($"{Path.GetFileName(path)} {e.Message}."); }
        return new Notebook(path, document.Cells.Select((c, i) => ReadCell(c, i)).ToList());
    }

    static Cell ReadCell(JsonNode? cell, int index) => new(
        index,
        cell?["cell_type"]?.GetValue<string>() ?? "raw",
        NotebookDocument.TextOf(cell?["source"]),
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
                    _ => NotebookDocument.TextOf(value),
                };
        var error = kind == "error" ? $"{output?["ename"]?.GetValue<string>()}: {output?["evalue"]?.GetValue<string>()}" : null;
        return new Output(kind, data, kind == "stream" ? NotebookDocument.TextOf(output?["text"]) : null,
            output?["name"]?.GetValue<string>(), error);
    }

    /// <summary>MIME types whose content nbformat stores as JSON rather than text.</summary>
    public static bool IsJsonMime(string mime) => mime == "application/json" || mime.EndsWith("+json", StringComparison.Ordinal);
}

/// <summary>A problem in the input that stops the site build; the message names the notebook, cell or file.</summary>
public sealed class SiteBuildException(string message) : Exception(message);
