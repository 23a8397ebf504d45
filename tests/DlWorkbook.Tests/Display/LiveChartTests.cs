using DlWorkbook.Display;
using DlWorkbook.Tests.Training;
using DlWorkbook.Training;
using Plotly.NET;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Display;

public class LiveChartTests
{
    [Theory]
    [InlineData(3, 10, 3)]
    [InlineData(10, 10, 10)]
    [InlineData(100, 10, 10)]
    [InlineData(1000, 10, 10)]
    [InlineData(7, 3, 3)]
    public void UpdatesAreSpreadOverTheRunAndBounded(int points, int maxUpdates, int expectedDue)
    {
        var due = Enumerable.Range(1, points).Where(p => LiveChart.IsDue(p, points, maxUpdates)).ToList();

        Assert.Equal(1, due[0]);
        // Every share start plus the last point; the chart caps the refreshes at maxUpdates and Finish shows the last.
        Assert.InRange(due.Count, expectedDue, expectedDue + 1);
        Assert.Contains(points, due);
    }

    [Fact]
    public void ChartHasOneNamedCurvePerLegendEntryAndAxisTitles()
    {
        var chart = new LiveChart(["train loss", "test acc"], expectedPoints: 2, yTitle: "value", title: "run");
        chart.Add(1, [0.9, 0.6]);
        chart.Add(2, [0.5, 0.8]);

        var json = GenericChart.toJson(chart.ToChart());

        Assert.Equal(2, GenericChart.getTraces(chart.ToChart()).Count());
        Assert.Contains("\"name\":\"train loss\"", json);
        Assert.Contains("\"name\":\"test acc\"", json);
        Assert.Contains("\"y\":[0.9,0.5]", json);
        Assert.Contains("\"text\":\"epoch\"", json);
        Assert.Contains("\"text\":\"value\"", json);
        Assert.Contains("\"text\":\"run\"", json);
        Assert.Equal([1.0, 2.0], chart.Series[1].X);
        Assert.Equal([0.6, 0.8], chart.Series[1].Y);
    }

    [Fact]
    public void EveryTrainingRunIsShownOnALiveChartWithoutAHostWiringItUp()
    {
        // Training never names Display: the library registers the live chart for it when it loads, in any process.
        var chart = Assert.IsType<LiveChart>(EpochView.Open(["train loss", "test acc"], 3, "loss / accuracy", "run"));

        Assert.Equal(["train loss", "test acc"], chart.Series.Select(s => s.Name));
        Assert.Contains("\"text\":\"run\"", GenericChart.toJson(chart.ToChart()));
    }

    [Fact]
    public void AddNeedsOneValuePerCurve()
    {
        var chart = new LiveChart(["a", "b"], expectedPoints: 1);
        var e = Assert.Throws<ArgumentException>(() => chart.Add(1, [1.0]));
        Assert.Contains("2 curves (a, b)", e.Message);
    }
}

public class PlotsTests
{
    [Fact]
    public void ReluGradientIsZeroLeftOfZeroAndOneRightOfIt()
    {
        var (x, y, gradient) = Plots.SampleWithGradient(t => nn.functional.relu(t), -2, 2, 5);

        Assert.Equal([-2.0, -1, 0, 1, 2], x);
        Assert.Equal([0.0, 0, 0, 1, 2], y);
        Assert.Equal(0.0, gradient[0]);
        Assert.Equal(1.0, gradient[4]);
    }

    [Fact]
    public void SigmoidGradientPeaksAtAQuarter()
    {
        var (_, _, gradient) = Plots.SampleWithGradient(sigmoid, -1, 1, 3);
        Assert.Equal(0.25, gradient[1], 9);
    }

    [Fact]
    public void FunctionAndGradientChartNamesBothCurves()
    {
        var json = GenericChart.toJson(Plots.FunctionAndGradient(tanh, "tanh"));
        Assert.Contains("\"name\":\"tanh(x)\"", json);
        Assert.Contains("\"name\":\"gradient of tanh\"", json);
    }

    [Fact]
    public void ChartValuesKeepSixSignificantDigitsToKeepSavedNotebooksSmall()
    {
        var json = GenericChart.toJson(Plots.Curves([Series.OverEpochs("loss", [0.123456789012, double.NaN])], "epoch", "loss"));
        Assert.Contains("\"y\":[0.123457,\"NaN\"]", json);
    }

    [Fact]
    public void CurvesCanCompareRunsOnALogAxis()
    {
        var json = GenericChart.toJson(Plots.Curves(
            [Series.OverEpochs("lr 0.1", [1.0, 0.5]), Series.OverEpochs("lr 10", [1.0, 1e6])], "epoch", "loss", logY: true));

        Assert.Contains("\"name\":\"lr 10\"", json);
        Assert.Contains("\"type\":\"log\"", json);
        Assert.Throws<ArgumentException>(() => Plots.Curves([], "x", "y"));
    }
}

/// <summary>Outside a notebook a training run prints one line per epoch, and the divergence message.</summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class ConsoleOutputTests
{
    [Fact]
    public void TrainingPrintsOneLinePerEpochAndWhyItStopped()
    {
        var (x, y) = Synthetic.Line(100, [1f, 1f], 0f);
        var net = nn.Linear(2, 1);
        var original = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            Regression.Train(net, Synthetic.Batches(x, y, 10), nn.MSELoss(), optim.SGD(net.parameters(), 0.05), epochs: 3);
            Regression.Train(net, Synthetic.Batches(x, y, 10), nn.MSELoss(), optim.SGD(net.parameters(), 50), epochs: 30);
        }
        finally
        {
            Console.SetOut(original);
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("epoch 1: loss ", lines[0]);
        Assert.StartsWith("epoch 3: loss ", lines[2]);
        Assert.Contains("examples/s", lines[0]);
        Assert.StartsWith("Training diverged in epoch", lines[^1]);
    }
}
