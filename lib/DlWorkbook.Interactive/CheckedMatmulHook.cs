using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;

namespace DlWorkbook.Interactive;

/// <summary>
/// Routes every use of TorchSharp's <c>matmul</c> in a C# cell through <c>DlWorkbook.Tensors.CheckedMatmul</c> before
/// the cell is compiled, so that a shape mistake throws a .NET exception instead of aborting the kernel.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's native matmul lacks the try/catch every other tensor function has, so libtorch's error ends
/// the process (see <c>CheckedMatmul</c>). The cell is bound against the kernel's previous submissions and rewritten by
/// <see cref="CheckedMatmulRewriter"/>, the one rewriter, which tools/AppGenerator also runs on the programs.
/// </remarks>
public static class CheckedMatmulHook
{
    // SubmitCode.Code has an internal setter; middleware that changes a cell's code has no public way to do it.
    static readonly PropertyInfo CodeProperty = typeof(SubmitCode).GetProperty(nameof(SubmitCode.Code))!;

    // The kernel's script options hold the references added by `#r` since its last cell ran; the last script's do not.
    static readonly FieldInfo? OptionsField = typeof(CSharpKernel).GetField("_scriptOptions", BindingFlags.NonPublic | BindingFlags.Instance);

    static readonly ConditionalWeakTable<Kernel, object> Hooked = new();

    /// <summary>Adds the rewriting step to every C# kernel under <paramref name="kernel"/>'s root (once per kernel).</summary>
    public static void Install(Kernel kernel)
    {
        foreach (var csharp in kernel.FindKernels(k => k is CSharpKernel).Cast<CSharpKernel>())
        {
            if (!Hooked.TryAdd(csharp, Hooked)) continue;
            csharp.AddMiddleware(async (command, context, next) =>
            {
                if (command is SubmitCode submit && Rewrite(submit.Code, csharp) is { } rewritten)
                    CodeProperty.SetValue(submit, rewritten);
                await next(command, context);
            });
        }
    }

    /// <summary>
    /// <paramref name="code"/> with its TorchSharp matmul calls made checked, or null when it has none (or cannot be
    /// bound, or the course library is not referenced). Never throws: a failure here leaves the cell as it was.
    /// </summary>
    /// <param name="code">A cell's C# code.</param>
    /// <param name="kernel">The kernel that will run it: its previous cells (variables, usings) and references.</param>
    public static string? Rewrite(string code, CSharpKernel kernel)
    {
        // The name can also be written with a Unicode escape (\u006Datmul); other cells are not parsed at all.
        if (!code.Contains("matmul", StringComparison.Ordinal) && !code.Contains("\\u", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var options = OptionsField?.GetValue(kernel) as ScriptOptions ?? FallbackOptions();
            var compilation = (kernel.ScriptState is { } previous
                ? previous.Script.ContinueWith(code, options)
                : CSharpScript.Create(code, options)).GetCompilation();
            if (compilation.GetTypeByMetadataName("DlWorkbook.Tensors.CheckedMatmul") is null) return null;
            return CheckedMatmulRewriter.Rewrite(compilation, compilation.SyntaxTrees.Single());
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>What the C# kernel starts with (its usings), plus every assembly this process has loaded.</summary>
    static ScriptOptions FallbackOptions() =>
        ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .AddImports("System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq")
            .AddReferences(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0));
}
