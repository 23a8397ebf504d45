using DlWorkbook.Exercises;

namespace WorkbookTool;

/// <summary>
/// The `progress` command: the learner's exercise progress as the library records it, read from the progress file
/// (progress.json in the data folder, or DLWORKBOOK_PROGRESS_FILE) and printed as the library's Progress.Show prints it.
/// </summary>
public static class ProgressReport
{
    /// <summary>Prints the table; with <c>--reset</c>, deletes the file first.</summary>
    public static Step Step { get; } = new("progress", (workspace, invocation) =>
    {
        var path = ProgressFile.Locate(DataFolder(workspace));
        if (invocation.Has(Flag.Reset))
        {
            if (ProgressFile.Delete(path) is { } failed)
            {
                Console.Error.WriteLine($"progress: {failed}");
                return 1;
            }
            Console.WriteLine($"Progress reset: {path} deleted; every exercise is not attempted again.");
            return 0;
        }
        var data = ProgressFile.Read(path, out var problem);
        if (problem is not null)
        {
            Console.Error.WriteLine($"progress: {problem} The next exercise check moves it aside and starts a new one.");
            return 1;
        }
        if (data is null)
        {
            Console.WriteLine($"No exercise has been checked yet: {path} does not exist. Every check in a notebook or a lesson program records its result there.");
            return 0;
        }
        Console.WriteLine(ProgressFile.Text(data, path));
        return 0;
    });

    /// <summary>The data folder the library uses from the repository root: DLWORKBOOK_DATA_DIR if set, else data/.</summary>
    static string DataFolder(Workspace workspace) =>
        Environment.GetEnvironmentVariable("DLWORKBOOK_DATA_DIR") is { Length: > 0 } folder ? Path.GetFullPath(folder) : workspace.PathOf("data");
}
