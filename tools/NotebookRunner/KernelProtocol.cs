using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner;

/// <summary>One value in the formats the kernel produced for it (its MIME bundle).</summary>
public sealed record FormattedValue(string MimeType, string Value, bool SuppressDisplay);

/// <summary>
/// One event line from <c>dotnet interactive stdio</c> (a KernelEventEnvelope): its type, the token of the
/// command it belongs to, and the raw event object.
/// </summary>
public sealed record KernelEventLine(string EventType, string? CommandToken, JsonObject Event)
{
    /// <summary>Parses one line of the kernel's standard output; null for a line that is not an event envelope (a banner, a log line).</summary>
    public static KernelEventLine? TryParse(string line)
    {
        if (line.Length == 0 || line[0] != '{') return null;
        JsonObject? envelope;
        try
        {
            envelope = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (envelope?["eventType"]?.GetValue<string>() is not { } type) return null;
        return new KernelEventLine(type, envelope["command"]?["token"]?.GetValue<string>(),
                                   envelope["event"] as JsonObject ?? new JsonObject());
    }

    /// <summary>The event's formatted values (display, return value, standard output and error events).</summary>
    public IReadOnlyList<FormattedValue> FormattedValues =>
        (Event["formattedValues"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(v => new FormattedValue(
                v["mimeType"]?.GetValue<string>() ?? "text/plain",
                v["value"]?.GetValue<string>() ?? "",
                v["suppressDisplay"]?.GetValue<bool>() ?? false))
            .ToList();

    /// <summary>The display id that DisplayedValueUpdated uses to find the value it replaces.</summary>
    public string? ValueId => Event["valueId"]?.GetValue<string>();

    /// <summary>The text of CommandFailed and ErrorProduced.</summary>
    public string Message => Event["message"]?.GetValue<string>() ?? "(no message)";

    /// <summary>DiagnosticsProduced's diagnostics as (severity, text) pairs, the text as the compiler formats it.</summary>
    public IReadOnlyList<(string Severity, string Text)> Diagnostics
    {
        get
        {
            var raw = (Event["diagnostics"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var formatted = (Event["formattedDiagnostics"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            return raw.Select((d, i) =>
            {
                var severity = d["severity"]?.GetValue<string>() ?? "error";
                var text = i < formatted.Count && formatted[i]["value"]?.GetValue<string>() is { } f
                    ? f
                    : $"{severity} {d["code"]?.GetValue<string>()}: {d["message"]?.GetValue<string>()}";
                return (severity, text);
            }).ToList();
        }
    }
}

/// <summary>Command envelopes (KernelCommandEnvelope) for the stdio protocol.</summary>
public static class KernelCommands
{
    /// <summary>SubmitCode: runs <paramref name="code"/> in the named kernel; events for it carry <paramref name="token"/>.</summary>
    public static string SubmitCode(string token, string code, string kernelName) =>
        new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = kernelName },
        }.ToJsonString();

    /// <summary>Quit: the kernel exits.</summary>
    public static string Quit(string token) =>
        new JsonObject { ["token"] = token, ["commandType"] = "Quit", ["command"] = new JsonObject() }.ToJsonString();
}
