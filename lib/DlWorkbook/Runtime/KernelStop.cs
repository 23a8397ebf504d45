using Microsoft.DotNet.Interactive;

namespace DlWorkbook.Runtime;

/// <summary>
/// The Stop button: the notebook kernel's cancellation of the running cell, or none outside a notebook (a plain C#
/// program, a test). The library's loops read it once per pass and check it between batches, which costs a field read.
/// </summary>
internal static class KernelStop
{
    internal static CancellationToken Token => KernelInvocationContext.Current?.CancellationToken ?? CancellationToken.None;
}
