using DlWorkbook.Exercises;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using TorchSharp;

namespace DlWorkbook.Tests.Exercises;

/// <summary>
/// Runs pieces of notebook code the way the notebook host does (Roslyn C# scripting, the engine under .NET
/// Interactive) after the notebooks' using preamble, and returns the exercise checks each piece made.
/// </summary>
/// <remarks>
/// Compiling is the slow part (about half a second a piece), so the pieces of one notebook are compiled together,
/// each in its own block and try/catch; a notebook whose batch does not compile falls back to one piece at a time,
/// so every error names its exercise.
/// </remarks>
public static class Snippets
{
    /// <summary>The using preamble of the notebooks, with the exercises' namespace.</summary>
    public const string Preamble = """
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using DlWorkbook;
        using DlWorkbook.Data;
        using DlWorkbook.Display;
        using DlWorkbook.Exercises;
        using DlWorkbook.Layers;
        using DlWorkbook.Tensors;
        using DlWorkbook.Training;

        """;

    public sealed record Outcome(IReadOnlyList<(ExerciseResult Result, object? Answer)> Checks, string? Error);

    static readonly ScriptOptions Options = ScriptOptions.Default
        .AddReferences(typeof(Exercise).Assembly, typeof(torch).Assembly, typeof(Snippets).Assembly)
        .AddImports("System", "System.Collections.Generic", "System.Linq");

    static readonly List<(string Id, int Start)> marks = [];
    static readonly Dictionary<string, string> failures = [];
    static List<(ExerciseResult, object?)>? recorded;

    /// <summary>Called by the generated script before each piece.</summary>
    public static void Begin(string id) => marks.Add((id, recorded!.Count));

    /// <summary>Called by the generated script when a piece throws.</summary>
    public static void Failed(string id, Exception e) => failures[id] = $"{e.GetType().Name}: {e.Message}";

    /// <summary>Runs every piece (id, code) and returns what each one checked, or why it failed.</summary>
    public static async Task<IReadOnlyDictionary<string, Outcome>> RunAll(IEnumerable<(string Id, string Code)> pieces)
    {
        var outcomes = new Dictionary<string, Outcome>();
        foreach (var notebook in pieces.GroupBy(p => p.Id[..2]))
        {
            var batch = await Run(notebook.ToList());
            if (batch is not null)
            {
                foreach (var (id, outcome) in batch) outcomes[id] = outcome;
                continue;
            }
            foreach (var piece in notebook) outcomes[piece.Id] = (await Run([piece]))?[piece.Id] ?? new([], "does not compile");
        }
        return outcomes;
    }

    /// <summary>Null when the batch does not compile (and holds more than one piece); a single piece reports its diagnostics.</summary>
    static async Task<Dictionary<string, Outcome>?> Run(IReadOnlyList<(string Id, string Code)> pieces)
    {
        var script = Preamble + string.Concat(pieces.Select(p =>
            $"global::DlWorkbook.Tests.Exercises.Snippets.Begin(\"{p.Id}\");\ntry\n{{\n{p.Code}\n}}\n"
            + $"catch (Exception e) {{ global::DlWorkbook.Tests.Exercises.Snippets.Failed(\"{p.Id}\", e); }}\n"));
        marks.Clear();
        failures.Clear();
        recorded = [];
        Exercise.Recorder.Value = recorded;
        try
        {
            // The notebook host (dotnet-interactive) fails a cell on any warning, and compiles without a nullable
            // context: `long[]? x` warns there (CS8632). Hold the pieces to the same rule.
            var compiled = CSharpScript.Create(script, Options);
            var warnings = compiled.Compile().Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
            if (warnings.Count > 0) throw new CompilationErrorException("warnings", [.. warnings]);
            await compiled.RunAsync();
        }
        catch (CompilationErrorException e)
        {
            if (pieces.Count > 1) return null;
            return new() { [pieces[0].Id] = new([], $"does not compile cleanly:\n{string.Join("\n", e.Diagnostics)}\n---\n{pieces[0].Code}") };
        }
        finally
        {
            Exercise.Recorder.Value = null;
        }
        var outcomes = new Dictionary<string, Outcome>();
        for (var i = 0; i < marks.Count; i++)
        {
            var end = i + 1 < marks.Count ? marks[i + 1].Start : recorded.Count;
            outcomes[marks[i].Id] = new(recorded[marks[i].Start..end], failures.GetValueOrDefault(marks[i].Id));
        }
        return outcomes;
    }
}
