using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace NotebookRunner;

/// <summary>
/// What produced an executed copy and how its run ended, saved in the copy's metadata under <see cref="MetadataKey"/>:
/// the host, quick or full mode, the SHA-256 of the source notebook, the course library build in packages/, the
/// failures and whether every cell was run twice (<see cref="NotebookRunner.EachCellTwice"/>). The runner writes it last, so a copy without one comes from a run that never finished (a kernel that
/// died, an interrupted test run); <see cref="StaleBecause"/> names why a copy cannot stand for a fresh run.
/// </summary>
public sealed record RunRecord(
    string Host, bool Quick, string NotebookSha256, string? Library, IReadOnlyList<CellFailure> Failures, double Seconds,
    bool EachCellTwice = false)
{
    /// <summary>The notebook metadata key the record is saved under.</summary>
    public const string MetadataKey = "dlworkbook_run";

    public bool Passed => Failures.Count == 0;

    /// <summary>The name a host is reported under ("dotnet-interactive", "dotnet-repl").</summary>
    public static string HostName(NotebookHost host) => host == NotebookHost.Interactive ? "dotnet-interactive" : "dotnet-repl";

    /// <summary>The SHA-256 of a file's bytes, as lowercase hex.</summary>
    public static string Sha256Of(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>
    /// The course library build the notebooks load (<c>#r "nuget: DlWorkbook, *-*"</c> takes the newest, and the pack
    /// command keeps only the newest in packages/): packages/VERSION under <paramref name="repositoryRoot"/>, or null.
    /// </summary>
    public static string? PackedLibrary(string repositoryRoot)
    {
        var file = Path.Combine(repositoryRoot, "packages", "VERSION");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    /// <summary>Writes the record into the executed copy's metadata (the copy is replaced in one step).</summary>
    public void SaveInto(string executedCopy)
    {
        var document = NotebookDocument.Load(executedCopy);
        document.Metadata[MetadataKey] = new JsonObject
        {
            ["host"] = Host,
            ["quick"] = Quick,
            ["notebook_sha256"] = NotebookSha256,
            ["library"] = Library,
            ["failures"] = new JsonArray(Failures.Select(f => (JsonNode)new JsonObject { ["cell"] = f.Cell, ["message"] = f.Message }).ToArray()),
            ["seconds"] = Math.Round(Seconds, 1),
            ["each_cell_twice"] = EachCellTwice,
        };
        document.Save(executedCopy);
    }

    /// <summary>The record saved in an executed copy, or null when it has none.</summary>
    public static RunRecord? Read(string executedCopy)
    {
        if (NotebookDocument.Load(executedCopy).Metadata[MetadataKey] is not JsonObject run) return null;
        var name = Path.GetFileName(executedCopy);
        return new RunRecord(
            run["host"]?.GetValue<string>() ?? "",
            run["quick"]?.GetValue<bool>() ?? false,
            run["notebook_sha256"]?.GetValue<string>() ?? "",
            run["library"]?.GetValue<string>(),
            run["failures"]?.AsArray().OfType<JsonObject>()
                .Select(f => new CellFailure(name, f["cell"]?.GetValue<int>() ?? 0, f["message"]?.GetValue<string>() ?? "")).ToList() ?? [],
            run["seconds"]?.GetValue<double>() ?? 0,
            run["each_cell_twice"]?.GetValue<bool>() ?? false);
    }

    /// <summary>
    /// Why <paramref name="executedCopy"/> is not a finished run of <paramref name="notebook"/> as it is now, in
    /// <paramref name="host"/> and the given mode, against the library build <paramref name="library"/>; null when it is.
    /// </summary>
    public static string? StaleBecause(string executedCopy, string notebook, NotebookHost host, bool quick, string? library)
    {
        if (!File.Exists(executedCopy)) return $"there is no executed copy {executedCopy}";
        RunRecord? record;
        try
        {
            record = Read(executedCopy);
        }
        catch (InvalidNotebookException e)
        {
            return $"the executed copy {executedCopy} {e.Message}";
        }
        if (record is null) return $"{executedCopy} has no run record: the run that wrote it never finished";
        if (record.Host != HostName(host)) return $"{executedCopy} was run in {record.Host}, not {HostName(host)}";
        if (record.Quick != quick) return $"{executedCopy} was run in {(record.Quick ? "quick" : "full")} mode, not {(quick ? "quick" : "full")} mode";
        if (record.NotebookSha256 != Sha256Of(notebook)) return $"{executedCopy} was run from an earlier version of {notebook}";
        if (record.Library != library)
            return $"{executedCopy} was run against the course library build {record.Library ?? "(none)"}, but packages/ holds {library ?? "none"}";
        return null;
    }
}
