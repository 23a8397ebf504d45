using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace AppGenerator;

/// <summary>How a generated program gets the course library.</summary>
public enum LibraryReference
{
    /// <summary>
    /// <c>#:package DlWorkbook@VERSION</c> from the local feed packages/, the build the notebooks load. An unchanged
    /// program starts without a build step (about 0.6 s before its first line).
    /// </summary>
    Package,

    /// <summary>
    /// <c>#:project</c> to lib/DlWorkbook/DlWorkbook.csproj: the program runs the library's current source, but every
    /// run goes through MSBuild to check it (about 5 s before the first line).
    /// </summary>
    Project,
}

/// <summary>What one generation did.</summary>
/// <param name="Written">Programs written or rewritten.</param>
/// <param name="Unchanged">Programs already up to date (left untouched, so they need no new build).</param>
/// <param name="Failures">The notebooks that got no program, each with the cell and what to change.</param>
/// <param name="Notes">Things the learner should know, for example an edited program kept aside.</param>
public sealed record GenerationResult(
    IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged, IReadOnlyList<string> Failures, IReadOnlyList<string> Notes,
    TimeSpan Elapsed);

/// <summary>Turns notebooks into programs in an output folder.</summary>
public static class AppGeneration
{
    /// <summary>The header line that carries a hash of the rest of the file, so a hand-edited program is noticed.</summary>
    const string HashPrefix = "// content hash: ";

    /// <summary>
    /// Generates one program per notebook into <paramref name="outputFolder"/>, each file written whole or not at all.
    /// A notebook that cannot be turned into a program gets no program (an older one is removed) and a failure that
    /// says why; the others are written. A program the learner edited (an exercise answer) is kept beside the new one
    /// as NAME.cs.edited. When <paramref name="removeStale"/>, the programs of notebooks that no longer exist are removed.
    /// </summary>
    public static GenerationResult Run(
        IReadOnlyList<string> notebooks, string outputFolder, string libraryProject, LibraryReference reference,
        string? packageVersion = null, bool removeStale = true)
    {
        var clock = Stopwatch.StartNew();
        outputFolder = Path.GetFullPath(outputFolder);
        var referenceLine = reference switch
        {
            LibraryReference.Project =>
                "#:project " + Path.GetRelativePath(outputFolder, Path.GetFullPath(libraryProject)).Replace('\\', '/'),
            _ => $"#:package DlWorkbook@{packageVersion ?? throw new ArgumentNullException(nameof(packageVersion))}",
        };

        // The programs' matmul calls are bound against the packed library they will reference (from the current folder, as
        // packages/VERSION is read); with --reference project, against TorchSharp alone.
        var matmul = ProgramMatmul.For(reference == LibraryReference.Package ? Path.Combine("packages", $"DlWorkbook.{packageVersion}.nupkg") : null);
        Directory.CreateDirectory(outputFolder);
        var written = new List<string>();
        var unchanged = new List<string>();
        var failures = new List<string>();
        var notes = new List<string>();
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var notebook in notebooks)
        {
            var path = Path.Combine(outputFolder, Path.GetFileNameWithoutExtension(notebook) + ".cs");
            string text;
            try
            {
                text = WithHash(NotebookProgram.Generate(notebook, referenceLine, Shown(path), matmul));
            }
            catch (GenerationException e)
            {
                failures.Add(e.Message);
                Remove(path, notes);
                continue;
            }
            current.Add(path);
            if (File.Exists(path))
            {
                var old = File.ReadAllText(path);
                if (old == text)
                {
                    unchanged.Add(path);
                    continue;
                }
                KeepIfEdited(path, old, notes);
            }
            File.WriteAllText(path + ".tmp", text, new UTF8Encoding(false));
            File.Move(path + ".tmp", path, overwrite: true);
            written.Add(path);
        }
        if (removeStale)
            foreach (var stale in Directory.GetFiles(outputFolder, "*.cs").Where(f => !current.Contains(f)))
                Remove(stale, notes);
        return new GenerationResult(written, unchanged, failures, notes, clock.Elapsed);
    }

    /// <summary>Removes a generated program that no notebook stands behind now (a learner's edited one is kept aside first).</summary>
    static void Remove(string path, List<string> notes)
    {
        if (!File.Exists(path)) return;
        var text = File.ReadAllText(path);
        if (!text.StartsWith(NotebookProgram.GeneratedMarker, StringComparison.Ordinal)) return;
        KeepIfEdited(path, text, notes);
        File.Delete(path);
    }

    static void KeepIfEdited(string path, string text, List<string> notes)
    {
        if (text.StartsWith(NotebookProgram.GeneratedMarker, StringComparison.Ordinal) && !Edited(text)) return;
        File.Copy(path, path + ".edited", overwrite: true);
        notes.Add($"{Shown(path)} had been edited; your copy is now {Shown(path)}.edited "
                  + "(copy your answers over, or pass them with --answer).");
    }

    /// <summary>The text with a hash of everything after the hash line in its second line.</summary>
    internal static string WithHash(string program)
    {
        var newline = program.IndexOf('\n');
        var rest = program[(newline + 1)..];
        return program[..(newline + 1)] + HashPrefix + Hash(rest) + "\n" + rest;
    }

    /// <summary>True when a generated program's text no longer matches the hash it was written with.</summary>
    internal static bool Edited(string program)
    {
        var lines = program.Split('\n', 3);
        return lines.Length < 3 || !lines[1].StartsWith(HashPrefix, StringComparison.Ordinal)
               || lines[1][HashPrefix.Length..] != Hash(lines[2]);
    }

    static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n"))))[..16];

    static string Shown(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path).Replace('\\', '/');
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
