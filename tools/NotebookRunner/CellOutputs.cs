using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner;

/// <summary>
/// Builds one code cell's saved outputs from the kernel's events, as a learner sees them at the end:
/// in the order the code produced them, consecutive standard output merged into one stream, and every
/// updated display (a live chart, a progress line) replaced in place by its last state. It also collects
/// what makes the cell fail: errors, standard error and compiler warnings.
/// </summary>
public sealed class CellOutputs
{
    readonly JsonArray outputs;
    readonly Dictionary<string, JsonObject> displays;
    readonly List<string> problems = [];
    readonly List<JsonObject> neverUpdated = [];

    /// <param name="outputs">The cell's output list, filled in place.</param>
    /// <param name="displays">Displayed values by display id, shared by all cells of a notebook (a later cell may update an earlier display).</param>
    /// <param name="executionCount">The cell's execution count, stamped on its return value.</param>
    public CellOutputs(JsonArray outputs, Dictionary<string, JsonObject> displays, int executionCount)
    {
        this.outputs = outputs;
        this.displays = displays;
        ExecutionCount = executionCount;
    }

    public int ExecutionCount { get; }

    /// <summary>What went wrong in this cell so far, each as one message (empty when the cell is clean).</summary>
    public IReadOnlyList<string> Problems => problems;

    /// <summary>The outputs so far.</summary>
    public JsonArray Outputs => outputs;

    /// <summary>Applies one kernel event to the cell's outputs.</summary>
    public void Apply(KernelEventLine e)
    {
        switch (e.EventType)
        {
            case "StandardOutputValueProduced":
                AppendStream("stdout", PlainText(e.FormattedValues));
                break;
            case "StandardErrorValueProduced":
                var text = PlainText(e.FormattedValues);
                AppendStream("stderr", text);
                problems.Add("wrote to standard error: " + Shorten(text));
                break;
            case "DisplayedValueProduced":
                Display(e.ValueId, e.FormattedValues);
                break;
            case "DisplayedValueUpdated":
                Update(e.ValueId, e.FormattedValues);
                break;
            case "ReturnValueProduced":
                if (Bundle(e.FormattedValues) is { } data)
                    outputs.Add(new JsonObject
                    {
                        ["output_type"] = "execute_result",
                        ["execution_count"] = ExecutionCount,
                        ["data"] = data,
                        ["metadata"] = new JsonObject(),
                    });
                break;
            case "ErrorProduced":
                Error(e.Message);
                break;
            case "DiagnosticsProduced":
                // Errors also fail the command (CommandFailed carries their text); warnings only show here.
                foreach (var (severity, diagnostic) in e.Diagnostics)
                    if (severity == "warning") problems.Add(diagnostic);
                break;
        }
    }

    /// <summary>Adds an error output (a failed command, a crashed or stopped kernel) and records it as a problem.</summary>
    public void Error(string message, string name = "Error")
    {
        outputs.Add(new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = name,
            ["evalue"] = message,
            ["traceback"] = new JsonArray(message.Split('\n').Select(l => (JsonNode?)l.TrimEnd('\r')).ToArray()),
        });
        problems.Add(Shorten(message));
    }

    /// <summary>Records a problem that has no output of its own.</summary>
    public void Problem(string message) => problems.Add(message);

    /// <summary>The last output's text, for a report of a cell that never finished.</summary>
    public string? LastOutputText()
    {
        if (outputs.LastOrDefault() is not JsonObject last) return null;
        var node = last["text"] ?? last["evalue"] ?? last["data"]?["text/plain"] ?? last["data"]?.AsObject().FirstOrDefault().Value;
        var text = node switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.ToString())),
            null => null,
            _ => node.ToString(),
        };
        return text is null ? null : Shorten(text);
    }

    void AppendStream(string name, string text)
    {
        if (text.Length == 0) return;
        if (outputs.LastOrDefault() is JsonObject last
            && last["output_type"]?.GetValue<string>() == "stream"
            && last["name"]?.GetValue<string>() == name)
        {
            var merged = string.Concat(last["text"]!.AsArray().Select(l => l!.GetValue<string>())) + text;
            last["text"] = NotebookDocument.Lines(merged);
            return;
        }
        outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = NotebookDocument.Lines(text) });
    }

    void Display(string? valueId, IReadOnlyList<FormattedValue> values)
    {
        if (Bundle(values) is not { } data) return;
        var output = new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() };
        outputs.Add(output);
        neverUpdated.Add(output);
        if (valueId is not null) displays[valueId] = output;
    }

    void Update(string? valueId, IReadOnlyList<FormattedValue> values)
    {
        if (Bundle(values) is not { } data) return;
        if (valueId is null || !displays.TryGetValue(valueId, out var output))
        {
            // dotnet-interactive 1.0.712001 publishes a value's first update under a new display id (later updates
            // keep that one), so an unknown id belongs to the first display of this cell, in the same formats,
            // that has not been updated yet.
            output = neverUpdated.FirstOrDefault(o => SameFormats(o, data));
            if (output is null)
            {
                Display(valueId, values);
                return;
            }
            if (valueId is not null) displays[valueId] = output;
        }
        neverUpdated.Remove(output);
        output["data"] = data;
    }

    static bool SameFormats(JsonObject output, JsonObject data) =>
        output["data"] is JsonObject shown && shown.Select(p => p.Key).SequenceEqual(data.Select(p => p.Key));

    /// <summary>
    /// Every MIME type the kernel formatted the value in, as nbformat stores them: JSON types
    /// (application/json, *+json) as JSON, text as a list of lines. Null when every value is suppressed.
    /// </summary>
    internal static JsonObject? Bundle(IReadOnlyList<FormattedValue> values)
    {
        var shown = values.Where(v => !v.SuppressDisplay).ToList();
        if (shown.Count == 0) return null;
        var data = new JsonObject();
        foreach (var v in shown) data[v.MimeType] = IsJson(v.MimeType) ? ParseOrText(v.Value) : NotebookDocument.Lines(v.Value);
        return data;
    }

    static bool IsJson(string mimeType) => mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

    static JsonNode? ParseOrText(string value)
    {
        try
        {
            return JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return value;
        }
    }

    static string PlainText(IReadOnlyList<FormattedValue> values) =>
        string.Concat(values.Where(v => v.MimeType == "text/plain").Select(v => v.Value));

    internal static string Shorten(string text, int maxLines = 8)
    {
        var lines = text.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        return lines.Count <= maxLines
            ? string.Join('\n', lines)
            : string.Join('\n', lines.Take(maxLines)) + $"\n… ({lines.Count - maxLines} more lines)";
    }
}
