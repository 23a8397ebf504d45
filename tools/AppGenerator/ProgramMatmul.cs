using System.IO.Compression;
using DlWorkbook.Interactive;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AppGenerator;

/// <summary>
/// Makes a program's TorchSharp matmul uses checked, as the notebook kernel does with each cell: TorchSharp 0.107's native
/// matmul ends the process on a shape mismatch instead of throwing, so a program, like a notebook, goes through
/// <c>DlWorkbook.Tensors.CheckedMatmul</c> and a try/catch around it still works. The whole program is bound by the
/// compiler, and <see cref="CheckedMatmulRewriter"/>, the kernel's rewriter, rewrites what binds to TorchSharp's matmul.
/// </summary>
/// <param name="references">What the program is bound against: the .NET libraries, TorchSharp and, where packed, the course library.</param>
internal sealed class ProgramMatmul(IReadOnlyList<MetadataReference> references)
{
    /// <summary>TorchSharp's assembly, copied beside the generator when it is built (see AppGenerator.csproj).</summary>
    static readonly string TorchSharp = Path.Combine(AppContext.BaseDirectory, "references", "TorchSharp.dll");

    static readonly Lazy<IReadOnlyList<MetadataReference>> Base = new(() =>
    {
        if (!File.Exists(TorchSharp))
            throw new InvalidOperationException($"{TorchSharp} is missing, so the programs' matmul calls cannot be checked; "
                                                + "build tools/AppGenerator again (its build copies it there).");
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return [.. Directory.GetFiles(runtime, "System*.dll").Append(Path.Combine(runtime, "netstandard.dll"))
            .Where(f => !f.Contains("Native", StringComparison.Ordinal) && File.Exists(f))
            .Select(f => MetadataReference.CreateFromFile(f)), MetadataReference.CreateFromFile(TorchSharp)];
    });

    /// <summary>
    /// Binds programs against TorchSharp and the course library in <paramref name="package"/> (a DlWorkbook .nupkg), or
    /// TorchSharp alone when there is none (a tensor a library method returns then stays unchecked: its type is unknown).
    /// </summary>
    public static ProgramMatmul For(string? package)
    {
        if (package is null || !File.Exists(package)) return new(Base.Value);
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.Entries.Where(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.Name == "DlWorkbook.dll")
            .OrderBy(e => e.FullName, StringComparer.Ordinal).LastOrDefault();
        if (entry is null) return new(Base.Value);
        using var stream = entry.Open();
        var image = new MemoryStream();
        stream.CopyTo(image);
        return new([.. Base.Value, MetadataReference.CreateFromImage(image.ToArray())]);
    }

    /// <summary><paramref name="program"/> with every use of TorchSharp's matmul checked; its line breaks are kept.</summary>
    public string Route(string program, CSharpParseOptions options)
    {
        // The name can also be written with a Unicode escape (\u006Datmul).
        if (!program.Contains("matmul", StringComparison.Ordinal) && !program.Contains("\\u", StringComparison.OrdinalIgnoreCase)) return program;
        var tree = CSharpSyntaxTree.ParseText(program, options);
        var compilation = CSharpCompilation.Create("program", [tree], references, new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        return CheckedMatmulRewriter.Rewrite(compilation, tree) ?? program;
    }
}
