using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Deedle;

namespace DlWorkbook.Display;

/// <summary>
/// Deedle frames as HTML tables for notebooks: every row when the frame is short, otherwise the
/// first and last rows with a gap row between, and a caption with the frame's size.
/// </summary>
public static class FrameTable
{
    /// <summary>Frames with at most this many rows are shown whole.</summary>
    public const int FullRowLimit = 20;

    /// <summary>Rows shown at the top and at the bottom of a longer frame.</summary>
    public const int EdgeRows = 5;

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    static readonly MethodInfo Generic = typeof(FrameTable).GetMethods()
        .Single(m => m.Name == nameof(ToHtml) && m.IsGenericMethodDefinition);
    static readonly ConcurrentDictionary<Type, MethodInfo> Closed = new();

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
    public static string ToHtml(object frame)
    {
        var type = frame.GetType();
        while (type is not null && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Frame<,>)))
            type = type.BaseType;
        if (type is null) throw new ArgumentException($"Expected a Deedle Frame<R, C>, got {frame.GetType().Name}.", nameof(frame));
        var method = Closed.GetOrAdd(type, t => Generic.MakeGenericMethod(t.GetGenericArguments()));
        return (string)method.Invoke(null, [frame])!;
    }

    /// <summary>Row positions to show; -1 marks the gap.</summary>
    internal static IEnumerable<int> RowsToShow(int count) =>
        count <= FullRowLimit
            ? Enumerable.Range(0, count)
            : Enumerable.Range(0, EdgeRows).Append(-1).Concat(Enumerable.Range(count - EdgeRows, EdgeRows));

    static string Encode(object? value) => WebUtility.HtmlEncode(value switch
    {
        null => "",
        double d => d.ToString("0.####", Inv),
        float f => f.ToString("0.####", Inv),
        IFormattable f => f.ToString(null, Inv),
        _ => value.ToString() ?? "",
    });
}
