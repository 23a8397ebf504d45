namespace DlWorkbook.Display;

/// <summary>One named curve: y values over x values, as one line of a chart with a legend.</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>A curve of one value per epoch, drawn over the epochs 1, 2, 3, …</summary>
    public static Series OverEpochs(string name, IReadOnlyList<double> values) =>
        new(name, Enumerable.Range(1, values.Count).Select(e => (double)e).ToList(), values);
}
