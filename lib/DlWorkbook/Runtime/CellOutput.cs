using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace DlWorkbook.Runtime;

/// <summary>
/// One line of feedback shown where the code runs: in a notebook cell as one output that carries HTML and plain
/// text (a front end picks the richest it can draw; a text export keeps the plain line), elsewhere (a console
/// program, a test) printed as the plain line. Every part of the library that writes under the running cell (live
/// charts, exercise feedback, download progress) asks <see cref="InNotebook"/> first.
/// </summary>
internal static class CellOutput
{
    /// <summary>True inside a running notebook cell, false in a console program or a test.</summary>
    public static bool InNotebook => KernelInvocationContext.Current is not null;

    public static void Show(string html, string text)
    {
        var context = KernelInvocationContext.Current;
        if (context is null)
        {
            Console.WriteLine(text);
            return;
        }
        // Both MIME types in one output, without a formatter registered for a type of ours.
        context.Publish(new DisplayedValueProduced(text, context.Command,
            [new FormattedValue(HtmlFormatter.MimeType, html), new FormattedValue(PlainTextFormatter.MimeType, text)]));
    }

    /// <summary>Markdown (with $…$ formulas) in a notebook, which the front end renders; its source as plain text elsewhere.</summary>
    public static void ShowMarkdown(string markdown)
    {
        var context = KernelInvocationContext.Current;
        if (context is null)
        {
            Console.WriteLine(markdown);
            return;
        }
        context.Publish(new DisplayedValueProduced(markdown, context.Command,
            [new FormattedValue("text/markdown", markdown), new FormattedValue(PlainTextFormatter.MimeType, markdown)]));
    }
}
