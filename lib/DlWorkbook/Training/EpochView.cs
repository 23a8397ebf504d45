namespace DlWorkbook.Training;

/// <summary>
/// What shows a training run while it runs: one point per curve and a summary line for every epoch, warnings, and
/// the end (with the reason when training stopped early). Training draws nothing itself, so that it never names
/// Display, the layer above it: Display's live chart implements this and registers itself in
/// <see cref="EpochView.Open"/> when the library loads, in a notebook, a console program or a test alike.
/// </summary>
internal interface IEpochView
{
    /// <summary>Shows epoch <paramref name="epoch"/>: one value per curve, and the line that sums it up.</summary>
    void Add(double epoch, IReadOnlyList<double> values, string? line);

    /// <summary>Shows a warning at once (a loss that exploded, a busy machine).</summary>
    void Warn(string warning);

    /// <summary>Shows the end of the run, with <paramref name="reason"/> when it stopped before its last epoch.</summary>
    void Finish(string? reason);
}

/// <summary>Where a training history gets the view of its run.</summary>
internal static class EpochView
{
    /// <summary>
    /// Opens the view of one run from its curve names, planned epochs, y-axis title and chart title. Display sets it
    /// to its live chart when the library loads; a test may set another and put this one back.
    /// </summary>
    internal static Func<IReadOnlyList<string>, int, string, string?, IEpochView> Open { get; set; } =
        (_, _, _, _) => throw new InvalidOperationException(
            "No view for training runs is registered; the course library's display layer registers one when it loads.");
}
