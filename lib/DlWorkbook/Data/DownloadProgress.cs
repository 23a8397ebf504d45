using System.Diagnostics;
using System.Globalization;
using DlWorkbook.Runtime;
using Microsoft.DotNet.Interactive.Formatting;

namespace DlWorkbook.Data;

/// <summary>
/// Progress of one download: a single updating line under the running notebook cell, or a line on
/// standard error in a console. Updates are throttled because a notebook runner keeps every update as
/// an output of its own (dotnet-repl does).
/// </summary>
internal sealed class DownloadProgress
{
    static readonly TimeSpan NotebookInterval = TimeSpan.FromSeconds(2);
    static readonly TimeSpan TerminalInterval = TimeSpan.FromSeconds(0.25);
    static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);

    readonly string label;
    readonly long total;
    readonly TimeSpan interval;
    readonly bool inNotebook = CellOutput.InNotebook;
    readonly bool overwriteLine = !Console.IsErrorRedirected;
    readonly Stopwatch clock = Stopwatch.StartNew();
    TimeSpan lastShown = TimeSpan.MinValue;
    DisplayedValue? displayed;

    DownloadProgress(string label, long total)
    {
        this.label = label;
        this.total = total;
        interval = inNotebook ? NotebookInterval : overwriteLine ? TerminalInterval : LogInterval;
    }

    /// <summary>Starts reporting a download of about <paramref name="total"/> bytes and shows its first line.</summary>
    public static DownloadProgress Start(string label, long total)
    {
        var progress = new DownloadProgress(label, total);
        progress.Report(0);
        return progress;
    }

    /// <summary>Shows the byte count if the last update is old enough.</summary>
    public void Report(long bytes)
    {
        if (lastShown != TimeSpan.MinValue && clock.Elapsed - lastShown < interval) return;
        lastShown = clock.Elapsed;
        Show(Text(bytes), final: false);
    }

    /// <summary>Shows the final line: done (or the given outcome) and the time taken.</summary>
    public void Finish(long bytes, string outcome = "done") =>
        Show(string.Create(CultureInfo.InvariantCulture, $"{Text(bytes)} {outcome} in {clock.Elapsed.TotalSeconds:F1} s"), final: true);

    string Text(long bytes) => total > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{label}: {bytes / 1e6:F1} of {total / 1e6:F1} MB ({100.0 * bytes / total:F0}%)")
        : string.Create(CultureInfo.InvariantCulture, $"{label}: {bytes / 1e6:F1} MB");

    void Show(string text, bool final)
    {
        if (inNotebook)
        {
            if (displayed is null) displayed = UpdatableDisplay.Show(text, PlainTextFormatter.MimeType);
            else displayed.Update(text);
        }
        else if (overwriteLine)
        {
            Console.Error.Write("\r" + text + (final ? Environment.NewLine : ""));
        }
        else
        {
            Console.Error.WriteLine(text);
        }
    }
}
