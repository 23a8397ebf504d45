using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Deedle;

namespace DlWorkbook.Display;

/// <summary>
/// Deedle frames as HTML tables for notebooks (and as text tables for consoles): every row when the frame is short,
/// otherwise the first and last rows with a gap row between, and a caption with the frame's size.
/// </summary>
public static class FrameTable
{
    /// <summary>Frames with at most this many rows are shown whole.</summary>
    internal const int FullRowLimit = 20;

    /// <summary>Rows shown at the top and at the bottom of a longer frame.</summary>
    internal const int EdgeRows = 5;

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    static readonly MethodInfo Generic = typeof(FrameTable).GetMethods()
        .Single(m => m.Name == nameof(ToHtml) && m.IsGenericMethodDefinition);
    static readonly ConcurrentDictionary<Type, MethodInfo> Closed = new();
    static readonly MethodInfo GenericText = typeof(FrameTable).GetMethods()
        .Single(m => m.Name == nameof(ToText) && m.IsGenericMethodDefinition);
    static readonly ConcurrentDictionary<Type, MethodInfo> ClosedText = new();

    /// <summary>HTML table of a frame (the notebook formatter for <c>Frame&lt;R, C&gt;</c>).</summary>
    public static string ToHtml<TRow, TCol>(Frame<TRow, TCol> frame)
        where TRow : notnull where TCol : notnull
    {
        var rowKeys = frame.RowKeys.ToList();
        var colKeys = frame.ColumnKeys.ToList();
        var shown = RowsToShow(rowKeys.Count);
        var columns = colKeys.Select(c => frame.GetColumn<object>(c)).ToList();

        var sb = new StringBuilder("<table class=\"dlw-frame\"><thead><tr><th></th>");
        foreach (var c in colKeys) sb.Append("<th>").Append(Encode(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var i in shown)
        {
            if (i < 0)
            {
                sb.Append("<tr><td>…</td>").Append(string.Concat(Enumerable.Repeat("<td>…</td>", colKeys.Count))).Append("</tr>");
                continue;
            }
            sb.Append("<tr><th>").Append(Encode(rowKeys[i])).Append("</th>");
            foreach (var column in columns)
            {
                var value = column.TryGetAt(i);
                sb.Append("<td>").Append(value.HasValue ? Encode(value.Value) : "<i>missing</i>").Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>")
          .Append($"<div style=\"color:#666;font-size:0.85em\">{rowKeys.Count} rows × {colKeys.Count} columns</div>");
        return sb.ToString();
    }

    /// <summary>The same table for a frame whose key types are known only at run time.</summary>
    public static string ToHtml(object frame) => (string)Closed
        .GetOrAdd(FrameType(frame), t => Generic.MakeGenericMethod(t.GetGenericArguments())).Invoke(null, [frame])!;

    /// <summary>
    /// The table as plain text for a console: the same rows and number format as <see cref="ToHtml{TRow, TCol}"/>,
    /// columns aligned (numbers to the right), and the size line.
    /// </summary>
    public static string ToText<TRow, TCol>(Frame<TRow, TCol> frame)
        where TRow : notnull where TCol : notnull
    {
        var rowKeys = frame.RowKeys.ToList();
        var colKeys = frame.ColumnKeys.ToList();
        var columns = colKeys.Select(c => frame.GetColumn<object>(c)).ToList();
        var header = new[] { "" }.Concat(colKeys.Select(c => Plain(c))).ToArray();
        var rows = new List<(string Text, bool Number)[]>();
        foreach (var i in RowsToShow(rowKeys.Count))
            rows.Add(i < 0
                ? Enumerable.Repeat(("…", false), colKeys.Count + 1).ToArray()
                : new[] { (Plain(rowKeys[i]), false) }.Concat(columns.Select(column =>
                    column.TryGetAt(i) is { HasValue: true } v ? (Plain(v.Value), IsNumber(v.Value)) : ("missing", false))).ToArray());
        var widths = header.Select((h, c) => rows.Select(r => r[c].Text.Length).Append(h.Length).Max()).ToArray();
        var numeric = header.Select((_, c) => rows.Count > 0 && rows.All(r => r[c].Number || r[c].Text == "…")).ToArray();
        var text = new StringBuilder();
        AppendLine(text, header.Select((h, c) => (h, numeric[c])).ToArray(), widths);
        foreach (var row in rows) AppendLine(text, row.Select((cell, c) => (cell.Text, numeric[c])).ToArray(), widths);
        return text.Append($"{rowKeys.Count} rows × {colKeys.Count} columns").ToString();
    }

    /// <summary>The same text table for a frame whose key types are known only at run time.</summary>
    internal static string ToText(object frame) => (string)ClosedText
        .GetOrAdd(FrameType(frame), t => GenericText.MakeGenericMethod(t.GetGenericArguments())).Invoke(null, [frame])!;

    /// <summary>True for a Deedle <c>Frame&lt;R, C&gt;</c> of any key types.</summary>
    internal static bool IsFrame(object? value) => value is not null && FrameTypeOrNull(value.GetType()) is not null;

    static Type FrameType(object frame) =>
        FrameTypeOrNull(frame.GetType()) ?? throw new ArgumentException($"Expected a Deedle Frame<R, C>, got {frame.GetType().Name}.", nameof(frame));

    static Type? FrameTypeOrNull(Type? type)
    {
        while (type is not null && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Frame<,>)))
            type = type.BaseType;
        return type;
    }

    static void AppendLine(StringBuilder text, (string Text, bool Right)[] cells, int[] widths) =>
        text.Append(string.Join("  ", cells.Select((cell, c) => cell.Right ? cell.Text.PadLeft(widths[c]) : cell.Text.PadRight(widths[c])))
            .TrimEnd()).Append('\n');

    /// <summary>Numbers, and texts that read as numbers (a notebook's <c>mse.ToString("F5")</c>), align to the right.</summary>
    static bool IsNumber(object? value) =>
        value is double or float or decimal or int or long or short or byte or uint or ulong
        || (value is string s && double.TryParse(s, NumberStyles.Float, Inv, out _));

    /// <summary>Row positions to show; -1 marks the gap.</summary>
    internal static IEnumerable<int> RowsToShow(int count) =>
        count <= FullRowLimit
            ? Enumerable.Range(0, count)
            : Enumerable.Range(0, EdgeRows).Append(-1).Concat(Enumerable.Range(count - EdgeRows, EdgeRows));

    static string Encode(object? value) => WebUtility.HtmlEncode(Plain(value));

    static string Plain(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.####", Inv),
        float f => f.ToString("0.####", Inv),
        IFormattable f => f.ToString(null, Inv),
        _ => value.ToString() ?? "",
    };
}
