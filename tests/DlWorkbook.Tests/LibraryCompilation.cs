using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DlWorkbook.Tests;

/// <summary>The course library's sources compiled with Roslyn, for tests that read its code with a semantic model.</summary>
static class LibraryCompilation
{
    /// <summary>The source files of the library and its kernel extension (not their build output).</summary>
    public static IEnumerable<string> SourceFiles() => new[] { "lib/DlWorkbook", "lib/DlWorkbook.Interactive" }
        .SelectMany(folder => Directory.GetFiles(Path.Combine(RepoPaths.Root, folder), "*.cs", SearchOption.AllDirectories))
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
        .Order(StringComparer.Ordinal);

    /// <summary>
    /// The library and its kernel extension, each file named by its path from the repository root and parsed with its
    /// doc comments (so that a <c>cref</c> binds), compiled once for every test that reads them.
    /// </summary>
    public static CSharpCompilation Library => LibraryOnce.Value;

    static readonly Lazy<CSharpCompilation> LibraryOnce = new(() => Compile(SourceFiles()
        .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), Parse.WithDocumentationMode(DocumentationMode.Diagnose),
            path: Path.GetRelativePath(RepoPaths.Root, f)))
        .Append(GlobalUsings()), "DlWorkbook"));

    /// <summary>The language as the library's build and the notebook kernel read it.</summary>
    public static readonly CSharpParseOptions Parse = new CSharpParseOptions(LanguageVersion.Preview)
        .WithFeatures([new("FileBasedProgram", "")]);

    /// <summary>The implicit usings of the SDK, which a bare compilation lacks.</summary>
    public static SyntaxTree GlobalUsings() => CSharpSyntaxTree.ParseText("""
        global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq;
        global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;
        """, Parse);

    /// <summary>
    /// Compiles <paramref name="trees"/> against the assemblies this test runs with (the course library's own only when
    /// <paramref name="withLibrary"/>, as for a program that uses it); fails the test on a compile error.
    /// </summary>
    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, string name, bool withLibrary = false)
    {
        var ours = new[] { "DlWorkbook.dll", "DlWorkbook.Interactive.dll" };
        var references = Assemblies.Value.Where(r => withLibrary || !ours.Contains(Path.GetFileName(r.FilePath)));
        var compilation = CSharpCompilation.Create(name, trees, references,
            new CSharpCompilationOptions(withLibrary ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != GeneratedPart).Take(5).ToList();
        Assert.True(errors.Count == 0, "the code did not compile for the check:\n" + string.Join("\n", errors));
        return compilation;
    }

    /// <summary>Left to source generators ([GeneratedRegex] and the like), which this compilation does not run.</summary>
    const string GeneratedPart = "CS8795";

    /// <summary>The assemblies this test runs with (the framework, TorchSharp, the course library), read once.</summary>
    static readonly Lazy<PortableExecutableReference[]> Assemblies = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p)).ToArray());
}
