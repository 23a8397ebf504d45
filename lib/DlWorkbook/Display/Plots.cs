using System.Globalization;
using Plotly.NET;
using TorchSharp;
using static TorchSharp.torch;
using CSharpChart = Plotly.NET.CSharp.Chart;
using CSharpStyle = Plotly.NET.CSharp.GenericChartExtensions;
using DlWorkbook.Tensors;

namespace DlWorkbook.Display;

/// <summary>Line charts for the notebooks: several curves with a legend, and a function with its derivative.</summary>
/// <remarks>
/// Images in a grid are drawn by <c>ImageGrid</c> in the same namespace. The pictures of types in the layers below
/// Display are extension members declared here (<c>FashionMnist.ShowImages</c>, <c>TrainingHistory.Series</c>), so
/// those layers never name Display.
/// </remarks>
public static partial class Plots
{
    /// <summary>Chart width in pixels; fits a notebook column.</summary>
    public const int Width = 720;

    /// <summary>Chart height in pixels.</summary>
    public const int Height = 420;

    /// <summary>
    /// Several curves on one chart with a legend and axis titles, for example the loss of runs with different
    /// learning rates, weight decays or initialisations. Counterpart of <c>d2l.plot</c> with a legend.
    /// A logarithmic y axis (<paramref name="logY"/>) keeps a diverging curve from flattening the others;
    /// NaN and infinite values are drawn as gaps.
    /// </summary>
    public static GenericChart Curves(
        IEnumerable<Series> series, string xTitle, string yTitle, string? title = null, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var lines = series.Select(s => CSharpChart.Line<double, double, string>(
            x: s.X.Select(Compact), y: s.Y.Select(Compact), Name: s.Name, ShowMarkers: true)).ToList();
        if (lines.Count == 0)
            throw new ArgumentException("There is no curve to draw; pass at least one Series.", nameof(series));
        var chart = CSharpChart.Combine(lines);
        chart = CSharpStyle.WithXAxisStyle<double, double, string>(chart, TitleText: xTitle);
        chart = logY
            ? CSharpStyle.WithYAxisStyle<double, double, string>(chart, TitleText: yTitle, AxisType: StyleParam.AxisType.Log)
            : CSharpStyle.WithYAxisStyle<double, double, string>(chart, TitleText: yTitle);
        chart = CSharpStyle.WithSize(chart, Width, Height);
        // The default template adds about 8 KB of styling to every chart; notebooks save each live update.
        chart = Chart.withTemplate(ChartTemplates.lightMirrored).Invoke(chart);
        return title is null ? chart : Chart.withTitle(title, null).Invoke(chart);
    }

    /// <summary>
    /// A function and its derivative on one chart, the derivative computed by autograd as d2l does for
    /// activation functions (<c>y.backward(torch.ones_like(x))</c>, then <c>x.grad</c>).
    /// </summary>
    /// <example><code>Plots.FunctionAndGradient(x => torch.nn.functional.relu(x), "relu")</code></example>
    public static GenericChart FunctionAndGradient(Func<Tensor, Tensor> f, string name, double from = -8, double to = 8, int points = 161)
    {
        var (x, y, gradient) = SampleWithGradient(f, from, to, points);
        return Curves([new Series($"{name}(x)", x, y), new Series($"gradient of {name}", x, gradient)], "x", $"{name}(x)");
    }

    /// <summary>f and df/dx at <paramref name="points"/> evenly spaced x from <paramref name="from"/> to <paramref name="to"/>.</summary>
    internal static (double[] X, double[] Y, double[] Gradient) SampleWithGradient(
        Func<Tensor, Tensor> f, double from, double to, int points)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (points < 2 || !(to > from))
            throw new ArgumentException($"Need at least 2 points and from < to (got {points} points, from {from} to {to}).");
        using var scope = NewDisposeScope();
        var x = linspace(from, to, points, dtype: float64).requires_grad_();
        var y = f(x);
        if (!y.shape.SequenceEqual(x.shape))
            throw new ArgumentException(
                $"The function must work element by element, but it turned x of shape [{points}] into shape {y.ShapeText()}.",
                nameof(f));
        y.backward([ones_like(y)]);
        return (Doubles(x), Doubles(y), Doubles(x.grad!));
    }

    // Six significant digits are more than a chart can show, and a third of the text a double needs:
    // a saved notebook stores every live update of every chart.
    static double Compact(double v) =>
        double.IsFinite(v) ? double.Parse(v.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : v;

    static double[] Doubles(Tensor t) => t.detach().to_type(ScalarType.Float64).data<double>().ToArray();
}
