using DlWorkbook.Display;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace DlWorkbook.Interactive;

/// <summary>
/// Shows every Plotly.NET chart as one output with the MIME types of <see cref="ChartOutput"/> (Plotly JSON,
/// SVG, text), none of which loads anything from the network.
/// </summary>
/// <remarks>
/// Plotly.NET.Interactive's own kernel extension registers a <c>text/html</c> formatter for
/// <see cref="GenericChart"/> whose HTML loads require.js and plotly.js from CDNs. It only registers a
/// formatter and leaves the preferred MIME types alone, so naming ours as the preferred ones wins whichever
/// extension loads first: the CDN formatter stays registered but is never asked for.
/// </remarks>
public static class ChartFormatters
{
    /// <summary>Registers the chart formatters and makes them the preferred MIME types for charts (idempotent).</summary>
    public static void Register()
    {
        foreach (var mimeType in ChartOutput.MimeTypes)
            Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartOutput.Format(chart, mimeType)), mimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), [.. ChartOutput.MimeTypes]);
    }
}
