using System.Collections.Concurrent;
using DlWorkbook.Data;
using DlWorkbook.Runtime;

namespace DlWorkbook.Exercises;

/// <summary>
/// What a learner has mastered across the course. Every <see cref="Exercise.Check(string, object?)"/> that gets an
/// answer records its latest result, correct or not yet, in a file on the learner's machine: <c>progress.json</c> in
/// the data folder the library caches the data sets in (<see cref="DataCache.DefaultFolder()"/>), or the file named
/// by <c>DLWORKBOOK_PROGRESS_FILE</c>; never in the repository's tracked files or on the site. A check that is still
/// "not attempted" records nothing, so running a notebook again does not erase what was done.
/// <see cref="Show"/> prints the table and chart; <c>dotnet run --project tools/Workbook -- progress</c> prints the
/// same from the command line.
/// </summary>
public static class Progress
{
    /// <summary>The progress file in use: <c>DLWORKBOOK_PROGRESS_FILE</c> if set, else <c>progress.json</c> in the data folder.</summary>
    public static string FilePath => ProgressFile.Locate(DataCache.DefaultFolder());

    /// <summary>Problems already shown in this process: each is said once, not under every check.</summary>
    static readonly ConcurrentDictionary<string, bool> Said = new();

    /// <summary>
    /// Shows, per notebook and for the mock exam, how many exercises are correct, not yet right, or not attempted, as a
    /// table with a bar for each, and the ids to revisit (those not yet right first). Counterpart of nothing in d2l: a
    /// revision aid.
    /// </summary>
    public static void Show()
    {
        var path = FilePath;
        var data = ProgressFile.Read(path, out var problem) ?? ProgressData.Empty(ExerciseCatalogue.Notebooks);
        data = data with { Notebooks = ExerciseCatalogue.Notebooks };
        var note = problem is null ? "" : $"{problem} It is left as it is; the next check moves it aside and starts a new one.\n";
        CellOutput.Show((problem is null ? "" : $"<div>{System.Net.WebUtility.HtmlEncode(problem)}</div>") + ProgressFile.Html(data, path),
            note + ProgressFile.Text(data, path));
    }

    /// <summary>Forgets every recorded result (deletes the progress file) and says so.</summary>
    public static void Reset()
    {
        var path = FilePath;
        var problem = ProgressFile.Delete(path);
        var text = problem ?? $"Progress reset: {path} deleted; every exercise is not attempted again.";
        CellOutput.Show($"<div>{System.Net.WebUtility.HtmlEncode(text)}</div>", text);
    }

    /// <summary>The recorded results, by exercise id (empty when nothing was recorded or the file cannot be read).</summary>
    internal static IReadOnlyDictionary<string, ExerciseStatus> Results()
    {
        var data = ProgressFile.Read(FilePath, out _) is { } read ? read with { Notebooks = ExerciseCatalogue.Notebooks } : null;
        return data is null
            ? new Dictionary<string, ExerciseStatus>()
            : data.Results.Where(r => ProgressFile.StillMeans(data, r.Key, r.Value))
                .ToDictionary(r => r.Key, r => r.Value.Status == "correct" ? ExerciseStatus.Correct : ExerciseStatus.NotYet);
    }

    /// <summary>
    /// Records <paramref name="result"/> (a check that got an answer); returns a sentence to show when the file could
    /// not be read or written and this problem was not shown before in this process, else null. Never throws.
    /// </summary>
    internal static string? Record(ExerciseResult result, int? marks = null)
    {
        if (result.Status == ExerciseStatus.NotAttempted || !ExerciseCatalogue.Contains(result.Id)) return null;
        try
        {
            var entry = new ProgressEntry(result.StatusText, DateTimeOffset.UtcNow, result.Variant, marks, result.Title);
            var problem = ProgressFile.Update(FilePath, ExerciseCatalogue.Notebooks, data =>
                data with { Results = new Dictionary<string, ProgressEntry>(data.Results) { [result.Id] = entry } });
            return problem is not null && Said.TryAdd(problem, true) ? problem : null;
        }
        catch (Exception e)
        {
            var problem = $"Progress not saved ({e.GetType().Name}: {e.Message}). The check itself is not affected.";
            return Said.TryAdd(problem, true) ? problem : null;
        }
    }
}
