// AppGenerator: turns every notebook into a plain C# program, a .NET 10 file-based app (`dotnet run out/apps/NN-….cs`).
//
// Usage: AppGenerator [--out DIR] [--library PROJECT] [--reference project|package] [NOTEBOOK ...]
//
//   --out DIR          where the programs go (default out/apps); charts and images of a program go to a folder of
//                      its name beside it, plotly.js to DIR/assets
//   --library PROJECT  the course library's project (default lib/DlWorkbook/DlWorkbook.csproj)
//   --reference R      package (default): `#:package` of the build in the local feed packages/ (its version from
//                      packages/VERSION, written by the pack command), as the notebooks load it; project: `#:project` to
//                      the library's source (for work on the library: no pack needed, but every run checks the build)
//   NOTEBOOK ...       the notebooks; without any, every notebooks/*.ipynb of the current folder, and generated
//                      programs of notebooks that no longer exist are removed
//
// Prints one line per program written and "apps: N written, N unchanged, N failed in T ms". Exits 0 on success, 1
// when a notebook cannot be turned into a program (each failure names the notebook, the cell counted from 1 over all
// cells, and what to change; that notebook gets no program, the others do), 2 on bad arguments.
using AppGenerator;

var output = "out/apps";
var library = "lib/DlWorkbook/DlWorkbook.csproj";
var reference = LibraryReference.Package;
var notebooks = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--library" when i + 1 < args.Length:
            library = args[++i];
            break;
        case "--reference" when i + 1 < args.Length && Enum.TryParse<LibraryReference>(args[i + 1], ignoreCase: true, out var r):
            reference = r;
            i++;
            break;
        case var arg when arg.StartsWith('-'):
            Console.Error.WriteLine($"app generator: unknown or incomplete option {arg}. Usage: AppGenerator [--out DIR] "
                                    + "[--library PROJECT] [--reference project|package] [NOTEBOOK ...]");
            return 2;
        default:
            notebooks.Add(args[i]);
            break;
    }
}

var all = notebooks.Count == 0;
if (all)
{
    if (!Directory.Exists("notebooks"))
    {
        Console.Error.WriteLine("app generator: no notebooks/ folder here; run it from the repository root or name the notebooks.");
        return 2;
    }
    notebooks.AddRange(Directory.GetFiles("notebooks", "*.ipynb").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal));
}
if (reference == LibraryReference.Project && !File.Exists(library))
{
    Console.Error.WriteLine($"app generator: the library project {library} does not exist; pass --library PROJECT.");
    return 2;
}
string? version = null;
if (reference == LibraryReference.Package)
{
    var versionFile = Path.Combine("packages", "VERSION");
    if (!File.Exists(versionFile))
    {
        Console.Error.WriteLine("app generator: packages/VERSION is missing; run `dotnet run --project tools/Workbook -- pack` first (the setup command does), "
                                + "or use --reference project.");
        return 2;
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
