using System.Reflection;
using Microsoft.DotNet.Interactive.CSharp;

namespace DlWorkbook.Interactive;

/// <summary>
/// Keeps the C# kernel from warning <c>CS1701: Assuming assembly reference 'System.Runtime.Numerics,
/// Version=8.0.0.0' used by 'TorchSharp' matches identity 'System.Runtime.Numerics, Version=10.0.0.0'</c>
/// under every cell that calls <c>torch.tensor</c>.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 is built for .NET 8 and the notebook host runs on .NET 10. A TorchSharp member whose
/// signature names a type that the newer framework assembly defines itself (System.Numerics.Complex, in the
/// overloads of <c>torch.tensor</c>) makes Roslyn unify the two versions and report CS1701 (level 2) or CS1702
/// (level 3). A project build never shows them: the .NET SDK passes NoWarn 1701;1702. Roslyn scripting has no
/// per-diagnostic options (dotnet/roslyn#5501, dotnet/interactive#762), the warning has no source location so
/// <c>#pragma warning disable</c> cannot reach it, and dotnet-interactive publishes every warning (Jupyter
/// prints it as stderr, VS Code as a problem on the cell). The only compiler option the C# kernel's script
/// options carry is the warning level, so this sets it to 1, which drops CS1701 and CS1702 together with the
/// other advisory warnings of levels 2–4 (unused variables, unreachable code, obsolete members).
/// The kernel keeps its options in a private field; if a host version renames it, nothing changes and the
/// notebook smoke test reports the warnings again.
/// </remarks>
public static class CompilerWarnings
{
    /// <summary>The warning level the kernel compiles with: only level-1 warnings are shown.</summary>
    public const int Level = 1;

    /// <summary>Sets the kernel's warning level to <see cref="Level"/>; false when its options cannot be found.</summary>
    public static bool Apply(CSharpKernel kernel)
    {
        var field = typeof(CSharpKernel).GetField("_scriptOptions", BindingFlags.Instance | BindingFlags.NonPublic);
        var options = field?.GetValue(kernel);
        var withLevel = options?.GetType().GetMethod("WithWarningLevel", [typeof(int)]);
        if (field is null || options is null || withLevel is null) return false;
        field.SetValue(kernel, withLevel.Invoke(options, [Level]));
        return true;
    }
}
