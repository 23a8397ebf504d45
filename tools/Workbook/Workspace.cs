using System.Diagnostics;

namespace WorkbookTool;

/// <summary>
/// The repository the commands work on, and the environment their programs run in: every program
/// starts in the repository root with the data mirror and the quiet .NET settings below.
/// </summary>
public sealed class Workspace(string root, IReadOnlyDictionary<string, string> environment)
{
    /// <summary>The repository root (the folder that holds DlWorkbook.sln).</summary>
    public string Root { get; } = root;

    /// <summary>Variables set for every program a command starts.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    /// <summary>Where the programs get the data sets from, for the log.</summary>
    public string DataSource =>
        (Environment.TryGetValue(DataMirror.Variable, out var mirror) ? mirror : System.Environment.GetEnvironmentVariable(DataMirror.Variable))
            is { Length: > 0 } folder
            ? $"data: copied from the mirror {folder}"
            : "data: downloaded from upstream into data/ on first use";

    /// <summary>The same workspace with one more variable set for the programs it starts.</summary>
    public Workspace With(string name, string value) =>
        new(Root, new Dictionary<string, string>(Environment) { [name] = value });

    /// <summary>A path under the repository root, from parts separated by '/'.</summary>
    public string PathOf(string relative) => Path.Combine([Root, .. relative.Split('/')]);

    /// <summary>The workspace of the repository this tool was built from (else the one around the current folder).</summary>
    public static Workspace Find()
    {
        var root = RootAbove(AppContext.BaseDirectory) ?? RootAbove(Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException("No DlWorkbook.sln above the tool or the current folder: run the command inside the workbook.");
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        return new Workspace(root, environment);
    }

    /// <summary>The first folder at or above <paramref name="start"/> that holds DlWorkbook.sln, or null.</summary>
    public static string? RootAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DlWorkbook.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>Runs <c>dotnet</c> with the arguments in the repository root, its output going straight to the console.</summary>
    public int Dotnet(params IEnumerable<string> args) => Run("dotnet", args);

    /// <summary>Runs a program in the repository root and returns its exit code; 127 when it cannot start.</summary>
    public int Run(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = Root, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in Environment) start.Environment[name] = value;
        try
        {
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"workbook: could not start {program}: {e.Message}");
            return 127;
        }
    }
}

/// <summary>The data mirror: a folder laid out like data/ that the library copies the data sets from instead of downloading.</summary>
public static class DataMirror
{
    /// <summary>The variable the course library reads.</summary>
    public const string Variable = "DLWORKBOOK_DATA_MIRROR";
}
