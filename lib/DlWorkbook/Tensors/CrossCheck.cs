using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using DlWorkbook.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tensors;

/// <summary>
/// The one way a notebook compares a computation by hand with the library's: shows ✓ with both values when they
/// agree, and throws <see cref="CrossCheckException"/> when they do not, so a notebook run fails the moment a
/// lesson stops agreeing with itself. Counterpart of <c>torch.testing.assert_close</c> (same default tolerances),
/// with a visible result.
/// </summary>
/// <example><code>
/// CrossCheck.Agree("by hand", byHand, "conv2d", byLibrary.reshape(2, 2));
/// // ✓ by hand = conv2d · [2, 2] float32 and [2, 2] float32 · largest difference 0
/// </code></example>
public static class CrossCheck
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Two tensors agree when they have the same shape and every element satisfies
    /// |left − right| ≤ atol + rtol·|right|, or is equal (so equal infinities agree). The default tolerances depend on
    /// the dtype, as in PyTorch's <c>assert_close</c>: float32 rtol 1.3e-6, atol 1e-5; float64 1e-7 and 1e-7; float16
    /// 1e-3 and 1e-5; bfloat16 1.6e-2 and 1e-5; integers and bool exactly (compared as integers, so int64 values beyond
    /// 2⁵³ are told apart). With two dtypes the looser one applies; a complex tensor never agrees with a real one. NaN
    /// agrees with nothing unless <paramref name="equalNan"/> is set (<c>assert_close</c>'s <c>equal_nan</c>).
    /// </summary>
    /// <exception cref="CrossCheckException">
    /// The shapes differ, one tensor is complex and the other real, or some element is further apart than allowed.
    /// </exception>
    public static void Agree(
        string leftName, Tensor left, string rightName, Tensor right, double? rtol = null, double? atol = null, bool equalNan = false)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var (defaultRtol, defaultAtol) = Tolerance(left.dtype, right.dtype);
        var (r, a) = (rtol ?? defaultRtol, atol ?? defaultAtol);
        var both = $"{left.ShapeText()} {TensorNotation.DtypeName(left.dtype)} and {right.ShapeText()} {TensorNotation.DtypeName(right.dtype)}";
        if (left.is_complex() != right.is_complex())
            throw new CrossCheckException($"{leftName} and {rightName} cannot agree ({both}): one is complex and the other real. "
                + "Compare like with like: torch.view_as_real(z) gives a complex tensor's real and imaginary parts as a last "
                + "dimension of 2, and z.real its real part alone (when the imaginary part should be 0).");
        if (!left.shape.SequenceEqual(right.shape))
            throw new CrossCheckException($"{leftName} and {rightName} have different shapes, {left.ShapeText()} and {right.ShapeText()}; "
                + "reshape one of them so both have the same shape, then compare.");
        var (largest, worst) = LargestDifference(left, right, r, a, equalNan);
        if (worst is { } w)
            throw new CrossCheckException($"{leftName} and {rightName} disagree ({both}): at [{string.Join(", ", w.Index)}] {leftName} is "
                + $"{w.Left} and {rightName} is {w.Right}, "
                + (w.BothNaN ? NaNHint : $"allowed {Allowed(r, a, rightName)}; largest difference {Number(largest)}. "
                   + "The two computations in this cell should give the same result: compare them step by step."));
        Show(leftName, rightName, $"{both} · largest difference {Number(largest)}");
    }

    /// <summary>
    /// Two numbers agree when they are equal (equal infinities too) or |left − right| ≤ atol + rtol·|right| (defaults:
    /// float32's, rtol 1.3e-6 and atol 1e-5); NaN agrees with nothing unless <paramref name="equalNan"/> is set.
    /// </summary>
    /// <exception cref="CrossCheckException">They are further apart than allowed.</exception>
    public static void Agree(
        string leftName, double left, string rightName, double right, double? rtol = null, double? atol = null, bool equalNan = false)
    {
        var (r, a) = (rtol ?? Float32Rtol, atol ?? Float32Atol);
        var difference = Difference(left, right, equalNan);
        if (!(difference == 0 || difference <= a + r * Math.Abs(right)))
            throw new CrossCheckException($"{leftName} is {Number(left)} and {rightName} is {Number(right)}"
                + (double.IsNaN(left) && double.IsNaN(right) ? $": {NaNHint}"
                    : $": they differ by {Number(difference)}, more than the allowed {Allowed(r, a, rightName)}. "
                      + "The two computations in this cell should give the same number."));
        Show(leftName, rightName, $"{Number(left)} and {Number(right)} · difference {Number(difference)}");
    }

    /// <summary>|left − right|, 0 when they are equal (equal infinities, and two NaN when <paramref name="equalNan"/>), NaN when NaN is involved.</summary>
    static double Difference(double left, double right, bool equalNan) =>
        left == right || equalNan && double.IsNaN(left) && double.IsNaN(right) ? 0 : Math.Abs(left - right);

    const string NaNHint =
        "both NaN (not a number). NaN equals nothing, not even NaN: both computations produced an undefined value (such as "
        + "0/0, ∞ − ∞ or the log of a negative number); find the step where it first appears. If NaN is the right result "
        + "there, pass equalNan: true (PyTorch: assert_close(..., equal_nan=True)).";

    /// <summary>Two whole numbers agree when they are equal.</summary>
    /// <exception cref="CrossCheckException">They differ.</exception>
    public static void Agree(string leftName, long left, string rightName, long right)
    {
        if (left != right)
            throw new CrossCheckException($"{leftName} is {left} and {rightName} is {right}; they should be equal.");
        Show(leftName, rightName, $"{left.ToString("N0", Inv)} and {right.ToString("N0", Inv)}");
    }

    /// <summary>Two texts agree when they are equal, character for character.</summary>
    /// <exception cref="CrossCheckException">They differ.</exception>
    [OverloadResolutionPriority(2)]   // a string is also a sequence of characters
    public static void Agree(string leftName, string left, string rightName, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left != right)
        {
            var at = Enumerable.Range(0, Math.Min(left.Length, right.Length)).FirstOrDefault(i => left[i] != right[i], Math.Min(left.Length, right.Length));
            throw new CrossCheckException($"{leftName} \"{Clip(left)}\" and {rightName} \"{Clip(right)}\" differ from character {at} on "
                + $"(lengths {left.Length} and {right.Length}).");
        }
        Show(leftName, rightName, $"\"{Clip(left)}\" (both)");
    }

    /// <summary>
    /// Two sequences agree when they have as many items and each pair agrees: tensors as
    /// <see cref="Agree(string, Tensor, string, Tensor, double?, double?, bool)"/> says (the X of every minibatch, say),
    /// floating-point numbers as <see cref="Agree(string, double, string, double, double?, double?, bool)"/> says (a loss
    /// curve), anything else by equality (tokens, indices, labels). The tolerances apply to tensors and numbers.
    /// </summary>
    /// <exception cref="CrossCheckException">The lengths differ, or some pair disagrees (the message names which).</exception>
    // TorchSharp converts arrays to tensors implicitly; an array passed here is compared as a sequence.
    [OverloadResolutionPriority(1)]
    public static void Agree<T>(
        string leftName, IEnumerable<T> left, string rightName, IEnumerable<T> right, double? rtol = null, double? atol = null,
        bool equalNan = false)
    {
        T[] a = [.. left], b = [.. right];
        var kind = a is Tensor[] ? "tensors" : a is double[] or float[] ? "numbers" : "items";
        if (a.Length != b.Length)
            throw new CrossCheckException($"{leftName} has {a.Length} {kind} and {rightName} has {b.Length}; they should match one for one.");
        if (a is Tensor[] tensors) AgreeTensors(leftName, tensors, rightName, (Tensor[])(object)b, rtol, atol, equalNan);
        else if (a is double[] or float[])
            AgreeNumbers(leftName, a.Select(x => Convert.ToDouble(x, Inv)).ToArray(), rightName, b.Select(x => Convert.ToDouble(x, Inv)).ToArray(),
                rtol, atol, equalNan);
        else
        {
            var comparer = EqualityComparer<T>.Default;
            var at = Enumerable.Range(0, a.Length).FirstOrDefault(i => !comparer.Equals(a[i], b[i]), -1);
            if (at >= 0) throw new CrossCheckException($"{leftName} and {rightName} differ at position {at}: {a[at]} and {b[at]}.");
            Show(leftName, rightName, $"{a.Length} items, all equal: [{Clip(string.Join(", ", a))}]");
        }
    }

    static void AgreeNumbers(string leftName, double[] a, string rightName, double[] b, double? rtol, double? atol, bool equalNan)
    {
        var (r, t) = (rtol ?? Float32Rtol, atol ?? Float32Atol);
        var largest = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var difference = Difference(a[i], b[i], equalNan);
            if (!(difference == 0 || difference <= t + r * Math.Abs(b[i])))
                throw new CrossCheckException($"{leftName} and {rightName} disagree at position {i}: {Number(a[i])} and {Number(b[i])}, "
                    + (double.IsNaN(a[i]) && double.IsNaN(b[i]) ? NaNHint
                        : $"allowed {Allowed(r, t, rightName)}. The two computations in this cell should give the same numbers."));
            largest = Math.Max(largest, difference);
        }
        Show(leftName, rightName, $"{a.Length} numbers · largest difference {Number(largest)}");
    }

    static void AgreeTensors(string leftName, Tensor[] a, string rightName, Tensor[] b, double? rtol, double? atol, bool equalNan)
    {
        var largest = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            if (!a[i].shape.SequenceEqual(b[i].shape))
                throw new CrossCheckException($"Tensor {i} of {leftName} has shape {a[i].ShapeText()} and of {rightName} {b[i].ShapeText()}; they should be equal.");
            if (a[i].is_complex() != b[i].is_complex())
                throw new CrossCheckException($"Tensor {i} of {leftName} is {TensorNotation.DtypeName(a[i].dtype)} and of {rightName} "
                    + $"{TensorNotation.DtypeName(b[i].dtype)}: a complex tensor cannot agree with a real one; compare like with like.");
            var (defaultRtol, defaultAtol) = Tolerance(a[i].dtype, b[i].dtype);
            var (r, t) = (rtol ?? defaultRtol, atol ?? defaultAtol);
            var (difference, worst) = LargestDifference(a[i], b[i], r, t, equalNan);
            if (worst is { } w)
                throw new CrossCheckException($"Tensor {i} of {leftName} and of {rightName} disagree: at [{string.Join(", ", w.Index)}] "
                    + $"{w.Left} and {w.Right}, " + (w.BothNaN ? NaNHint : $"allowed {Allowed(r, t, rightName)}."));
            largest = Math.Max(largest, difference);
        }
        var shapes = a.Select(t => t.ShapeText()).Distinct().ToList();
        Show(leftName, rightName, $"{a.Length} tensors of shape {string.Join(" or ", shapes)} · largest difference {Number(largest)}");
    }

    const double Float32Rtol = 1.3e-6, Float32Atol = 1e-5;

    internal static (double Rtol, double Atol) Tolerance(ScalarType a, ScalarType b)
    {
        var (ra, aa) = Tolerance(a);
        var (rb, ab) = Tolerance(b);
        return (Math.Max(ra, rb), Math.Max(aa, ab));
    }

    static (double, double) Tolerance(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 or ScalarType.ComplexFloat32 => (Float32Rtol, Float32Atol),
        ScalarType.Float64 or ScalarType.ComplexFloat64 => (1e-7, 1e-7),
        ScalarType.Float16 => (1e-3, 1e-5),
        ScalarType.BFloat16 => (1.6e-2, 1e-5),
        _ => (0, 0),
    };

    /// <summary>One element outside the tolerance: where, both values as text, and whether both are NaN.</summary>
    readonly record struct Mismatch(long[] Index, string Left, string Right, bool BothNaN);

    /// <summary>
    /// The largest |left − right| among unequal elements and the element furthest beyond the tolerance (null
    /// when all are within it). Integers and bool without tolerances are compared exactly as 64-bit integers; anything
    /// else as float64 or complex128, where equal values (equal infinities too) agree and NaN counts as infinitely far.
    /// </summary>
    static (double Largest, Mismatch? Worst) LargestDifference(Tensor left, Tensor right, double rtol, double atol, bool equalNan)
    {
        using var scope = NewDisposeScope();
        if (left.numel() == 0) return (0, null);
        if (IsExact(left.dtype) && IsExact(right.dtype) && rtol == 0 && atol == 0) return IntegerDifference(left, right);
        var common = left.is_complex() ? ScalarType.ComplexFloat64 : ScalarType.Float64;
        var a = left.detach().cpu().to_type(common).flatten();
        var b = right.detach().cpu().to_type(common).flatten();
        using var infinity = double.PositiveInfinity.ToScalar();
        using var minusInfinity = double.NegativeInfinity.ToScalar();
        using var zero = 0.0.ToScalar();
        using var rtolScalar = rtol.ToScalar();
        using var atolScalar = atol.ToScalar();
        var same = a.eq(b);                                             // equal infinities agree, as in assert_close
        if (equalNan) same = same.logical_or(a.isnan().logical_and(b.isnan()));
        var difference = (a - b).abs();                                 // NaN where a NaN is involved, or ∞ − ∞
        var excess = difference - b.abs().mul(rtolScalar).add(atolScalar);
        excess = excess.masked_fill(excess.isnan(), infinity).masked_fill(same, minusInfinity);
        var largest = difference.masked_fill(difference.isnan(), infinity).masked_fill(same, zero).max().item<double>();
        var worstFlat = excess.argmax().item<long>();
        if (excess[worstFlat].item<double>() <= 0) return (largest, null);
        var (x, y) = (a[worstFlat], b[worstFlat]);
        var bothNaN = x.isnan().item<bool>() && y.isnan().item<bool>();
        return (largest, new Mismatch(Unravel(worstFlat, left.shape), ValueText(x), ValueText(y), bothNaN));
    }

    static bool IsExact(ScalarType dtype) => !torch.is_floating_point(dtype) && !torch.is_complex(dtype);

    /// <summary>Integers compared as integers: float64 would hold 9007199254740993 as …992.</summary>
    static (double Largest, Mismatch? Worst) IntegerDifference(Tensor left, Tensor right)
    {
        var a = left.detach().cpu().to_type(ScalarType.Int64).flatten().data<long>().ToArray();
        var b = right.detach().cpu().to_type(ScalarType.Int64).flatten().data<long>().ToArray();
        var (largest, worst) = (Int128.Zero, -1L);
        for (var i = 0; i < a.Length; i++)
        {
            var difference = Int128.Abs((Int128)a[i] - b[i]);
            if (difference > largest) (largest, worst) = (difference, i);
        }
        return worst < 0 ? (0, null)
            : ((double)largest, new Mismatch(Unravel(worst, left.shape), a[worst].ToString(Inv), b[worst].ToString(Inv), BothNaN: false));
    }

    /// <summary>A 0-d float64 or complex128 tensor as text: 0.5, NaN, Infinity, or 1+2i.</summary>
    static string ValueText(Tensor value)
    {
        if (!value.is_complex()) return Number(value.item<double>());
        var parts = torch.view_as_real(value).data<double>().ToArray();
        return $"{Number(parts[0])}{(parts[1] < 0 || double.IsNegative(parts[1]) ? "-" : "+")}{Number(Math.Abs(parts[1]))}i";
    }

    static long[] Unravel(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    static string Allowed(double rtol, double atol, string rightName) =>
        rtol == 0 && atol == 0 ? "no difference" : $"{Number(atol)} + {Number(rtol)}·|{rightName}|";

    static string Number(double x) => x == Math.Round(x) && Math.Abs(x) < 1e15 ? x.ToString("0", Inv) : x.ToString("G6", Inv);

    static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";

    static void Show(string leftName, string rightName, string details) => CellOutput.Show(
        $"<div class=\"dlw-crosscheck\"><span style=\"color:#2e7d32;font-weight:bold\">✓</span> {WebUtility.HtmlEncode(leftName)} = "
        + $"{WebUtility.HtmlEncode(rightName)} <span style=\"color:#666\">· {WebUtility.HtmlEncode(details)}</span></div>",
        $"✓ {leftName} = {rightName} · {details}");
}

/// <summary>A hand computation and the library's disagree: the lesson no longer agrees with itself.</summary>
public sealed class CrossCheckException(string message) : Exception(message);
