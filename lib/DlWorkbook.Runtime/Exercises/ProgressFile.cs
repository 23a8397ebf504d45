using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DlWorkbook.Exercises;

// In the runtime assembly: tools/Workbook's `progress` command reads and prints the file exactly as the library writes
// and shows it, without loading TorchSharp.

/// <summary>One exercise's latest checked result, as the progress file keeps it.</summary>
/// <param name="Status">"correct" or "not yet".</param>
/// <param name="When">When it was checked (UTC).</param>
/// <param name="Variant">The seed of the drawn numbers, or null for the notebook's own.</param>
/// <param name="Marks">For a mock-exam part: the marks it got (for an explain part, the ones the learner gave).</param>
/// <param name="Title">The exercise's title when it was checked (null in files from before titles were kept).</param>
internal sealed record ProgressEntry(string Status, DateTimeOffset When, int? Variant = null, int? Marks = null, string? Title = null);

/// <summary>A notebook (or the mock exam) and its exercise ids, as the library that last wrote the file knew them.</summary>
/// <param name="Number">"00" to "07", or "08" for the mock exam.</param>
/// <param name="Title">The notebook's title.</param>
/// <param name="Ids">Its exercises (or the exam's parts), in order.</param>
/// <param name="OutOf">For the mock exam: the marks of each part; null for a notebook.</param>
/// <param name="ExerciseTitles">Each exercise's title, by id, to tell a renumbered exercise from the one a result was for.</param>
internal sealed record ProgressNotebook(string Number, string Title, IReadOnlyList<string> Ids, IReadOnlyDictionary<string, int>? OutOf = null,
    IReadOnlyDictionary<string, string>? ExerciseTitles = null);

/// <summary>Everything the progress file holds.</summary>
internal sealed record ProgressData(int Version, IReadOnlyList<ProgressNotebook> Notebooks, IReadOnlyDictionary<string, ProgressEntry> Results)
{
    public const int CurrentVersion = 1;

    public static ProgressData Empty(IReadOnlyList<ProgressNotebook> notebooks) => new(CurrentVersion, notebooks, new Dictionary<string, ProgressEntry>());
}

/// <summary>
/// The learner's progress file: the latest result of every check, kept on the learner's machine in the data folder
/// (never in the repository or the site). Writers take a lock file first and replace the file in one rename, so
/// kernels that check at the same moment lose nothing and a reader never sees half a file. A file that cannot be
/// read is kept beside it under another name and a new one is started; every problem is returned as a sentence that
/// names the file, and never stops a check.
/// </summary>
internal static class ProgressFile
{
    /// <summary>Environment variable naming the progress file itself (tests and CI point it elsewhere).</summary>
    public const string Variable = "DLWORKBOOK_PROGRESS_FILE";

    /// <summary>The file's name in the data folder.</summary>
    public const string FileName = "progress.json";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The progress file: <c>DLWORKBOOK_PROGRESS_FILE</c> when set, else <c>progress.json</c> in <paramref name="dataFolder"/>.</summary>
    public static string Locate(string dataFolder) =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } file ? Path.GetFullPath(file) : Path.Combine(dataFolder, FileName);

    /// <summary>Reads the file: null when there is none yet; <paramref name="problem"/> says why it could not be read.</summary>
    public static ProgressData? Read(string path, out string? problem)
    {
        problem = null;
        try
        {
            if (!File.Exists(path)) return null;
            return Parse(File.ReadAllText(path)) ?? throw new JsonException("it is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            problem = $"The progress file {path} could not be read ({Reason(e)}).";
            return null;
        }
    }

    static ProgressData? Parse(string text)
    {
        var data = JsonSerializer.Deserialize<ProgressData>(text, Json);
        if (data is null) return null;
        if (data.Version != ProgressData.CurrentVersion || data.Results is null || data.Notebooks is null)
            throw new JsonException($"it is not a version-{ProgressData.CurrentVersion} progress file");
        return data;
    }

    /// <summary>
    /// Changes the file under its lock: reads it, applies <paramref name="change"/> and writes the result with one
    /// rename. Returns null when all went well, else a sentence naming the file and what happened (a corrupt file is
    /// moved aside and a new one started; an unwritable one is left as it was).
    /// </summary>
    public static string? Update(string path, IReadOnlyList<ProgressNotebook> notebooks, Func<ProgressData, ProgressData> change)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var held = Lock(path);
            string? note = null;
            ProgressData current;
            try
            {
                current = File.Exists(path) ? Parse(File.ReadAllText(path)) ?? ProgressData.Empty(notebooks) : ProgressData.Empty(notebooks);
            }
            catch (JsonException e)
            {
                var aside = $"{path}.unreadable-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
                File.Move(path, aside);
                note = $"The progress file {path} could not be read ({Reason(e)}); it was kept as {Path.GetFileName(aside)} and a new one started.";
                current = ProgressData.Empty(notebooks);
            }
            var next = change(current with { Notebooks = notebooks });
            var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(next, Json));
            File.Move(temporary, path, overwrite: true);
            return note;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException or NotSupportedException)
        {
            return $"Progress not saved: the progress file {path} could not be written ({Reason(e)}). "
                   + $"The check itself is not affected; set {Variable} to a file you can write to keep a record.";
        }
    }

    /// <summary>Deletes the file (under its lock). Returns null when done, else why not.</summary>
    public static string? Delete(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            using var held = Lock(path);
            File.Delete(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException)
        {
            return $"The progress file {path} could not be deleted ({Reason(e)}).";
        }
    }

    /// <summary>
    /// The lock: a file beside the progress file opened for this process alone (an advisory lock on Linux and macOS,
    /// a sharing lock on Windows). Another kernel holding it is waited for, up to five seconds.
    /// </summary>
    static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            try
            {
                return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline && !Directory.Exists(path + ".lock"))
            {
                Thread.Sleep(Random.Shared.Next(5, 25));
            }
            catch (IOException e) when (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"another program held its lock file {Path.GetFileName(path)}.lock for 5 seconds", e);
            }
        }
    }

    static string Reason(Exception e) => e switch
    {
        JsonException j => j.Message.Split('\n')[0].Split(" Path:")[0].TrimEnd('.'),
        _ => e.Message.TrimEnd('.'),
    };

    /// <summary>The counts of one notebook's row.</summary>
    internal sealed record Row(ProgressNotebook Notebook, int Correct, int NotYet, int NotAttempted, IReadOnlyList<string> NotYetIds,
        IReadOnlyList<string> NotAttemptedIds, int? Marks, int? OutOf);

    /// <summary>
    /// Whether a recorded result still belongs to the exercise its id names now: a result is kept with the exercise's
    /// title, and an exercise that was renumbered or replaced is not attempted again. Results from before titles were
    /// kept count, except in notebook 04, whose exercises were renumbered when that began.
    /// </summary>
    internal static bool StillMeans(ProgressData data, string id, ProgressEntry entry) =>
        entry.Title is null
            ? !id.StartsWith("04.", StringComparison.Ordinal)
            : data.Notebooks.FirstOrDefault(n => n.Ids.Contains(id))?.ExerciseTitles?.GetValueOrDefault(id) is not { } title || title == entry.Title;

    /// <summary>One row per notebook: how many of its exercises are correct, not yet right, or not attempted.</summary>
    public static IReadOnlyList<Row> Rows(ProgressData data) => data.Notebooks.Select(notebook =>
    {
        ProgressEntry? Of(string id) => data.Results.TryGetValue(id, out var entry) && StillMeans(data, id, entry) ? entry : null;
        var notYet = notebook.Ids.Where(id => Of(id)?.Status == "not yet").ToList();
        var notAttempted = notebook.Ids.Where(id => Of(id) is null).ToList();
        int? marks = notebook.OutOf is null ? null : notebook.Ids.Sum(id => Of(id)?.Marks ?? 0);
        int? outOf = notebook.OutOf?.Values.Sum();
        return new Row(notebook, notebook.Ids.Count - notYet.Count - notAttempted.Count, notYet.Count, notAttempted.Count, notYet, notAttempted, marks, outOf);
    }).ToList();

    /// <summary>The ids to revisit: those not yet right first, then those not attempted, at most <paramref name="most"/>.</summary>
    public static string Revisit(Row row, int most = 12)
    {
        var ids = row.NotYetIds.Select(id => id + " ✗").Concat(row.NotAttemptedIds).ToList();
        if (ids.Count == 0) return "—";
        return ids.Count <= most ? string.Join(", ", ids) : string.Join(", ", ids.Take(most)) + $" and {ids.Count - most} more";
    }

    /// <summary>A bar of 20 characters: █ correct, ▒ not yet, ░ not attempted.</summary>
    static string Bar(Row row)
    {
        const int width = 20;
        var total = Math.Max(1, row.Correct + row.NotYet + row.NotAttempted);
        var correct = (int)Math.Round(width * (double)row.Correct / total);
        var notYet = Math.Min(width - correct, (int)Math.Round(width * (double)row.NotYet / total));
        return new string('█', correct) + new string('▒', notYet) + new string('░', width - correct - notYet);
    }

    /// <summary>The progress as plain text: a table with a bar per notebook, and the ids to revisit.</summary>
    public static string Text(ProgressData data, string path)
    {
        var rows = Rows(data);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Progress in {path}");
        text.AppendLine("█ correct  ▒ not yet  ░ not attempted; ✗ marks an exercise checked but not right yet.");
        text.AppendLine();
        var width = rows.Max(r => r.Notebook.Title.Length) + 5;
        text.AppendLine(CultureInfo.InvariantCulture, $"{"notebook".PadRight(width)} {"correct",7} {"not yet",7} {"not attempted",13}  {"",20}  revisit");
        foreach (var row in rows)
        {
            var marks = row.Marks is { } m ? $"  marks {m} of {row.OutOf}" : "";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{(row.Notebook.Number + " · " + row.Notebook.Title).PadRight(width)} {row.Correct,7} {row.NotYet,7} {row.NotAttempted,13}  {Bar(row)}  {Revisit(row)}{marks}");
        }
        text.Append(CultureInfo.InvariantCulture,
            $"{"all".PadRight(width)} {rows.Sum(r => r.Correct),7} {rows.Sum(r => r.NotYet),7} {rows.Sum(r => r.NotAttempted),13}");
        return text.ToString();
    }

    /// <summary>The progress as an HTML table with a stacked bar per notebook, for a notebook cell.</summary>
    public static string Html(ProgressData data, string path)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var rows = Rows(data);
        var html = new StringBuilder("<div class=\"dlw-progress\">");
        html.Append(CultureInfo.InvariantCulture, $"<div style=\"color:#666;font-size:0.85em\">Progress in {E(path)}</div>");
        html.Append("<table><thead><tr><th style=\"text-align:left\">notebook</th><th>correct</th><th>not yet</th><th>not attempted</th>"
                    + "<th></th><th style=\"text-align:left\">revisit</th></tr></thead><tbody>");
        foreach (var row in rows)
        {
            var total = Math.Max(1, row.Correct + row.NotYet + row.NotAttempted);
            string Segment(int count, string colour) => count == 0 ? "" :
                string.Create(CultureInfo.InvariantCulture, $"<span style=\"display:inline-block;height:12px;width:{160.0 * count / total:0.#}px;background:{colour}\"></span>");
            var bar = $"<span style=\"display:inline-block;width:160px;white-space:nowrap;background:#e5e7eb\">{Segment(row.Correct, "#2e7d32")}{Segment(row.NotYet, "#b45309")}</span>";
            var marks = row.Marks is { } m ? $" · marks {m} of {row.OutOf}" : "";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td style=\"text-align:left\">{E(row.Notebook.Number)} · {E(row.Notebook.Title)}</td><td>{row.Correct}</td><td>{row.NotYet}</td>"
                + $"<td>{row.NotAttempted}</td><td>{bar}</td><td style=\"text-align:left\">{E(Revisit(row))}{E(marks)}</td></tr>");
        }
        html.Append(CultureInfo.InvariantCulture,
            $"<tr><td style=\"text-align:left\"><b>all</b></td><td>{rows.Sum(r => r.Correct)}</td><td>{rows.Sum(r => r.NotYet)}</td><td>{rows.Sum(r => r.NotAttempted)}</td><td></td><td></td></tr>");
        html.Append("</tbody></table><div style=\"font-size:0.85em\"><span style=\"color:#2e7d32\">■</span> correct · "
                    + "<span style=\"color:#b45309\">■</span> not yet (✗) · <span style=\"color:#9ca3af\">■</span> not attempted</div></div>");
        return html.ToString();
    }
}
