using System.Globalization;
using System.Net;
using System.Text;
using DlWorkbook.Runtime;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using TorchSharp;

namespace DlWorkbook.Display;

/// <summary>
/// What a notebook would display, shown on a console instead: text for what has a text form, files for what
/// does not. Used by the programs generated from the notebooks (through their <c>display(...)</c>) and by any plain
/// C# program that wants the notebook's view of a value.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A tensor: the PyTorch-style text of <see cref="TensorText"/> and its shape line, as in a notebook.</item>
/// <item>A Deedle frame: a text table with the rows and number format of the notebook's HTML table (<see cref="FrameTable"/>).</item>
/// <item>A formula (<see cref="Formula"/>): its LaTeX source with the computed numbers filled in.</item>
/// <item>A chart: a standalone HTML file that draws it offline with a local plotly.js (written once to
/// <see cref="AssetsFolder"/>), its path, and the numbers it shows (<see cref="ChartText"/>).</item>
/// <item>An image grid: a PNG file, its path, size and titles.</item>
/// <item>An exercise result: its one line, as <c>Exercise.Check</c> prints it.</item>
/// <item>Anything else: the plain text the notebook's formatter gives it.</item>
/// </list>
/// Files go to <see cref="OutputFolder"/>; a program that never sets it gets <c>./output</c> on its first chart or image.
/// </remarks>
public static class ConsoleDisplay
{
    static readonly object Gate = new();
    static readonly Dictionary<string, int> FilesPerName = new(StringComparer.Ordinal);
    static string? outputFolder, assetsFolder;

    /// <summary>
    /// Where chart and image files go. Null until a program sets it (a generated program sets it to the folder
    /// beside its .cs file); then the first file goes to <c>output</c> under the current folder. A
    /// <see cref="LiveChart"/> writes its final chart only when this is set, so library code run from tests leaves no files.
    /// </summary>
    public static string? OutputFolder
    {
        get => outputFolder;
        set { lock (Gate) { outputFolder = value is null ? null : Path.GetFullPath(value); FilesPerName.Clear(); } }
    }

    /// <summary>Where plotly.js is written for the chart files; <c>assets</c> inside <see cref="OutputFolder"/> unless set.</summary>
    public static string AssetsFolder
    {
        get => assetsFolder ?? Path.Combine(Folder, "assets");
        set => assetsFolder = Path.GetFullPath(value);
    }

    /// <summary>
    /// The start of the next file names, for example <c>cell-19</c> (a generated program sets it at each notebook
    /// cell); files are named <c>cell-19.html</c>, <c>cell-19-2.html</c>, …. Null: <c>chart-1.html</c>, <c>image-1.png</c>, ….
    /// </summary>
    public static string? FileStem { get; set; }

    static string Folder => outputFolder ?? Path.GetFullPath("output");

    /// <summary>Prints <paramref name="value"/> as a notebook would display it; charts and images are written to files.</summary>
    public static void Show(object? value) => Console.WriteLine(Text(value));

    /// <summary>
    /// What <see cref="Show"/> prints for <paramref name="value"/>; for a chart or an image grid the file is
    /// written first and the text names it.
    /// </summary>
    public static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        torch.Tensor t => TensorText.Format(t) + "\n" + TensorText.Describe(t),
        LaTeXString latex => latex.ToString(),
        IPlainText plain => plain.ToText(),
        GenericChart chart => $"chart: {Shown(SaveChart(chart))}\n{ChartOutput.Text(chart)}",
        ImageGrid grid => $"image: {Shown(SavePng(grid))} ({grid}){TitlesLine(grid)}",
        _ when FrameTable.IsFrame(value) => FrameTable.ToText(value),
        _ => value.ToDisplayString(PlainTextFormatter.MimeType),
    };

    /// <summary>
    /// Writes the chart as a standalone HTML page that draws it with the local plotly.js (the static SVG shows
    /// where scripts do not run) and lists its numbers; returns the file's full path.
    /// </summary>
    internal static string SaveChart(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var path = NextFile("chart", ".html");
        var plotlyJs = new PlotlyJs(typeof(GenericChart).Assembly);
        var script = Path.Combine(AssetsFolder, plotlyJs.FileName);
        plotlyJs.WriteTo(script);
        var scriptUrl = Path.GetRelativePath(Path.GetDirectoryName(path)!, script).Replace('\\', '/');
        WriteAtomically(path, ChartPage(chart, scriptUrl));
        return path;
    }

    /// <summary>
    /// Writes the grid as one PNG (<see cref="ImageGrid.ToPng"/>), enlarged by the grid's <see cref="ImageGrid.Scale"/>
    /// as in the notebook; returns the file's full path.
    /// </summary>
    internal static string SavePng(ImageGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var path = NextFile("image", ".png");
        File.WriteAllBytes(path + ".tmp", grid.ToPng(Math.Max(1, (int)Math.Round(grid.Scale))));
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }

    /// <summary>
    /// The page for one chart: plotly.js from <paramref name="scriptUrl"/> (relative to the page), the figure,
    /// the static SVG as the fallback without scripts, and the chart's numbers as text.
    /// </summary>
    internal static string ChartPage(GenericChart chart, string scriptUrl)
    {
        var summary = ChartOutput.Text(chart);
        var title = summary.Split('\n')[0];
        // "</" cannot end the script element early: JSON allows "<\/" for "</".
        var figure = ChartOutput.FigureJson(chart).Replace("</", "<\\/", StringComparison.Ordinal);
        return new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
            .Append("<style>body{font-family:sans-serif;margin:1em}#chart{max-width:960px}pre{color:#444;white-space:pre-wrap}</style>\n")
            .Append("</head>\n<body>\n<div id=\"chart\">").Append(ChartOutput.Svg(chart)).Append("</div>\n")
            .Append("<pre>").Append(WebUtility.HtmlEncode(summary)).Append("</pre>\n")
            .Append("<script src=\"").Append(WebUtility.HtmlEncode(scriptUrl)).Append("\"></script>\n")
            .Append("<script>\nconst figure = ").Append(figure).Append(";\n")
            .Append("if (window.Plotly) { const el = document.getElementById('chart'); el.innerHTML = ''; ")
            .Append("Plotly.newPlot(el, figure.data, figure.layout, {responsive: true}); }\n</script>\n")
            .Append("</body>\n</html>\n")
            .ToString();
    }

    /// <summary>A path as a learner would type it: relative to the current folder when inside it.</summary>
    internal static string Shown(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    static string TitlesLine(ImageGrid grid) =>
        grid.Titles.Count == 0 ? "" : "\ntitles, row by row: " + string.Join(" | ",
            Enumerable.Range(0, grid.Rows).Select(r => string.Join(", ", grid.Titles.Skip(r * grid.Columns).Take(grid.Columns))));

    static string NextFile(string kind, string extension)
    {
        lock (Gate)
        {
            var stem = FileStem ?? kind;
            var count = FilesPerName[stem + extension] = FilesPerName.GetValueOrDefault(stem + extension) + 1;
            // cell-19.html, cell-19-2.html, …; without a stem chart-1.html, chart-2.html, …
            var name = FileStem is null || count > 1 ? $"{stem}-{count.ToString(CultureInfo.InvariantCulture)}" : stem;
            Directory.CreateDirectory(Folder);
            return Path.Combine(Folder, name + extension);
        }
    }

    static void WriteAtomically(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text, new UTF8Encoding(false));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
