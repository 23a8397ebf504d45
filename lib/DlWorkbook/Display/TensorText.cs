using System.Globalization;
using System.Net;
using System.Text;
using DlWorkbook.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Display;

/// <summary>
/// Text and HTML for tensors in the layout PyTorch's <c>print(t)</c> uses, so numbers can be compared
/// with a PyTorch reference line by line. TorchSharp's own <c>ToString(TensorStringStyle)</c> offers
/// Julia, NumPy and C# layouts, none of which matches PyTorch's.
/// </summary>
public static class TensorText
{
    /// <summary>Tensors with more elements than this are summarised with "..." (PyTorch's threshold).</summary>
    internal const int SummaryThreshold = 1000;

    /// <summary>Rows and columns kept at each end of a summarised dimension (PyTorch's edgeitems).</summary>
    internal const int EdgeItems = 3;

    const int LineWidth = 80;
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// PyTorch-style text, for example <c>tensor([[1., 2.], [3., 4.]])</c> laid out over lines, with four
    /// decimals (or scientific notation when magnitudes differ widely), <c>dtype=</c> for non-default types
    /// and <c>requires_grad=True</c> where set. Counterpart of <c>str(t)</c> in PyTorch.
    /// </summary>
    public static string Format(Tensor t)
    {
        using var scope = NewDisposeScope();
        var cpu = t.device_type == DeviceType.CPU ? t.detach() : t.detach().cpu();
        var summarize = cpu.numel() > SummaryThreshold;
        var body = cpu.numel() == 0 && cpu.dim() <= 1 ? "[]" : Body(cpu, summarize, "tensor(".Length);
        var suffix = new List<string>();
        if (cpu.device_type != t.device_type || t.device_type != DeviceType.CPU) suffix.Add($"device='{t.device}'");
        if (cpu.numel() == 0 && cpu.dim() > 1) suffix.Add($"size=({string.Join(", ", cpu.shape)})");
        if (!IsDefaultDtype(t.dtype)) suffix.Add("dtype=torch." + TensorNotation.DtypeName(t.dtype));
        if (t.requires_grad) suffix.Add("requires_grad=True");
        return "tensor(" + body + string.Concat(suffix.Select(s => ", " + s)) + ")";
    }

    /// <summary>One line with what a learner checks first: shape, dtype and device, e.g. <c>shape [2, 3] · float32 · cpu</c>.</summary>
    public static string Describe(Tensor t) =>
        $"shape {t.ShapeText()} · {TensorNotation.DtypeName(t.dtype)} · {t.device}";

    /// <summary>HTML for notebooks: the PyTorch-style text in a pre block, under a line with shape, dtype and device.</summary>
    public static string ToHtml(Tensor t) =>
        "<div class=\"dlw-tensor\"><div style=\"color:#666;font-size:0.85em\">" + WebUtility.HtmlEncode(Describe(t))
        + "</div><pre style=\"margin:2px 0\">" + WebUtility.HtmlEncode(Format(t)) + "</pre></div>";

    static bool IsDefaultDtype(ScalarType dtype) =>
        dtype is ScalarType.Float32 or ScalarType.Int64 or ScalarType.Bool;

    static string Body(Tensor t, bool summarize, int indent)
    {
        var values = new List<double>();
        Collect(t, summarize, values);
        var fmt = NumberFormat.For(t.dtype, values);
        var sb = new StringBuilder();
        Render(t, summarize, indent, fmt, sb);
        return sb.ToString();
    }

    static void Collect(Tensor t, bool summarize, List<double> into)
    {
        if (t.dim() == 0) { into.Add(Scalar(t)); return; }
        if (t.dim() == 1) { into.AddRange(LeafValues(t, summarize).Where(v => v.HasValue).Select(v => v!.Value)); return; }
        foreach (var i in Indices(t.shape[0], summarize))
            if (i >= 0) Collect(t[i], summarize, into);
    }

    static void Render(Tensor t, bool summarize, int indent, NumberFormat fmt, StringBuilder sb)
    {
        if (t.dim() == 0) { sb.Append(fmt.Format(Scalar(t))); return; }
        if (t.dim() == 1)
        {
            // PyTorch writes the gap inside a row as " ..." (two spaces after the comma).
            var items = LeafValues(t, summarize).Select(v => v.HasValue ? fmt.Format(v.Value) : " ...").ToList();
            var perLine = Math.Max(1, (LineWidth - indent) / (fmt.Width + 2));
            sb.Append('[');
            for (var k = 0; k < items.Count; k++)
            {
                if (k > 0) sb.Append(k % perLine == 0 ? ",\n" + new string(' ', indent + 1) : ", ");
                sb.Append(items[k]);
            }
            sb.Append(']');
            return;
        }
        var separator = "," + new string('\n', (int)t.dim() - 1) + new string(' ', indent + 1);
        sb.Append('[');
        var first = true;
        foreach (var i in Indices(t.shape[0], summarize))
        {
            if (!first) sb.Append(separator);
            first = false;
            if (i < 0) sb.Append("...");
            else Render(t[i], summarize, indent + 1, fmt, sb);
        }
        sb.Append(']');
    }

    /// <summary>Row indices to show; -1 stands for the "..." gap.</summary>
    static IEnumerable<long> Indices(long n, bool summarize)
    {
        if (!summarize || n <= 2 * EdgeItems)
        {
            for (long i = 0; i < n; i++) yield return i;
            yield break;
        }
        for (long i = 0; i < EdgeItems; i++) yield return i;
        yield return -1;
        for (var i = n - EdgeItems; i < n; i++) yield return i;
    }

    static IEnumerable<double?> LeafValues(Tensor t, bool summarize)
    {
        var n = t.shape[0];
        if (!summarize || n <= 2 * EdgeItems) return Doubles(t).Select(v => (double?)v);
        return Doubles(t[..EdgeItems]).Select(v => (double?)v)
            .Append(null)
            .Concat(Doubles(t[(int)(n - EdgeItems)..]).Select(v => (double?)v));
    }

    static double[] Doubles(Tensor t)
    {
        using var d = t.to_type(ScalarType.Float64).contiguous();
        return d.data<double>().ToArray();
    }

    static double Scalar(Tensor t) => t.to_type(ScalarType.Float64).item<double>();

    /// <summary>PyTorch's number layout: one rule for the whole tensor, every entry padded to one width.</summary>
    sealed class NumberFormat
    {
        enum Mode { Integer, Bool, IntegralFloat, Fixed, Scientific }
        readonly Mode mode;
        public int Width { get; }

        NumberFormat(Mode mode, IEnumerable<double> values)
        {
            this.mode = mode;
            Width = values.Select(Raw).DefaultIfEmpty("").Max(s => s.Length);
        }

        public static NumberFormat For(ScalarType dtype, List<double> values)
        {
            if (dtype == ScalarType.Bool) return new NumberFormat(Mode.Bool, values);
            if (!torch.is_floating_point(dtype) && !torch.is_complex(dtype)) return new NumberFormat(Mode.Integer, values);
            var finite = values.Where(double.IsFinite).Select(Math.Abs).Where(v => v != 0).ToList();
            if (finite.Count == 0) return new NumberFormat(Mode.IntegralFloat, values);
            double max = finite.Max(), min = finite.Min();
            var integral = values.Where(double.IsFinite).All(v => v == Math.Ceiling(v));
            var mode = integral
                ? (max > 1e8 ? Mode.Scientific : Mode.IntegralFloat)
                : (max / min > 1000 || max > 1e8 || min < 1e-4 ? Mode.Scientific : Mode.Fixed);
            return new NumberFormat(mode, values);
        }

        public string Format(double v) => Raw(v).PadLeft(Width);

        string Raw(double v)
        {
            if (double.IsNaN(v)) return "nan";
            if (double.IsPositiveInfinity(v)) return "inf";
            if (double.IsNegativeInfinity(v)) return "-inf";
            return mode switch
            {
                Mode.Bool => v != 0 ? "True" : "False",
                Mode.Integer => ((long)v).ToString(Inv),
                Mode.IntegralFloat => v.ToString("0", Inv) + ".",
                Mode.Fixed => v.ToString("0.0000", Inv),
                _ => v.ToString("0.0000e+00", Inv),
            };
        }
    }
}
