using System.Text;

namespace DlWorkbook.Benchmarks;

/// <summary>The results as a Markdown table: one row per (model, setting), one speed column per load.</summary>
internal static class Table
{
    /// <summary>
    /// Each speed is followed by its share of the same model's idle speed under libtorch's defaults. The goal
    /// columns: the idle speed against that default (goal ≥ 90%) and the speed beside one busy process against the
    /// setting's own idle speed (goal ≥ 45%; 50% is the limit with half of two cores taken).
    /// </summary>
    public static string Markdown(IReadOnlyList<ChildResult> results, Options options)
    {
        var loads = results.Select(r => r.Busy).Distinct().Order().ToList();
        var text = new StringBuilder();
        text.Append("| model | setting |");
        foreach (var busy in loads) text.Append(busy == 0 ? " idle |" : $" {busy} busy |");
        text.AppendLine(" idle / default idle | 1 busy / own idle | foreign load (max, cores) |");
        text.Append("|---|---|");
        foreach (var _ in loads) text.Append("---:|");
        text.AppendLine("---:|---:|---:|");
        foreach (var model in results.Select(r => r.Model).Distinct())
        {
            var idleDefault = Find(results, model, "default", 0)?.Speed;
            foreach (var setting in results.Where(r => r.Model == model).Select(r => r.Setting).Distinct())
            {
                var unit = results.First(r => r.Model == model).Unit;
                text.Append($"| {Workload.All.First(w => w.Key == model).Name} ({unit}) | {setting} |");
                foreach (var busy in loads)
                {
                    var r = Find(results, model, setting, busy);
                    text.Append(r is null ? " |" : $" {Speed(r.Speed)} ({Percent(r.Speed, idleDefault)}){Mark(r, options)} |");
                }
                var idle = Find(results, model, setting, 0)?.Speed;
                text.Append($" {Percent(idle, idleDefault)} | {Percent(Find(results, model, setting, 1)?.Speed, idle)} |");
                var foreign = results.Where(r => r.Model == model && r.Setting == setting).Select(r => r.MaxForeignCores)
                    .Where(f => !double.IsNaN(f)).DefaultIfEmpty(double.NaN).Max();
                text.AppendLine(double.IsNaN(foreign) ? " unknown |" : $" {foreign:F2} |");
            }
        }
        text.AppendLine();
        text.AppendLine($"Median of {options.Windows} windows of {options.WindowSeconds} s after a warm-up; percentages in "
                        + "parentheses are of the same model's idle speed with libtorch's defaults. * fewer clean windows "
                        + $"than asked (other programs used more than {options.CleanForeignCores} cores).");
        return text.ToString();
    }

    public static string Speed(double speed) =>
        double.IsNaN(speed) ? "-" : speed >= 1e6 ? $"{speed / 1e6:F2}M" : speed >= 1e3 ? $"{speed / 1e3:F1}k" : $"{speed:F0}";

    static string Percent(double? value, double? of) =>
        value is { } v && of is { } o && o > 0 ? $"{100 * v / o:F0}%" : "-";

    static string Mark(ChildResult r, Options options) => r.CleanWindows < Math.Max(1, options.Windows / 2 + 1) ? "*" : "";

    static ChildResult? Find(IReadOnlyList<ChildResult> results, string model, string setting, int busy) =>
        results.FirstOrDefault(r => r.Model == model && r.Setting == setting && r.Busy == busy);
}
