using System.Text.RegularExpressions;
using Frame = Deedle.Frame;
using DlWorkbook.Apps;
using DlWorkbook.Display;
using DlWorkbook.Exercises;
using Microsoft.DotNet.Interactive.Formatting;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Apps;

/// <summary>What a notebook displays, as a console program shows it: text, and files for charts and images.</summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public sealed class ConsoleDisplayTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("dlw-console-").FullName;

    public ConsoleDisplayTests()
    {
        ConsoleDisplay.OutputFolder = Path.Combine(folder, "02-lesson");
        ConsoleDisplay.AssetsFolder = Path.Combine(folder, "assets");
        ConsoleDisplay.FileStem = "cell-7";
    }

    public void Dispose()
    {
        ConsoleDisplay.OutputFolder = null;
        ConsoleDisplay.FileStem = null;
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void ATensorIsItsPyTorchStyleTextAndShapeLine()
    {
        Assert.Equal("tensor([[1., 2.],\n        [3., 4.]])\nshape [2, 2] · float32 · cpu",
            ConsoleDisplay.Text(tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2)));
    }

    [Fact]
    public void AFormulaIsItsLatexSourceWithTheNumbers()
    {
        var mse = 0.25526;
        Assert.Equal(@"$$\mathrm{MSE} = 0.25526$$", ConsoleDisplay.Text(Formula.Latex($$"""\mathrm{MSE} = {{mse:F5}}""")));
    }

    [Fact]
    public void AFrameIsATextTableWithTheNotebooksRowsAndNumberFormat()
    {
        var frame = Frame.FromRecords(new[] { new { Name = "a", Loss = 0.123456, Count = 12 }, new { Name = "bb", Loss = 1.5, Count = 3 } });

        Assert.Equal(
            "   Name    Loss  Count\n" +
            "0  a     0.1235     12\n" +
            "1  bb       1.5      3\n" +
            "2 rows × 3 columns",
            ConsoleDisplay.Text(frame));
    }

    [Fact]
    public void ALongFrameShowsItsFirstAndLastRowsWithAGap()
    {
        var frame = Frame.FromRecords(Enumerable.Range(0, 30).Select(i => new { Value = i * 10 }));
        var lines = ConsoleDisplay.Text(frame).Split('\n');

        Assert.Equal(FrameTable.EdgeRows * 2 + 3, lines.Length);
        Assert.Equal("…       …", lines[FrameTable.EdgeRows + 1]);
        Assert.Equal("29    290", lines[^2]);
        Assert.Equal("30 rows × 1 columns", lines[^1]);
    }

    [Fact]
    public void AChartIsAnOfflinePageBesideTheLocalPlotlyWithItsNumbersPrinted()
    {
        var chart = Plots.Curves([Series.OverEpochs("loss", [0.9, 0.5, 0.3])], "epoch", "loss", "run");

        var text = ConsoleDisplay.Text(chart);
        var second = ConsoleDisplay.Text(chart);

        var page = Path.Combine(folder, "02-lesson", "cell-7.html");
        Assert.StartsWith($"chart: {ConsoleDisplay.Shown(page)}\n", text);
        Assert.EndsWith(ChartOutput.Text(chart), text);
        Assert.StartsWith($"chart: {ConsoleDisplay.Shown(Path.Combine(folder, "02-lesson", "cell-7-2.html"))}\n", second);
        var html = File.ReadAllText(page);
        Assert.Contains("<script src=\"../assets/plotly-2.28.0.min.js\"></script>", html);
        Assert.Contains(ChartOutput.Svg(chart), html);
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html);
        Assert.True(new FileInfo(Path.Combine(folder, "assets", "plotly-2.28.0.min.js")).Length > 1_000_000);
    }

    [Fact]
    public void AnImageGridIsAPngEnlargedAsInTheNotebookWithItsTitlesPrinted()
    {
        var grid = new ImageGrid(ones(3, 1, 4, 5), ["a", "b", "c"], columns: 2, scale: 3);

        var text = ConsoleDisplay.Text(grid);

        var path = Path.Combine(folder, "02-lesson", "cell-7.png");
        Assert.Equal($"image: {ConsoleDisplay.Shown(path)} ({grid})\ntitles, row by row: a, b | c", text);
        var png = File.ReadAllBytes(path);
        // IHDR: width and height of 2 columns × 5 × 3 pixels with a 2-pixel gap, 2 rows × 4 × 3.
        Assert.Equal(2 * 15 + 2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(2 * 12 + 2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public void OtherValuesAreTheNotebooksPlainText()
    {
        Assert.Equal("null", ConsoleDisplay.Text(null));
        Assert.Equal("as it is", ConsoleDisplay.Text("as it is"));
        Assert.Equal(new[] { 1, 2 }.ToDisplayString(PlainTextFormatter.MimeType), ConsoleDisplay.Text(new[] { 1, 2 }));
        var result = Exercise.Evaluate("01.3", 3L);
        Assert.Equal(result.ToText(), ConsoleDisplay.Text(result));
    }

    [Fact]
    public void ALiveChartWritesItsFinalChartOnlyWhenAProgramChoseAnOutputFolder()
    {
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            var chart = new LiveChart(["loss"], expectedPoints: 2);
            chart.Add(1, [0.5]);
            chart.Add(2, [0.25]);
            chart.Finish();
            ConsoleDisplay.OutputFolder = null;
            var quiet = new LiveChart(["loss"], expectedPoints: 1);
            quiet.Add(1, [0.5]);
            quiet.Finish();
        }
        finally
        {
            Console.SetOut(console);
        }

        var lines = output.ToString().Split('\n');
        Assert.Equal("epoch 1: loss 0.5000", lines[0]);
        Assert.Equal("epoch 2: loss 0.2500", lines[1]);
        Assert.Matches(@"^chart: .*cell-7\.html$", lines[2]);
        Assert.Single(lines, l => l.StartsWith("chart:", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.Combine(folder, "02-lesson"), "*.html"));
    }

    [Fact]
    public void CellHeadersAndFailuresNameTheNotebookAndCell()
    {
        Assert.Equal("── cell 19 · 2.3 Least squares ──", NotebookApp.HeaderLine(19, " 2.3 Least squares "));
        Assert.Equal("── cell 4 ──", NotebookApp.HeaderLine(4, null));
        var failure = NotebookApp.FailureText("01-linear-regression.ipynb", 19, new InvalidOperationException("no"));
        Assert.Matches(new Regex(@"^01-linear-regression\.ipynb, cell 19: InvalidOperationException: no\n"), failure);
    }
}
