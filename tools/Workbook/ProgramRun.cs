using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WorkbookTool;

/// <summary>
/// One <c>dotnet run</c> of a notebook's plain C# program (which builds it first when it changed): what it printed and
/// how it ended. The test command runs every program once and saves this record beside it (<c>NN-….outcome.json</c>), with
/// what produced the run: the notebook's SHA-256 and the library build the program references. The tests read it.
/// </summary>
public sealed partial record ProgramRun(string Program, bool Quick, int ExitCode, string Output, string Errors, double Seconds)
{
    /// <summary>The SHA-256 of the notebook the program was generated from (the test command sets it).</summary>
    public string? NotebookSha256 { get; init; }

    /// <summary>The course library build the program references (its <c>#:package DlWorkbook@…</c> line), or null.</summary>
    public string? Library { get; init; }

    /// <summary>Generous: the notebooks run beside the programs on a 2-core machine.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// The record file of a program: <c>NN-name.cs</c> → <c>NN-name.outcome.json</c> (not <c>.run.json</c>, which
    /// <c>dotnet run</c> reads as a file-based program's launch settings).
    /// </summary>
    public static string RecordOf(string program) => Path.ChangeExtension(program, ".outcome.json");

    /// <summary>The SHA-256 of a file's bytes, as lowercase hex.</summary>
    public static string Sha256Of(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    [GeneratedRegex(@"^#:package DlWorkbook@(\S+)", RegexOptions.Multiline)]
    private static partial Regex PackageLine();

    /// <summary>
    /// Runs <c>dotnet run PROGRAM [-- ARGUMENTS]</c> in <paramref name="workingDirectory"/> with quick mode on or off
    /// and <paramref name="environment"/> added; a run past <see cref="Limit"/> is stopped (exit code -1).
    /// </summary>
    public static ProgramRun Execute(string program, bool quick, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, params string[] arguments)
    {
        var source = File.ReadAllText(program);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("run");
        psi.ArgumentList.Add(program);
        if (arguments.Length > 0) psi.ArgumentList.Add("--");
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        psi.Environment["DLWORKBOOK_QUICK"] = quick ? "1" : "0";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var exitCode = -1;
        var stopped = "";
        if (process.WaitForExit(Limit))
        {
            process.WaitForExit();
            exitCode = process.ExitCode;
        }
        else
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            stopped = $"\nstopped after {Limit.TotalMinutes} minutes";
        }
        // libtorch's NNPACK notice on Apple silicon is not the program's doing (see KnownNativeNotices); anything else counts.
        var errorText = global::NotebookRunner.KnownNativeNotices.Without(errors.Result);
        return new ProgramRun(Path.GetFullPath(program), quick, exitCode, output.Result, errorText + stopped, clock.Elapsed.TotalSeconds)
        {
            Library = PackageLine().Match(source) is { Success: true } package ? package.Groups[1].Value : null,
        };
    }

    /// <summary>Saves the record through a temporary file, so a reader never sees half of it.</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The record saved at <paramref name="path"/>, or null when there is none.</summary>
    public static ProgramRun? Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<ProgramRun>(File.ReadAllText(path)) : null;
}
