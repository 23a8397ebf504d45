using DlWorkbook.Exercises;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using TorchSharp;

namespace DlWorkbook.Tests.Exercises;

/// <summary>
/// Runs a piece of notebook code the way the notebook host does (Roslyn C# scripting, the engine under .NET
/// Interactive) after the notebooks' using preamble, and returns every exercise result it produced.
/// </summary>
static class Snippets
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
        using DlWorkbook.Training;

        """;

    static readonly ScriptOptions Options = ScriptOptions.Default
        .AddReferences(typeof(Exercise).Assembly, typeof(torch).Assembly)
        .AddImports("System", "System.Collections.Generic", "System.Linq");

    public static async Task<IReadOnlyList<(ExerciseResult Result, object? Answer)>> Run(string code, string what)
    {
        var recorded = new List<(ExerciseResult, object?)>();
        Exercise.Recorder.Value = recorded;
        try
        {
            await CSharpScript.RunAsync(Preamble + code, Options);
        }
        catch (CompilationErrorException e)
        {
            throw new InvalidOperationException($"{what} does not compile:\n{string.Join("\n", e.Diagnostics)}\n---\n{code}");
        }
        finally
        {
            Exercise.Recorder.Value = null;
        }
        return recorded;
    }
}
