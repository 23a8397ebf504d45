using System.Text.RegularExpressions;
using System.Xml.Linq;
using DlWorkbook.Display;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;
using CSharpStyle = Plotly.NET.CSharp.GenericChartExtensions;

namespace DlWorkbook.Tests.Display;

public class SvgChartTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    static XDocument Draw(GenericChart chart) => XDocument.Parse(ChartOutput.Svg(chart));

    static List<string> Texts(XDocument svg) => svg.Descendants(Svg + "text").Select(t => t.Value).ToList();

    /// <summary>The stroked paths of the curves (inside the clipped group): (colour, d, is-marker path).</summary>
    static List<(string Color, string D, bool Markers)> Curves(XDocument svg) =>
        svg.Descendants(Svg + "g").Single().Elements(Svg + "path")
           .Select(p => ((string)p.Attribute("stroke")!, (string)p.Attribute("d")!, (string?)p.Attribute("stroke-linecap") == "round"))
           .ToList();

    [Fact]
    public void DrawsEveryCurveWithMarkersLegendAxisTitlesAndTitle()
    {
        var svg = Draw(Plots.Curves(
            [Series.OverEpochs("train loss", [0.9, 0.6, 0.5]), Series.OverEpochs("test acc", [0.7, 0.8, 0.82])],
            "epoch", "loss / accuracy", "softmax"));

        var root = svg.Root!;
        Assert.Equal(Plots.Width.ToString(), (string)root.Attribute("width")!);
        Assert.Equal(Plots.Height.ToString(), (string)root.Attribute("height")!);
        var texts = Texts(svg);
        foreach (var expected in new[] { "softmax", "epoch", "loss / accuracy", "train loss", "test acc" }) Assert.Contains(expected, texts);
        var curves = Curves(svg);
        // One line and one marker path per curve, three points each, in two different colours.
        Assert.Equal(4, curves.Count);
        Assert.Equal(2, curves.Select(c => c.Color).Distinct().Count());
        Assert.All(curves.Where(c => !c.Markers), c => Assert.Equal(3, Regex.Matches(c.D, "[ML]").Count));
        Assert.All(curves.Where(c => c.Markers), c => Assert.Equal(3, Regex.Matches(c.D, "h0").Count));
        // Whole-number x values (epochs) get whole-number ticks.
        Assert.Contains("1", texts);
        Assert.Contains("3", texts);
        Assert.DoesNotContain("1.5", texts);
    }

    [Fact]
    public void ANaNValueIsAGapInTheLine()
    {
        var svg = Draw(Plots.Curves([Series.OverEpochs("loss", [1.0, 0.5, double.NaN, 0.3, 0.2])], "epoch", "loss"));

        var line = Curves(svg).Single(c => !c.Markers).D;
        Assert.Equal(2, line.Count(ch => ch == 'M'));
        Assert.Equal(2, line.Count(ch => ch == 'L'));
        Assert.Equal(4, Regex.Matches(Curves(svg).Single(c => c.Markers).D, "h0").Count);
    }

    [Fact]
    public void ALogAxisHasDecadeTicksAndLeavesOutValuesItCannotShow()
    {
        var svg = Draw(Plots.Curves([Series.OverEpochs("lr 10", [1.0, 100, 1e4, 0, 1e6])], "epoch", "loss", logY: true));

        var texts = Texts(svg);
        foreach (var decade in new[] { "1", "100", "10k", "1M" }) Assert.Contains(decade, texts);
        var line = Curves(svg).Single(c => !c.Markers).D;
        Assert.Equal(2, line.Count(ch => ch == 'M'));   // the 0 breaks the line
    }

    [Fact]
    public void APlotlyNetChartWithTheDefaultTemplateUsesItsColours()
    {
        // Notebook 00 draws its loss curve with Plotly.NET's Chart.Line and the default template.
        var chart = CSharpChart.Line<int, double, string>(x: [1, 2, 3], y: [34.05, 19.27, 10.91], Name: "training loss", ShowMarkers: true);
        chart = CSharpStyle.WithYAxisStyle<double, double, string>(chart, TitleText: "mean squared error", AxisType: StyleParam.AxisType.Log);

        var svg = Draw(chart);

        Assert.Equal("rgba(99, 110, 250, 1.0)", Curves(svg)[0].Color);   // the template's first colour (#636efa)
        Assert.Contains("mean squared error", Texts(svg));
        Assert.Contains("20", Texts(svg));   // a log axis over less than two decades gets 1-2-5 ticks
        Assert.DoesNotContain("training loss", Texts(svg));   // one curve: no legend, as in plotly.js
    }

    [Fact]
    public void TraceTypesItDoesNotDrawAreNamedInThePicture()
    {
        var svg = SvgChart.Render("""{"data":[{"type":"bar","x":[1,2],"y":[3,4]}],"layout":{}}""");
        Assert.Contains("(bar traces are drawn only in the interactive chart)", svg);
    }

    [Fact]
    public void TheSameChartGivesTheSamePicture()
    {
        GenericChart Make() => Plots.Curves([Series.OverEpochs("loss", [0.9, 0.5])], "epoch", "loss");
        Assert.Equal(ChartOutput.Svg(Make()), ChartOutput.Svg(Make()));
    }

    [Fact]
    public void NotAFigureIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => SvgChart.Render("""{"layout":{}}"""));
        Assert.Contains("expected a JSON object with a \"data\" array", e.Message);
        Assert.Throws<ArgumentException>(() => SvgChart.Render("<html>"));
    }
}
