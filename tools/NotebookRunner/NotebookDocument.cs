using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner;

/// <summary>A notebook that is not valid JSON or not an nbformat 4 notebook.</summary>
public sealed class InvalidNotebookException(string message) : Exception(message);

/// <summary>
/// An .ipynb file held as JSON, so that everything the runner does not touch (metadata, markdown,
/// attachments) is written back unchanged.
/// </summary>
public sealed class NotebookDocument
{
    static readonly JsonSerializerOptions WriteOptions = new()
    {
        // nbformat's own layout (one-space indent), and HTML kept readable instead of \u003C escapes.
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    readonly JsonObject root;

    NotebookDocument(string path, JsonObject root, JsonArray cells)
    {
        Path = path;
        this.root = root;
        Cells = cells;
    }

    /// <summary>The file the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The notebook's cells, in order.</summary>
    public JsonArray Cells { get; }

    /// <summary>The notebook's metadata object (created empty when the file has none).</summary>
    public JsonObject Metadata => root["metadata"] as JsonObject ?? (JsonObject)(root["metadata"] = new JsonObject());

    /// <summary>Reads a notebook; a file that is not valid JSON or has no "cells" array throws <see cref="InvalidNotebookException"/>.</summary>
    public static NotebookDocument Load(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidNotebookException(
                $"is not valid JSON ({e.Message.TrimEnd('.')}); open it in an editor and fix it, or restore it with git");
        }
        if (node is not JsonObject root || root["cells"] is not JsonArray cells)
            throw new InvalidNotebookException("is not a notebook: the JSON has no \"cells\" array (nbformat 4)");
        if (cells.Any(c => c is not JsonObject))
            throw new InvalidNotebookException("is not a notebook: an entry of \"cells\" is not a JSON object");
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = (JsonObject)cells[i]!;
            if (cell.TryGetPropertyValue("cell_type", out var type) && !IsString(type))
                throw new InvalidNotebookException(
                    $"is not a valid notebook: cell {i + 1}'s cell_type is {Kind(type)}, expected a string (\"code\", \"markdown\" or \"raw\")");
            if (cell["source"] is { } source && !IsString(source) && !(source is JsonArray lines && lines.All(IsString)))
                throw new InvalidNotebookException(
                    $"is not a valid notebook: cell {i + 1}'s source is {Kind(source)}, expected a string or a list of strings");
        }
        return new NotebookDocument(path, root, cells);
    }

    static bool IsString(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String;

    /// <summary>What a JSON value is, for messages: "a number", "a list holding a number (item 2)".</summary>
    static string Kind(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject:
                return "an object";
            case JsonArray items:
                var at = Enumerable.Range(0, items.Count).FirstOrDefault(i => !IsString(items[i]), -1);
                return at < 0 ? "a list" : $"a list holding {Kind(items[at])} (item {at + 1})";
            default:
                return node.GetValueKind() switch
                {
                    JsonValueKind.Number => "a number",
                    JsonValueKind.True or JsonValueKind.False => "true or false",
                    var other => other.ToString().ToLowerInvariant(),
                };
        }
    }

    /// <summary>The code cells with their 1-based position among all cells (the number failures name).</summary>
    public IEnumerable<CodeCell> CodeCells() =>
        Cells.Select((cell, i) => (cell: (JsonObject)cell!, number: i + 1))
             .Where(c => c.cell["cell_type"]?.GetValue<string>() == "code")
             .Select(c => new CodeCell(c.number, c.cell));

    /// <summary>Writes the notebook to <paramref name="path"/> through a temporary file, so a reader never sees half of it.</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, root.ToJsonString(WriteOptions) + "\n", new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A cell's source, which nbformat stores as one string or as a list of lines.</summary>
    public static string SourceOf(JsonObject cell) => TextOf(cell["source"]);

    /// <summary>
    /// One of nbformat's multi-line strings (a source, a stream's text, an output's text/plain): one string, or a list
    /// of lines to join; anything else (a JSON MIME type's object) as its JSON text, and nothing as "".
    /// </summary>
    public static string TextOf(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray lines => string.Concat(lines.Select(l => l is JsonValue v && v.TryGetValue<string>(out var line) ? line : l?.ToJsonString())),
        _ => node.ToJsonString(),
    };

    /// <summary>Text as nbformat writes it: a list of lines, each but the last keeping its newline.</summary>
    public static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            lines.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }

    static readonly Lock CopyLock = new();

    static readonly Regex LinkTarget = new(@"\]\(\s*<?(?<t>[^)\s>]+)|\bsrc\s*=\s*[""'](?<t>[^""']+)[""']", RegexOptions.Compiled);

    /// <summary>
    /// Copies the local files the notebook's markdown links to (for example ../images/*.svg) to the same
    /// relative place beside <paramref name="outputFolder"/>, so the links work in the executed copy too.
    /// Only targets that stay inside the output folder's parent are copied. Linked notebooks (previous/next) are not:
    /// their executed copies come from their own runs, and an unexecuted original must never stand in for one.
    /// </summary>
    public IReadOnlyList<string> CopyLinkedFiles(string outputFolder)
    {
        var source = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        var target = System.IO.Path.GetFullPath(outputFolder);
        var allowed = System.IO.Path.GetDirectoryName(target) ?? target;
        if (string.Equals(source, target, StringComparison.Ordinal)) return [];
        var copied = new List<string>();
        foreach (var cell in Cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "markdown"))
        foreach (Match m in LinkTarget.Matches(SourceOf(cell)))
        {
            var link = Uri.UnescapeDataString(m.Groups["t"].Value.Split('#', '?')[0]);
            if (link.Length == 0 || link.Contains(':') || System.IO.Path.IsPathRooted(link)) continue;
            var from = System.IO.Path.GetFullPath(System.IO.Path.Combine(source, link));
            var to = System.IO.Path.GetFullPath(System.IO.Path.Combine(target, link));
            if (!File.Exists(from) || !to.StartsWith(allowed + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            if (link.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) continue;
            lock (CopyLock) CopyUnlessSame(from, to);      // the hosts' runs share the images folder beside their outputs
            copied.Add(to);
        }
        return copied;
    }

    /// <summary>
    /// Copies <paramref name="from"/> to <paramref name="to"/> unless it already holds the same bytes: through a temporary
    /// file renamed into place, because another runner process (the test command runs both hosts at once) may copy the
    /// same picture at the same moment; a clash with it is retried, and ends well once the other copy is in place.
    /// </summary>
    static void CopyUnlessSame(string from, string to)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(to)!);
        var bytes = File.ReadAllBytes(from);
        for (var attempt = 1; ; attempt++)
        {
            var temp = $"{to}.{Environment.ProcessId}.tmp";
            try
            {
                if (File.Exists(to) && File.ReadAllBytes(to).AsSpan().SequenceEqual(bytes)) return;
                File.WriteAllBytes(temp, bytes);
                File.Move(temp, to, overwrite: true);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                File.Delete(temp);
                Thread.Sleep(50);
            }
        }
    }
}

/// <summary>A code cell and its 1-based position among all of the notebook's cells.</summary>
public sealed record CodeCell(int Number, JsonObject Json)
{
    public string Source => NotebookDocument.SourceOf(Json);

    /// <summary>The .NET Interactive kernel the cell is written for (Polyglot Notebooks' cell metadata), C# by default.</summary>
    public string KernelName =>
        Json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
        ?? Json["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>()
        ?? "csharp";

    /// <summary>Clears the outputs and execution count (a cell that never ran keeps neither).</summary>
    public JsonArray ResetOutputs()
    {
        var outputs = new JsonArray();
        Json["outputs"] = outputs;
        Json["execution_count"] = null;
        return outputs;
    }
}
