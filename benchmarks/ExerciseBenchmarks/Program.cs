using System.Diagnostics;
using System.Text.RegularExpressions;
using DlWorkbook.Exercises;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using TorchSharp;

// Each exercise's worked solution is one notebook cell. Compiling it is the notebook host's work and is not timed;
// running it is the check: the reference computed on first use, the learner's code run against the reference cases.
const string preamble = """
    using TorchSharp;
    using TorchSharp.Modules;
    using static TorchSharp.torch;
    using DlWorkbook;
    using DlWorkbook.Exercises;

    """;
var options = ScriptOptions.Default.AddReferences(typeof(Exercise).Assembly, typeof(torch).Assembly)
    .AddImports("System", "System.Collections.Generic", "System.Linq");
torch.manual_seed(0);   // loads the native library before the first timing

var folder = Path.Combine("notebooks", "solutions");
if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Run from the repository root: {folder} not found.");
var times = new List<(string Id, double Seconds)>();
foreach (var file in Directory.GetFiles(folder, "*.md").Order())
{
    var text = File.ReadAllText(file);
    foreach (Match section in Regex.Matches(text, @"^## (\d\d\.\d+[a-z]?)\b.*?```csharp\n(.*?)```", RegexOptions.Multiline | RegexOptions.Singleline))
    {
        var script = CSharpScript.Create(preamble + section.Groups[2].Value, options);
        script.Compile();
        var watch = Stopwatch.StartNew();
        await script.RunAsync();
        times.Add((section.Groups[1].Value, watch.Elapsed.TotalSeconds));
    }
}

Console.WriteLine($"{Environment.ProcessorCount} cores, load average {LoadAverage()}; first check of each exercise in a fresh process:");
foreach (var notebook in times.GroupBy(t => t.Id[..2]))
{
    var slowest = notebook.MaxBy(t => t.Seconds);
    Console.WriteLine($"notebook {notebook.Key}: {notebook.Count()} checks in {notebook.Sum(t => t.Seconds):F3} s (slowest {slowest.Id}, {slowest.Seconds:F3} s): "
        + string.Join(", ", notebook.Select(t => $"{t.Id} {t.Seconds * 1000:F0} ms")));
}

// Fresh numbers on demand: Exercise.Again draws new inputs and shows the question; the first check after it computes
// the answer for those inputs with TorchSharp; later checks reuse it. Every exercise and exam part that can be drawn,
// five draws each; the question text goes to a null writer, as only the time matters here.
var draws = new List<(string Id, double Draw, double FirstCheck, double LaterCheck)>();
var console = Console.Out;
Console.SetOut(TextWriter.Null);
foreach (var entry in Exercise.All.Where(e => e.HasVariants))
{
    for (var seed = 1; seed <= 5; seed++)
    {
        var watch = Stopwatch.StartNew();
        Exercise.Again(entry.Id, seed);
        var draw = watch.Elapsed.TotalSeconds;
        watch.Restart();
        object answer = entry.Expects == "a shape" ? new long[] { 1 } : 1.0;   // wrong, but of the right kind: the check computes its answer
        Exercise.Evaluate(entry.Id, answer);
        var first = watch.Elapsed.TotalSeconds;
        watch.Restart();
        Exercise.Evaluate(entry.Id, answer);
        draws.Add((entry.Id, draw, first, watch.Elapsed.TotalSeconds));
    }
    Exercise.Original(entry.Id);
}
Console.SetOut(console);
Console.WriteLine($"drawing again, {draws.Count} draws of {draws.Select(d => d.Id).Distinct().Count()} exercises and exam parts:");
foreach (var (name, pick) in new (string, Func<(string Id, double Draw, double FirstCheck, double LaterCheck), double>)[]
         { ("draw", d => d.Draw), ("first check after a draw", d => d.FirstCheck), ("later check", d => d.LaterCheck) })
{
    var ordered = draws.OrderBy(pick).ToList();
    var slowest = ordered[^1];
    Console.WriteLine($"  {name}: median {pick(ordered[ordered.Count / 2]) * 1000:F1} ms, slowest {pick(slowest) * 1000:F1} ms ({slowest.Id})");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
