using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace DlWorkbook.Runtime;

/// <summary>Displays a value in the running notebook cell so that it can be updated in place later.</summary>
internal static class UpdatableDisplay
{
    /// <summary>
    /// Displays <paramref name="value"/> in the given MIME types and returns the handle whose
    /// <c>Update</c> replaces that output.
    /// </summary>
    /// <remarks>
    /// Not <c>value.Display(...)</c>: in .NET Interactive 1.0.0-beta.26120.1 that extension publishes one
    /// <see cref="DisplayedValue"/> and returns a second one with a different display id, so the first
    /// update appears as a new output below a stale first one. The kernel context's <c>Display</c>
    /// returns the instance it published.
    /// </remarks>
    internal static DisplayedValue Show(object value, params string[] mimeTypes) =>
        (KernelInvocationContext.Current
         ?? throw new InvalidOperationException("Only a running notebook cell can display a value."))
        .Display(value, mimeTypes);
}
