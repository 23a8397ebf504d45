using DynamicObj;
using Plotly.NET;
using TorchSharp;
using static TorchSharp.torch;
using CSharpChart = Plotly.NET.CSharp.Chart;
using CSharpStyle = Plotly.NET.CSharp.GenericChartExtensions;
using DlWorkbook.Tensors;

namespace DlWorkbook.Display;

/// <summary>Charts over a grid of two inputs: a loss surface as contour lines, and a classifier's decision regions.</summary>
public static partial class Plots
{
    /// <summary>Colours of the paths on a contour chart and of the classes on a decision-region chart.</summary>
    static readonly string[] Palette =
        ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>
    /// Contour lines of a function of two variables, such as a loss over two weights, with paths drawn on top
    /// (for example the weights after every gradient-descent step). Counterpart of matplotlib's <c>contour</c>
    /// with <c>plot</c> on top, as d2l's <c>show_trace_2d</c> draws optimisation paths.
    /// </summary>
    /// <param name="x">The grid's x values, shape [nx], increasing.</param>
    /// <param name="y">The grid's y values, shape [ny], increasing.</param>
    /// <param name="z">The function's values, shape [ny, nx]: row i holds the values at y[i], column j those at x[j]
    /// (what <c>torch.meshgrid([y, x], indexing: "ij")</c> gives).</param>
    /// <param name="xTitle">Title of the x axis.</param>
    /// <param name="yTitle">Title of the y axis.</param>
    /// <param name="title">Title of the chart, or none.</param>
    /// <param name="paths">Paths drawn over the contours, each a <see cref="Series"/> of x and y values; a path that
    /// leaves the grid is cut off at its edge, the axes keep the grid's range.</param>
    /// <param name="levels">About how many contour lines to draw, at round values between the lowest and the highest z.</param>
    /// <exception cref="ArgumentException">A shape does not fit, a grid axis has fewer than 2 values or does not
    /// increase, z has no finite value, or a path is empty or has different numbers of x and y values.</exception>
    public static GenericChart Contour(Tensor x, Tensor y, Tensor z, string xTitle, string yTitle, string? title = null,
        IEnumerable<Series>? paths = null, int levels = 12)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(z);
        var xs = GridAxis(x, nameof(x));
        var ys = GridAxis(y, nameof(y));
        if (z.dim() != 2 || z.shape[0] != ys.Length || z.shape[1] != xs.Length)
            throw new ArgumentException(
                $"z must have one row per y value and one column per x value, shape [ny, nx] = [{ys.Length}, {xs.Length}], "
                + $"but it has shape {z.ShapeText()}. torch.meshgrid([y, x], indexing: \"ij\") gives grids of that shape.", nameof(z));
        if (levels < 1) throw new ArgumentException($"levels must be at least 1, got {levels}.", nameof(levels));
        var rows = Rows(z, ys.Length, xs.Length);
        var finite = rows.SelectMany(r => r).Where(double.IsFinite).ToList();
        if (finite.Count == 0) throw new ArgumentException($"z ({z.ShapeText()}) has no finite value to draw contours of.", nameof(z));
        var pathList = (paths ?? []).ToList();
        foreach (var p in pathList)
        {
            if (p.X.Count != p.Y.Count)
                throw new ArgumentException($"The path \"{p.Name}\" has {p.X.Count} x values but {p.Y.Count} y values; give one of each per point.", nameof(paths));
            if (p.X.Count == 0) throw new ArgumentException($"The path \"{p.Name}\" has no points.", nameof(paths));
        }

        var (low, high) = (finite.Min(), finite.Max());
        var size = NiceLevelStep((high - low) / levels);
        // Levels strictly between the lowest and the highest value: a level at the minimum would be a single point.
        var start = (Math.Floor(low / size) + 1) * size;
        var end = (Math.Ceiling(high / size) - 1) * size;
        var contour = new Trace2D("contour");
        contour.SetProperty("name", "contours");
        contour.SetProperty("x", xs.Select(Compact).ToArray());
        contour.SetProperty("y", ys.Select(Compact).ToArray());
        contour.SetProperty("z", rows.Select(r => r.Select(Compact).ToArray()).ToArray());
        // Greys, dark at the lowest level: the coloured paths stand out on them.
        contour.SetProperty("colorscale", new object[] { new object[] { 0.0, "#252525" }, new object[] { 1.0, "#c8c8c8" } });
        contour.SetProperty("showscale", false);
        contour.SetProperty("showlegend", false);
        var contours = new DynamicObj.DynamicObj();
        contours.SetProperty("coloring", "lines");
        contours.SetProperty("start", Compact(start));
        contour.SetProperty("autocontour", false);
        contours.SetProperty("end", Compact(Math.Max(start, end)));
        contours.SetProperty("size", Compact(size));
        contours.SetProperty("showlabels", true);
        contour.SetProperty("contours", contours);

        var charts = new List<GenericChart> { GenericChart.ofTraceObject(true, contour) };
        charts.AddRange(pathList.Select((p, i) => CSharpChart.Line<double, double, string>(
            x: p.X.Select(Compact), y: p.Y.Select(Compact), Name: p.Name, ShowMarkers: true,
            LineColor: Color.fromString(Palette[i % Palette.Length]), MarkerColor: Color.fromString(Palette[i % Palette.Length]))));
        var chart = CSharpChart.Combine(charts);
        chart = CSharpStyle.WithXAxisStyle<double, double, string>(chart, TitleText: xTitle, MinMax: Tuple.Create(xs[0], xs[^1]));
        chart = CSharpStyle.WithYAxisStyle<double, double, string>(chart, TitleText: yTitle, MinMax: Tuple.Create(ys[0], ys[^1]));
        return Finish(chart, title);
    }

    /// <summary>
    /// A classifier's decision regions as filled areas, with the labelled points on top: every point of a grid
    /// around the points gets the class <paramref name="classify"/> predicts there, so the borders between the
    /// coloured areas are the model's decision boundaries. Counterpart of scikit-learn's
    /// <c>DecisionBoundaryDisplay</c> (matplotlib's <c>contourf</c> over a <c>meshgrid</c>).
    /// </summary>
    /// <param name="classify">The model: grid points of shape [m, 2] (the dtype of <paramref name="points"/>) in,
    /// either class indices [m] or one score per class [m, q] (the largest wins) out. Runs without gradients.</param>
    /// <param name="points">The examples, shape [n, 2]: one row per example, its two features.</param>
    /// <param name="labels">Their classes, shape [n], integer class indices 0, 1, ….</param>
    /// <param name="title">Title of the chart.</param>
    /// <param name="classNames">A name per class for the legend; "class 0", "class 1", … by default.</param>
    /// <param name="resolution">Grid points along each axis (at least 2).</param>
    /// <param name="xTitle">Title of the x axis (the first feature).</param>
    /// <param name="yTitle">Title of the y axis (the second feature).</param>
    /// <exception cref="ArgumentException">A shape does not fit, there are no points, the points are not floating
    /// point, a label is not a class index, or <paramref name="classify"/> returns neither [m] nor [m, q].</exception>
    public static GenericChart DecisionRegions(Func<Tensor, Tensor> classify, Tensor points, Tensor labels, string title,
        IReadOnlyList<string>? classNames = null, int resolution = 81, string xTitle = "x₁", string yTitle = "x₂")
    {
        ArgumentNullException.ThrowIfNull(classify);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(labels);
        if (points.dim() != 2 || points.shape[1] != 2)
            throw new ArgumentException($"points must have shape [n, 2], one row per example with its two features, but it has shape {points.ShapeText()}.", nameof(points));
        if (!points.is_floating_point())
            throw new ArgumentException($"points must be floating point (the model's input dtype), but they are {points.dtype}; convert with .to(torch.float32).", nameof(points));
        var n = points.shape[0];
        if (n == 0) throw new ArgumentException("points is empty (shape [0, 2]): there is nothing to draw the regions around.", nameof(points));
        if (labels.dim() != 1 || labels.shape[0] != n)
            throw new ArgumentException($"labels must have shape [n] = [{n}], one class index per row of points, but it has shape {labels.ShapeText()}.", nameof(labels));
        if (labels.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte))
            throw new ArgumentException($"labels must be integer class indices (int64), but they are {labels.dtype}; convert with .to(torch.int64).", nameof(labels));
        if (resolution is < 2 or > 400) throw new ArgumentException($"resolution must be from 2 to 400 grid points per axis, got {resolution}.", nameof(resolution));

        var pointValues = points.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();   // [n * 2], row by row
        var labelValues = labels.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        if (labelValues.Min() < 0)
            throw new ArgumentException($"labels must be class indices 0, 1, …, but the smallest is {labelValues.Min()}.", nameof(labels));
        var gx = Span(Enumerable.Range(0, (int)n).Select(i => pointValues[2 * i]), resolution);
        var gy = Span(Enumerable.Range(0, (int)n).Select(i => pointValues[2 * i + 1]), resolution);

        long[] predicted;
        var m = (long)resolution * resolution;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            // Row i of the grid is y = gy[i], column j is x = gx[j]: grid point i * resolution + j.
            var mesh = meshgrid([tensor(gy), tensor(gx)], indexing: "ij");
            var grid = stack([mesh[1].reshape(-1), mesh[0].reshape(-1)], dim: 1).to_type(points.dtype).to(points.device);   // [m, 2]
            var output = classify(grid);
            if (output is null)
                throw new ArgumentException("classify returned null; it must return class indices [m] or scores [m, q].", nameof(classify));
            Tensor classes;
            if (output.dim() == 1 && output.shape[0] == m) classes = output;
            else if (output.dim() == 2 && output.shape[0] == m && output.shape[1] >= 2) classes = output.argmax(1);
            else
                throw new ArgumentException(
                    $"classify must return class indices [m] or one score per class [m, q] with q ≥ 2 for the m = {m} grid points "
                    + $"of shape [{m}, 2], but it returned shape {output.ShapeText()}. For a single score, compare it with a "
                    + "threshold, for example (score > 0.5).to(torch.int64).reshape(-1).", nameof(classify));
            predicted = classes.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        }
        if (predicted.Min() < 0)
            throw new ArgumentException($"classify must return class indices 0, 1, …, but returned {predicted.Min()}.", nameof(classify));
        var q = (int)Math.Max(predicted.Max(), labelValues.Max()) + 1;
        string Strong(int k) => Palette[(k + 1) % Palette.Length];   // blue, green, orange, …: red is kept for paths
        string Light(int k) => Lighten(Strong(k), 0.7);

        var regions = new Trace2D("heatmap");
        regions.SetProperty("name", "predicted class");
        regions.SetProperty("x", gx.Select(Compact).ToArray());
        regions.SetProperty("y", gy.Select(Compact).ToArray());
        regions.SetProperty("z", Enumerable.Range(0, resolution)
            .Select(i => Enumerable.Range(0, resolution).Select(j => (int)predicted[i * resolution + j]).ToArray()).ToArray());
        // One flat colour per class: class k spans [k - 0.5, k + 0.5] of z, a step in the colorscale.
        regions.SetProperty("colorscale", Enumerable.Range(0, q)
            .SelectMany(k => new[] { new object[] { (double)k / q, Light(k) }, new object[] { (double)(k + 1) / q, Light(k) } }).ToArray());
        regions.SetProperty("zmin", -0.5);
        regions.SetProperty("zmax", q - 0.5);
        regions.SetProperty("showscale", false);
        regions.SetProperty("showlegend", false);

        var charts = new List<GenericChart> { GenericChart.ofTraceObject(true, regions) };
        for (var k = 0; k < q; k++)
        {
            var members = Enumerable.Range(0, (int)n).Where(i => labelValues[i] == k).ToList();
            if (members.Count == 0) continue;
            var marker = new Trace2D("scatter");
            marker.SetProperty("name", classNames is not null && k < classNames.Count ? classNames[k] : $"class {k}");
            marker.SetProperty("mode", "markers");
            marker.SetProperty("x", members.Select(i => Compact(pointValues[2 * i])).ToArray());
            marker.SetProperty("y", members.Select(i => Compact(pointValues[2 * i + 1])).ToArray());
            var style = new DynamicObj.DynamicObj();
            style.SetProperty("color", Strong(k));
            style.SetProperty("size", 8);
            var outline = new DynamicObj.DynamicObj();
            outline.SetProperty("color", "#ffffff");
            outline.SetProperty("width", 1);
            style.SetProperty("line", outline);
            marker.SetProperty("marker", style);
            charts.Add(GenericChart.ofTraceObject(true, marker));
        }
        var chart = CSharpChart.Combine(charts);
        var (dx, dy) = ((gx[^1] - gx[0]) / (resolution - 1), (gy[^1] - gy[0]) / (resolution - 1));
        chart = CSharpStyle.WithXAxisStyle<double, double, string>(chart, TitleText: xTitle, MinMax: Tuple.Create(gx[0] - dx / 2, gx[^1] + dx / 2));
        chart = CSharpStyle.WithYAxisStyle<double, double, string>(chart, TitleText: yTitle, MinMax: Tuple.Create(gy[0] - dy / 2, gy[^1] + dy / 2));
        return Finish(chart, title);
    }

    static GenericChart Finish(GenericChart chart, string? title)
    {
        chart = CSharpStyle.WithSize(chart, Width, GridHeight);
        chart = Chart.withTemplate(ChartTemplates.lightMirrored).Invoke(chart);
        return title is null ? chart : Chart.withTitle(title, null).Invoke(chart);
    }

    /// <summary>Height of a contour or decision-region chart in pixels: taller than a curve chart, so the plot is nearly square.</summary>
    internal const int GridHeight = 540;

    /// <summary>A grid axis from a tensor: 1-D, at least 2 finite values, increasing.</summary>
    static double[] GridAxis(Tensor axis, string name)
    {
        if (axis.dim() != 1 || axis.shape[0] < 2)
            throw new ArgumentException($"{name} must be a 1-D tensor of at least 2 grid values, but it has shape {axis.ShapeText()}.", name);
        var values = axis.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
        for (var i = 1; i < values.Length; i++)
            if (!(values[i] > values[i - 1]))
                throw new ArgumentException($"{name} must increase from one grid value to the next, but {name}[{i - 1}] = {values[i - 1]} and {name}[{i}] = {values[i]}.", name);
        return values;
    }

    static double[][] Rows(Tensor z, int rows, int columns)
    {
        var flat = z.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        return Enumerable.Range(0, rows).Select(i => flat[(i * columns)..((i + 1) * columns)]).ToArray();
    }

    /// <summary><paramref name="count"/> evenly spaced values over the range of <paramref name="values"/>, widened by 15 % on each side.</summary>
    static double[] Span(IEnumerable<double> values, int count)
    {
        var list = values.ToList();
        var (lo, hi) = (list.Min(), list.Max());
        var pad = hi > lo ? 0.15 * (hi - lo) : 1;
        (lo, hi) = (lo - pad, hi + pad);
        return Enumerable.Range(0, count).Select(i => lo + (hi - lo) * i / (count - 1)).ToArray();
    }

    /// <summary>1, 2 or 5 times a power of ten, the nearest to <paramref name="raw"/>: contour levels at round values.</summary>
    static double NiceLevelStep(double raw)
    {
        if (!(raw > 0) || !double.IsFinite(raw)) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var m = raw / magnitude;
        return (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * magnitude;
    }

    /// <summary>A "#rrggbb" colour mixed with white: <paramref name="amount"/> 0 keeps it, 1 gives white.</summary>
    static string Lighten(string hex, double amount)
    {
        var v = Convert.ToInt32(hex[1..], 16);
        int Mix(int c) => (int)Math.Round(c + (255 - c) * amount);
        return $"#{Mix((v >> 16) & 255):x2}{Mix((v >> 8) & 255):x2}{Mix(v & 255):x2}";
    }
}
