using DlWorkbook.Display;
using Plotly.NET;

namespace DlWorkbook.Tests.Display;

public class ChartTextTests
{
    [Fact]
    public void AShortRunIsATableWithEveryValue()
    {
        var chart = Plots.Curves(
            [Series.OverEpochs("train loss", [0.91234, 0.6, 0.5]), Series.OverEpochs("test acc", [0.7, 0.8, 0.8215])],
            "epoch", "loss / accuracy", "softmax");

        Assert.Equal(
            """
            softmax: loss / accuracy over epoch
              epoch | train loss | test acc
                  1 |     0.9123 |      0.7
                  2 |        0.6 |      0.8
                  3 |        0.5 |   0.8215
            """.ReplaceLineEndings("\n"),
            ChartOutput.Text(chart));
    }

    [Fact]
    public void LongCurvesAreSummedUpWithFirstLastMinAndMaxAndWhere()
    {
        var x = Enumerable.Range(0, 21).Select(i => i / 10.0 - 1).ToList();
        var chart = Plots.Curves(
            [new Series("relu(x)", x, x.Select(v => Math.Max(0, v)).ToList()), new Series("gradient of relu", x, x.Select(v => v > 0 ? 1.0 : 0).ToList())],
            "x", "relu(x)");

        Assert.Equal(
            """
            Chart: relu(x) over x
              relu(x): 21 points; first 0 at x -1, last 1 at x 1; min 0 at x -1, max 1 at x 1
              gradient of relu: 21 points; first 0 at x -1, last 1 at x 1; min 0 at x -1, max 1 at x 0.1
            """.ReplaceLineEndings("\n"),
            ChartOutput.Text(chart));
    }

    [Fact]
    public void NonFiniteValuesAreCountedAndALogAxisIsNamed()
    {
        var values = Enumerable.Range(1, 15).Select(i => i == 15 ? double.NaN : Math.Pow(10, i)).ToList();
        var text = ChartOutput.Text(Plots.Curves([Series.OverEpochs("lr 10", values)], "epoch", "loss", logY: true));

        Assert.Equal(
            """
            Chart: loss (log scale) over epoch
              lr 10: 15 points (1 not finite); first 10 at epoch 1, last 1e14 at epoch 14; min 10 at epoch 1, max 1e14 at epoch 14
            """.ReplaceLineEndings("\n"),
            text);
    }

    [Theory]
    [InlineData(0.123456, "0.1235")]
    [InlineData(34.05125, "34.05")]
    [InlineData(12345.6, "12346")]
    [InlineData(3.0, "3")]
    [InlineData(0.00012345, "1.235e-4")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void NumbersKeepFourSignificantDigits(double value, string expected) => Assert.Equal(expected, ChartText.Num(value));
}

[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class ChartOutputTests
{
    [Fact]
    public void TheFigureJsonHoldsDataAndLayoutOnly()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(ChartOutput.FigureJson(Plots.Curves([Series.OverEpochs("loss", [1.0, 0.5])], "epoch", "loss")))!;
        Assert.Equal(["data", "layout"], json.AsObject().Select(p => p.Key));
        Assert.Equal("loss", json["data"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void PrintNumbersWritesTheTextAndReturnsTheChart()
    {
        var chart = Plots.Curves([Series.OverEpochs("loss", [1.0, 0.5])], "epoch", "loss");
        var original = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        GenericChart returned;
        try { returned = chart.PrintNumbers(); }
        finally { Console.SetOut(original); }

        Assert.Same(chart, returned);
        Assert.Equal(ChartOutput.Text(chart) + Environment.NewLine, output.ToString());
        Assert.Contains("      2 |  0.5", output.ToString());
    }

    [Fact]
    public void OnlyTheChartMimeTypesCanBeAskedFor()
    {
        var e = Assert.Throws<ArgumentException>(() => ChartOutput.Format(Plots.Curves([Series.OverEpochs("a", [1.0])], "x", "y"), "text/html"));
        Assert.Contains("not text/html", e.Message);
    }
}
