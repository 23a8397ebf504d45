using System.Reflection;
using System.Runtime.Loader;

namespace DlWorkbook.Interactive;

/// <summary>
/// Makes every request for FSharp.Core resolve to the copy the notebook host already loaded.
/// </summary>
/// <remarks>
/// The notebook hosts ship FSharp.Core 10.0.0.0 while Plotly.NET 6 and Deedle 8 ask for 10.1.0.0.
/// Loading a second FSharp.Core splits type identity (MissingMethodException in Giraffe.ViewEngine),
/// so the only working answer is to hand back the host's copy, which has every member they use.
/// </remarks>
public static class FSharpCoreUnifier
{
    const string Name = "FSharp.Core";
    static int installed;

    /// <summary>Hooks <see cref="AssemblyLoadContext.Default"/>'s Resolving event once.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += Resolve;
    }

    /// <summary>The FSharp.Core already loaded in this process, or null when none is.</summary>
    public static Assembly? Loaded() =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == Name);

    internal static Assembly? Resolve(AssemblyLoadContext context, AssemblyName requested) =>
        requested.Name == Name ? Loaded() : null;
}
