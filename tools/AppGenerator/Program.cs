// AppGenerator: turns every notebook into a plain C# program, a .NET 10 file-based app (`dotnet run out/apps/NN-….cs`).
// `--help` lists the options.
//
// Prints one line per program written and "apps: N written, N unchanged, N failed in T ms". Exits 0 on success, 1
// when a notebook cannot be turned into a program (each failure names the notebook, the cell counted from 1 over all
// cells, and what to change; that notebook gets no program, the others do), 2 on bad arguments.
using System.CommandLine;
using AppGenerator;
using CommandLines;

var output = new Option<string>("--out")
{
    Description = "where the programs go; charts and images of a program go to a folder of its name beside it, plotly.js to DIR/assets",
    HelpName = "DIR", DefaultValueFactory = _ => "out/apps",
};
var library = new Option<string>("--library")
{
    Description = "the course library's project", HelpName = "PROJECT", DefaultValueFactory = _ => "lib/DlWorkbook/DlWorkbook.csproj",
};
var reference = ToolCommand.Choice("--reference",
    "package: `#:package` of the build in the local feed packages/ (its version from packages/VERSION, written by the pack "
    + "command), as the notebooks load it; project: `#:project` to the library's source (for work on the library: no pack "
    + "needed, but every run checks the build)", ["package", "project"], "package");
var notebooks = ToolCommand.Files("NOTEBOOK",
    "the notebooks; without any, every notebooks/*.ipynb of the current folder, and generated programs of notebooks that no "
    + "longer exist are removed");
var command = new ToolCommand("AppGenerator", "Writes every notebook as a plain C# program.") { output, library, reference, notebooks };
return command.Run(args, parsed => Generate(parsed.GetValue(output)!, parsed.GetValue(library)!,
    Enum.Parse<LibraryReference>(parsed.GetValue(reference)!, ignoreCase: true), [.. parsed.GetValue(notebooks)!]));

static int Generate(string output, string library, LibraryReference reference, List<string> notebooks)
{
    var all = notebooks.Count == 0;
    if (all)
    {
        if (!Directory.Exists("notebooks"))
        {
            Console.Error.WriteLine("app generator: no notebooks/ folder here; run it from the repository root or name the notebooks.");
            return ToolCommand.BadArguments;
        }
        notebooks.AddRange(Directory.GetFiles("notebooks", "*.ipynb").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal));
    }
    if (reference == LibraryReference.Project && !File.Exists(library))
    {
        Console.Error.WriteLine($"app generator: the library project {library} does not exist; pass --library PROJECT.");
        return ToolCommand.BadArguments;
    }
    string? version = null;
    if (reference == LibraryReference.Package)
    {
        var versionFile = Path.Combine("packages", "VERSION");
        if (!File.Exists(versionFile))
        {
            Console.Error.WriteLine("app generator: packages/VERSION is missing; run `dotnet run --project tools/Workbook -- pack` first (the setup command does), "
                                    + "or use --reference project.");
            return ToolCommand.BadArguments;
        }
        version = File.ReadAllText(versionFile).Trim();
    }

    var result = AppGeneration.Run(notebooks, output, library, reference, version, removeStale: all);
    foreach (var path in result.Written) Console.WriteLine("wrote " + Path.GetRelativePath(Environment.CurrentDirectory, path));
    foreach (var note in result.Notes) Console.WriteLine("note: " + note);
    foreach (var failure in result.Failures) Console.Error.WriteLine("app generator: " + failure);
    Console.WriteLine($"apps: {result.Written.Count} written, {result.Unchanged.Count} unchanged, {result.Failures.Count} failed "
                      + $"in {result.Elapsed.TotalMilliseconds:F0} ms");
    return result.Failures.Count == 0 ? 0 : 1;
}
