using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DlWorkbook.Display;
using Plotly.NET;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Display;

public class GridPlotsTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The bowl z = x² + y² on a 41 × 41 grid from -2 to 2.</summary>
    static (Tensor X, Tensor Y, Tensor Z) Bowl()
    {
        var x = arange(-20, 21, dtype: float64) / 10;   // exactly 0 in the middle, unlike linspace's -1.1e-16
        var y = x.clone();
        var mesh = meshgrid([y, x], indexing: "ij");   // [41, 41] each: row = y, column = x
        return (x, y, mesh[1].pow(2) + mesh[0].pow(2));
    }

    /// <summary>XOR's four points and a band classifier that gets all four right: class 1 where 0.5 &lt; x₁ + x₂ &lt; 1.25.</summary>
    static (Tensor Points, Tensor Labels, Func<Tensor, Tensor> Band) Xor() => (
        tensor(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } }),
        tensor(new long[] { 0, 1, 1, 0 }),
        p =>
        {
            var s = p[.., 0] + p[.., 1];
            return (s.gt(0.5) & s.lt(1.25)).to(int64);
        });

    /// <summary>The coloured cells of the heatmaps and contours in a picture.</summary>
    static List<XElement> Cells(XDocument svg) =>
        svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("shape-rendering") == "crispEdges").SelectMany(g => g.Elements(Svg + "rect")).ToList();

    static JsonNode Figure(GenericChart chart) => JsonNode.Parse(ChartOutput.FigureJson(chart))!;

    [Fact]
    public void ContourLinesOfABowlAreCirclesAtTheirLevel()
    {
        var (x, y, z) = Bowl();
        var xs = x.data<double>().ToArray();
        var rows = Enumerable.Range(0, 41).Select(i => z[i].data<double>().ToArray()).ToArray();

        var segments = SvgChart.ContourSegments(xs, xs, rows, level: 1).ToList();

        // The circle of radius 1 crosses about 2π / 0.1 ≈ 63 grid cells; every end point lies on it (up to the
        // linear interpolation between grid points 0.1 apart).
        Assert.InRange(segments.Count, 50, 80);
        foreach (var (from, to) in segments)
            foreach (var (px, py) in new[] { from, to })
                Assert.InRange(Math.Sqrt(px * px + py * py), 0.99, 1.01);
    }

    [Fact]
    public void AContourChartDrawsItsLevelsAndPathsOfflineAndNamesItsNumbers()
    {
        var (x, y, z) = Bowl();

        var chart = Plots.Contour(x, y, z, "w₀", "w₁", "bowl",
            [new Series("lr 0.1", [1.5, 1.2, 0.96], [-1.5, -1.2, -0.96]), new Series("lr 1.1", [1, -1.2, 1.44, -1.73, 2.07], [1, -1.2, 1.44, -1.73, 2.07])],
            levels: 8);

        var svg = XDocument.Parse(ChartOutput.Svg(chart));
        var paths = svg.Descendants(Svg + "g").Single(g => g.Attribute("clip-path") is not null).Elements(Svg + "path").ToList();
        // Levels at round values strictly between the lowest and highest z (0 and 8): steps of 1 from 1 to 7, each
        // one joined line; then the two paths as line and markers.
        var levels = paths.Where(p => (string?)p.Attribute("stroke-width") == "1.5").ToList();
        Assert.Equal(7, levels.Count);
        Assert.All(levels, l => Assert.StartsWith("M", (string)l.Attribute("d")!));
        Assert.True(levels.Select(l => (string)l.Attribute("d")!).Max(d => Regex.Matches(d, "L").Count) > 50, "joined into long lines");
        Assert.Equal(4, paths.Count(p => (string?)p.Attribute("stroke-width") == "2" || (string?)p.Attribute("stroke-linecap") == "round" && p.Attribute("stroke-width")?.Value == "6"));
        Assert.DoesNotContain("drawn only in the interactive chart", svg.ToString());
        // The axes keep the grid's range, so the diverging path leaves the picture instead of squeezing it.
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("2.0", texts);
        Assert.DoesNotContain("2.5", texts);

        var figure = Figure(chart);
        Assert.Equal("contour", (string)figure["data"]![0]!["type"]!);
        Assert.Equal("lines", (string)figure["data"]![0]!["contours"]!["coloring"]!);
        Assert.Equal(1.0, (double)figure["data"]![0]!["contours"]!["size"]!);
        Assert.Equal([-2.0, 2.0], figure["layout"]!["xaxis"]!["range"]!.AsArray().Select(v => (double)v!).ToArray());

        var text = ChartOutput.Text(chart);
        Assert.Contains("bowl: w₁ over w₀", text);
        Assert.Contains("contours: contour over a 41 × 41 grid, w₀ -2 to 2, w₁ -2 to 2; min 0 at (0, 0), max 8 at (-2, -2); 7 levels 1 to 7", text);
        Assert.Contains("lr 1.1: 5 points", text);
    }

    [Fact]
    public void AContourRefusesWrongShapesAndEmptyInputsNamingThem()
    {
        var (x, y, z) = Bowl();

        var e = Assert.Throws<ArgumentException>(() => Plots.Contour(x, y, z.T[..40], "a", "b"));
        Assert.Contains("shape [ny, nx] = [41, 41], but it has shape [40, 41]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.Contour(x.flip(0), y, z, "a", "b"));
        Assert.Contains("x must increase from one grid value to the next, but x[0] = 2 and x[1] = 1.9", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.Contour(x[..1], y, z, "a", "b"));
        Assert.Contains("x must be a 1-D tensor of at least 2 grid values, but it has shape [1]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.Contour(x, y.reshape(1, 41), z, "a", "b"));
        Assert.Contains("y must be a 1-D tensor of at least 2 grid values, but it has shape [1, 41]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.Contour(x, y, full(41, 41, double.NaN, dtype: float64), "a", "b"));
        Assert.Contains("z ([41, 41]) has no finite value", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.Contour(x, y, z, "a", "b", paths: [new Series("path", [1, 2], [1])]));
        Assert.Contains("The path \"path\" has 2 x values but 1 y values", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.Contour(x, y, z, "a", "b", paths: [new Series("empty", [], [])]));
        Assert.Contains("The path \"empty\" has no points", e.Message);
    }

    [Fact]
    public void DecisionRegionsFillTheGridWithThePredictedClassAndShowThePoints()
    {
        var (points, labels, band) = Xor();

        var chart = Plots.DecisionRegions(band, points, labels, "XOR", ["zero", "one"], resolution: 27);

        var figure = Figure(chart);
        var heatmap = figure["data"]![0]!;
        Assert.Equal("heatmap", (string)heatmap["type"]!);
        var gx = heatmap["x"]!.AsArray().Select(v => (double)v!).ToArray();
        var zRows = heatmap["z"]!.AsArray().Select(r => r!.AsArray().Select(v => (int)v!).ToArray()).ToArray();
        // The grid runs 15 % beyond the points: -0.15 to 1.15 in 27 steps of 0.05, so (0, 0) is row 3, column 3.
        Assert.Equal(27, gx.Length);
        Assert.Equal(-0.15, gx[0], 1e-9);
        Assert.Equal(0, zRows[3][3]);     // (0, 0): x₁ + x₂ = 0
        Assert.Equal(1, zRows[3][23]);    // (1, 0): 1
        Assert.Equal(1, zRows[23][3]);    // (0, 1): 1
        Assert.Equal(0, zRows[23][23]);   // (1, 1): 2
        Assert.Equal(["zero", "one"], figure["data"]!.AsArray().Skip(1).Select(t => (string)t!["name"]!).ToArray());
        Assert.Equal([0.0, 1.0], figure["data"]![1]!["x"]!.AsArray().Select(v => (double)v!).ToArray());   // class 0: (0, 0), (1, 1)

        var svg = XDocument.Parse(ChartOutput.Svg(chart));
        var cells = Cells(svg);
        Assert.Equal(2, cells.Select(c => (string)c.Attribute("fill")!).Distinct().Count());
        // Equal neighbours share one rectangle: at most three runs per row of a band.
        Assert.InRange(cells.Count, 27, 3 * 27);
        Assert.Contains("zero", svg.Descendants(Svg + "text").Select(t => t.Value));

        var text = ChartOutput.Text(chart);
        Assert.Contains("predicted class: heatmap over a 27 × 27 grid, x₁ -0.15 to 1.15, x₂ -0.15 to 1.15; 0 on ", text);
        Assert.Matches(@"0 on \d+\.\d %, 1 on \d+\.\d % of the grid", text);
    }

    [Fact]
    public void DecisionRegionsTakeScoresPerClassAndUseTheLargest()
    {
        var (points, labels, _) = Xor();

        // Scores [m, 2]: class 1 wins right of x₁ = 0.5.
        var chart = Plots.DecisionRegions(p => stack([0.5f - p[.., 0], p[.., 0] - 0.5f], dim: 1), points, labels, "a line", resolution: 27);

        var z = Figure(chart)["data"]![0]!["z"]!.AsArray();
        Assert.Equal(0, (int)z[0]![0]!);
        Assert.Equal(1, (int)z[0]![26]!);
    }

    [Fact]
    public void DecisionRegionsRefuseWrongShapesAndEmptyInputsNamingThem()
    {
        var (points, labels, band) = Xor();

        var e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(band, ones(4, 3), labels, "t"));
        Assert.Contains("points must have shape [n, 2], one row per example with its two features, but it has shape [4, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(band, points.to(int64), labels, "t"));
        Assert.Contains("points must be floating point (the model's input dtype), but they are Int64", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(band, zeros(0, 2), zeros(0, dtype: int64), "t"));
        Assert.Contains("points is empty (shape [0, 2])", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(band, points, labels[..3], "t"));
        Assert.Contains("labels must have shape [n] = [4], one class index per row of points, but it has shape [3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(band, points, labels.to(float32), "t"));
        Assert.Contains("labels must be integer class indices (int64), but they are Float32", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(p => p.sum(1, keepdim: true), points, labels, "t", resolution: 11));
        Assert.Contains("for the m = 121 grid points of shape [121, 2], but it returned shape [121, 1]", e.Message);
        Assert.Contains("(score > 0.5).to(torch.int64)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Plots.DecisionRegions(band, points, labels, "t", resolution: 1));
        Assert.Contains("resolution must be from 2 to 400", e.Message);
    }

    [Fact]
    public void AHeatmapOrContourFromAnyFigureIsDrawnWithItsColours()
    {
        // No colorscale given: Viridis, from dark purple at the lowest value to yellow at the highest.
        var heatmap = SvgChart.Render("""{"data":[{"type":"heatmap","x":[0,1],"y":[0,1],"z":[[0,1],[1,0]]}],"layout":{}}""");
        var fills = Cells(XDocument.Parse(heatmap)).Select(r => (string)r.Attribute("fill")!).ToList();
        Assert.Equal(["#440154", "#fde725", "#fde725", "#440154"], fills);

        // A filled contour (plotly's default colouring): band cells under thin lines.
        var contour = SvgChart.Render("""
            {"data":[{"type":"contour","x":[0,1,2],"y":[0,1,2],"z":[[0,1,2],[1,2,3],[2,3,4]],
              "colorscale":[[0,"rgb(0,0,0)"],[1,"rgb(255,255,255)"]],"contours":{"start":1,"end":3,"size":1}}],"layout":{}}
            """);
        var doc = XDocument.Parse(contour);
        Assert.Equal(3, doc.Descendants(Svg + "path").Count(p => (string?)p.Attribute("stroke") == "rgba(0,0,0,0.3)"));
        // z = 0 lies in the band below level 1, coloured as its middle, 0.5: an eighth of the way from black to white.
        Assert.Equal("#202020", (string)Cells(doc)[0].Attribute("fill")!);
    }
}
