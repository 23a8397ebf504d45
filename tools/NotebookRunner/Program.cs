using NotebookRunner;

// Usage: NotebookRunner [--quick] [--out DIR] [--timeout SECONDS] [NOTEBOOK ...]
// Without notebooks it runs every notebooks/*.ipynb of the repository it is started in.
var quick = false;
var outDir = "out/notebooks";
var timeout = TimeSpan.FromMinutes(20);
var notebooks = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick": quick = true; break;
        case "--out": outDir = args[++i]; break;
        case "--timeout": timeout = TimeSpan.FromSeconds(double.Parse(args[++i])); break;
        default: notebooks.Add(args[i]); break;
    }
}
if (notebooks.Count == 0) notebooks.AddRange(Directory.GetFiles("notebooks", "*.ipynb").Where(f => !Path.GetFileName(f).StartsWith('.')).Order());
if (notebooks.Count == 0)
{
    Console.Error.WriteLine("No notebooks found in notebooks/. Run this from the repository root.");
    return 1;
}

var failed = 0;
foreach (var notebook in notebooks)
{
    Console.WriteLine($"run  {notebook} ({(quick ? "quick" : "full")} mode) ...");
    var result = NotebookRun.Execute(notebook, outDir, quick, timeout);
    Console.WriteLine($"{(result.Passed ? "ok  " : "FAIL")} {result.Notebook} in {result.Elapsed.TotalSeconds:0.0} s -> {result.ExecutedCopy}");
    foreach (var failure in result.Failures) Console.WriteLine("     " + failure);
    if (!result.Passed) failed++;
}
Console.WriteLine($"notebooks: {notebooks.Count - failed} passed, {failed} failed");
return failed == 0 ? 0 : 1;
