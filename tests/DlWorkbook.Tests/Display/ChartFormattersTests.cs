using DlWorkbook.Display;
using DlWorkbook.Interactive;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace DlWorkbook.Tests.Display;

/// <summary>
/// Charts in a .NET Interactive kernel: the formatters the workbook's extension registers, against
/// Plotly.NET.Interactive's CDN formatter, loaded before or after ours.
/// </summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class ChartFormattersTests
{
    /// <summary>A kernel that runs a C# delegate for every submission, so tests can display values as a cell would.</summary>
    sealed class DelegateKernel(Action<KernelInvocationContext> run) : Kernel("delegate"), IKernelCommandHandler<SubmitCode>
    {
        public Task HandleAsync(SubmitCode command, KernelInvocationContext context)
        {
            run(context);
            return Task.CompletedTask;
        }
    }

    static async Task<IReadOnlyList<KernelEvent>> RunCell(Action<KernelInvocationContext> cell)
    {
        using var kernel = new DelegateKernel(cell);
        var result = await kernel.SendAsync(new SubmitCode("cell"));
        return result.Events;
    }

    static GenericChart Sample() => Plots.Curves([Series.OverEpochs("loss", [0.9, 0.5, 0.25])], "epoch", "loss", "run");

    static void AssertOffline(IEnumerable<FormattedValue> values, string heading = "run: loss over epoch")
    {
        var byType = values.ToDictionary(v => v.MimeType, v => v.Value);
        Assert.Equal(ChartOutput.MimeTypes.Order(), byType.Keys.Order());
        Assert.StartsWith("{\"data\":[", byType[ChartOutput.PlotlyMimeType]);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", byType[ChartOutput.SvgMimeType]);
        Assert.StartsWith(heading, byType[ChartOutput.TextMimeType]);
        foreach (var value in byType.Values) Assert.DoesNotContain("cdn", value);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AReturnedChartIsPlotlyJsonSvgAndTextWhicheverExtensionLoadsFirst(bool plotlyExtensionFirst)
    {
        using var kernel = new DelegateKernel(_ => { });
        IKernelExtension plotly = new Plotly.NET.Interactive.FormatterKernelExtension();
        if (plotlyExtensionFirst) await plotly.OnLoadAsync(kernel);
        ChartFormatters.Register();
        if (!plotlyExtensionFirst) await plotly.OnLoadAsync(kernel);

        // What a cell's trailing expression becomes: one value, formatted for the preferred MIME types of its type
        // (a concrete chart is a subclass of GenericChart).
        var chart = Sample();
        Assert.NotEqual(typeof(GenericChart), chart.GetType());
        AssertOffline(FormattedValue.CreateManyFromObject(chart));
    }

    [Fact]
    public async Task ALiveChartDisplaysAndUpdatesOneOutputWithTheSameMimeTypes()
    {
        ChartFormatters.Register();
        var events = await RunCell(_ =>
        {
            var chart = new LiveChart(["train loss"], expectedPoints: 3, maxUpdates: 3);
            chart.Add(1, [0.9]);
            chart.Add(2, [0.5]);
            chart.Add(3, [0.25]);
            chart.Finish();
        });

        // One chart output first, then its updates: every one with the same three MIME types.
        var chartShown = Assert.Single(events.OfType<DisplayedValueProduced>(), e => e.FormattedValues.Any(v => v.MimeType == ChartOutput.PlotlyMimeType));
        AssertOffline(chartShown.FormattedValues, "Chart: y over epoch\n  train loss: no points yet");
        var updates = events.OfType<DisplayedValueUpdated>().Where(e => e.FormattedValues.Any(v => v.MimeType == ChartOutput.PlotlyMimeType)).ToList();
        Assert.Equal(3, updates.Count);
        Assert.Single(updates.Select(u => u.ValueId).Distinct());
        foreach (var update in updates) AssertOffline(update.FormattedValues, "Chart: y over epoch");
        var last = updates[^1].FormattedValues.Single(v => v.MimeType == ChartOutput.TextMimeType).Value;
        Assert.EndsWith("      3 |       0.25", last);
    }
}
