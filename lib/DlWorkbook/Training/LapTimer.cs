using System.Diagnostics;

namespace DlWorkbook.Training;

/// <summary>
/// Records how long repeated pieces of work take, such as epochs. Counterpart of <c>d2l.Timer</c>
/// (renamed so it does not clash with <see cref="System.Threading.Timer"/>).
/// </summary>
/// <example><code>
/// var timer = new LapTimer();         // starts at once, like d2l.Timer()
/// TrainOneEpoch();
/// var seconds = timer.Stop();
/// </code></example>
internal sealed class LapTimer
{
    readonly Stopwatch watch = Stopwatch.StartNew();
    readonly List<double> laps = [];

    /// <summary>Starts timing a new lap (d2l: <c>start()</c>).</summary>
    public void Start() => watch.Restart();

    /// <summary>Ends the current lap, records it and returns its length in seconds (d2l: <c>stop()</c>).</summary>
    public double Stop()
    {
        var seconds = watch.Elapsed.TotalSeconds;
        laps.Add(seconds);
        return seconds;
    }

    /// <summary>Every recorded lap, in seconds (d2l: <c>times</c>).</summary>
    public IReadOnlyList<double> Laps => laps;

    /// <summary>The mean lap in seconds, 0 before the first lap (d2l: <c>avg()</c>).</summary>
    public double Average => laps.Count == 0 ? 0 : laps.Average();

    /// <summary>The total of all laps in seconds (d2l: <c>sum()</c>).</summary>
    public double Sum => laps.Sum();

    /// <summary>Time elapsed at the end of each lap, in seconds (d2l: <c>cumsum()</c>).</summary>
    internal IReadOnlyList<double> CumulativeSums()
    {
        var total = 0.0;
        return laps.Select(lap => total += lap).ToList();
    }
}
