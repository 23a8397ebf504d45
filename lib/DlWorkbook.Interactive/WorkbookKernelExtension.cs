using Deedle;
using DlWorkbook.Display;
using DlWorkbook.Runtime;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;

namespace DlWorkbook.Interactive;

/// <summary>
/// Loaded by the notebook host when a notebook references the DlWorkbook package: prepares the
/// process for TorchSharp, Plotly.NET and Deedle and registers the workbook's formatters.
/// </summary>
public sealed class WorkbookKernelExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        // Before anything touches Plotly.NET or Deedle, which would ask for a second FSharp.Core.
        FSharpCoreUnifier.Install();
        // Throws TorchNativeException with the cause and the fix; the host shows it as the first cell's error.
        TorchNative.EnsureLoaded();
        RegisterFormatters();
        // No CS1701 warning under every torch.tensor cell (see CompilerWarnings).
        if (CSharpKernelOf(kernel) is { } csharp) CompilerWarnings.Apply(csharp);
        CheckedMatmulHook.Install(kernel);
        stress ??= GcStress.StartIfRequested();          // the runner's stress mode: every cell under garbage collection
        return Task.CompletedTask;
    }

    static GcStress? stress;

    /// <summary>The C# kernel: the one the extension was loaded into, or the C# child of the notebook's composite kernel.</summary>
    static CSharpKernel? CSharpKernelOf(Kernel kernel) =>
        kernel as CSharpKernel
        ?? (kernel.RootKernel as CompositeKernel)?.ChildKernels.OfType<CSharpKernel>().FirstOrDefault();

    /// <summary>Registers the tensor, frame and chart-free formatters (idempotent).</summary>
    public static void RegisterFormatters()
    {
        Formatter.Register<torch.Tensor>((t, writer) => writer.Write(TensorText.Format(t) + "\n" + TensorText.Describe(t)), PlainTextFormatter.MimeType);
        Formatter.Register<torch.Tensor>((t, writer) => writer.Write(TensorText.ToHtml(t)), HtmlFormatter.MimeType);
        Formatter.Register(typeof(Frame<,>), (frame, writer) => writer.Write(FrameTable.ToHtml(frame)), HtmlFormatter.MimeType);
        Formatter.Register<ImageGrid>((grid, writer) => writer.Write(grid.ToHtml()), HtmlFormatter.MimeType);
        ChartFormatters.Register();
    }
}
