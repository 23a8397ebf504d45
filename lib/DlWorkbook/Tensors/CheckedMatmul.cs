using System.Diagnostics.CodeAnalysis;
using static TorchSharp.torch;

namespace DlWorkbook.Tensors;

/// <summary>
/// <c>torch.matmul</c> with its operands checked first, so that a mistake is a .NET exception instead of the end
/// of the process.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's native <c>THSTensor_matmul</c> is the one tensor function without the try/catch that turns a
/// libtorch error into a .NET exception: any error inside it (shapes that do not fit, two dtypes, a 0-d operand)
/// escapes as a C++ exception through the P/Invoke boundary, and the runtime aborts the process ("terminate called
/// after throwing an instance of 'c10::Error'"). <c>mm</c>, <c>bmm</c>, <c>mv</c> and <c>dot</c> are wrapped and throw
/// normally. In a notebook the kernel extension routes every use of <c>torch.matmul</c> and <c>Tensor.matmul</c> in a
/// cell (a call, <c>a?.matmul(b)</c>, a method group turned into a delegate) through <see cref="Matmul"/> or
/// <see cref="On(Tensor)"/>; plain C# calls <see cref="Matmul"/> directly.
/// </remarks>
public static class CheckedMatmul
{
    /// <summary>The rule, as every error message states it.</summary>
    public const string Rule =
        "matmul multiplies the last dimension of the first operand with the first dimension of a 1-D second operand, "
        + "or with the second-to-last dimension of a 2-D or larger one ([m, k] × [k, n] → [m, n]); "
        + "dimensions before the last two are batch dimensions and broadcast (equal, or one of them 1).";

    /// <summary>
    /// <c>torch.matmul(input, target)</c> (PyTorch's <c>input @ other</c>) after <see cref="Check"/>: the same result,
    /// or an <see cref="ArgumentException"/> that names both shapes and the rule.
    /// </summary>
    /// <remarks>The parameter names are TorchSharp's, so a call with named arguments still compiles once rewritten.</remarks>
    /// <exception cref="ArgumentException">The operands cannot be multiplied.</exception>
    public static Tensor Matmul(Tensor input, Tensor target)
    {
        Check(input, target);
        return input.matmul(target);
    }

    /// <summary>
    /// <paramref name="input"/> as the receiver of a checked <c>matmul</c>: <c>On(a).matmul(b)</c> is
    /// <c>a.matmul(b)</c> (PyTorch's <c>a @ b</c>) after <see cref="Check"/>. The kernel extension wraps the receiver of
    /// every <c>Tensor.matmul</c> in a cell this way, which keeps each form's meaning: <c>On(a)?.matmul(b)</c> for
    /// <c>a?.matmul(b)</c>, and the method group <c>On(a).matmul</c> for <c>a.matmul</c> (the same delegate type, with
    /// <paramref name="input"/> read once, when the delegate is made).
    /// </summary>
    /// <returns>Null when <paramref name="input"/> is null, so that <c>?.</c> still short-circuits.</returns>
    [return: NotNullIfNotNull(nameof(input))]
    public static Receiver? On(Tensor? input) => input is null ? null : new Receiver(input);

    /// <summary>
    /// <see cref="On(Tensor)"/> for a receiver typed <c>dynamic</c> in a cell: a tensor gets the checked receiver, anything
    /// else is returned as it is (a learner's own type with a <c>matmul</c> method keeps it).
    /// </summary>
    public static dynamic? On(object? input) => input is Tensor tensor ? new Receiver(tensor) : input;

    /// <summary>
    /// A tensor whose <c>matmul</c> is checked (see <see cref="On(Tensor)"/>); it has no other member.
    /// </summary>
    public sealed class Receiver
    {
        readonly Tensor input;

        internal Receiver(Tensor input) => this.input = input;

        /// <summary><c>Tensor.matmul(target)</c> after <see cref="Check"/>; named like TorchSharp's so the rewritten cell reads the same.</summary>
        /// <exception cref="ArgumentException">The operands cannot be multiplied.</exception>
        public Tensor matmul(Tensor target) => Matmul(input, target);
    }

    /// <summary>Throws the error <c>torch.matmul(input, other)</c> would raise, as a .NET exception; returns the result's shape otherwise.</summary>
    /// <exception cref="ArgumentException">The operands cannot be multiplied (shapes, dtypes, devices or element type).</exception>
    public static long[] Check(Tensor input, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(other);
        var shape = ResultShape(input.shape, other.shape, out var problem);
        if (shape is null)
            throw new ArgumentException($"matmul cannot multiply shapes {input.ShapeText()} and {other.ShapeText()}: {problem} Rule: {Rule}");
        if (input.dtype != other.dtype)
            throw new ArgumentException(
                $"matmul needs both operands of one dtype, got {TensorNotation.DtypeName(input.dtype)} {input.ShapeText()} and "
                + $"{TensorNotation.DtypeName(other.dtype)} {other.ShapeText()}. Convert one, e.g. b.to(a.dtype) or .to(torch.float32).");
        if (input.dtype == ScalarType.Bool)
            throw new ArgumentException(
                $"matmul does not multiply bool tensors ({input.ShapeText()} and {other.ShapeText()}). Convert them first, e.g. .to(torch.float32).");
        if (input.device.type != other.device.type || input.device.index != other.device.index)
            throw new ArgumentException(
                $"matmul needs both operands on one device, got {input.device} {input.ShapeText()} and {other.device} {other.ShapeText()}. Move one with .to(device).");
        return shape;
    }

    /// <summary>
    /// The shape of <c>torch.matmul</c>'s result for operands of shapes <paramref name="a"/> and <paramref name="b"/>,
    /// or null with the reason in <paramref name="problem"/>. The rules, as in PyTorch: 1-D · 1-D is a dot product (a 0-d
    /// result); a 1-D first operand is a row [1, k] and a 1-D second one a column [k, 1], and that 1 is removed again;
    /// dimensions before the last two broadcast.
    /// </summary>
    internal static long[]? ResultShape(ReadOnlySpan<long> a, ReadOnlySpan<long> b, out string problem)
    {
        problem = "";
        if (a.Length == 0 || b.Length == 0)
        {
            problem = $"both operands need at least one dimension, but they have {a.Length} and {b.Length} (a 0-d tensor is a scalar: multiply with * instead).";
            return null;
        }
        var k = a[^1];
        var (kOther, otherAxis) = b.Length == 1 ? (b[0], "only dimension") : (b[^2], "second-to-last dimension");
        if (k != kOther)
        {
            problem = $"the first operand's last dimension is {k} but the second's {otherAxis} is {kOther}; they must be equal.";
            return null;
        }
        var batchA = a.Length > 2 ? a[..^2] : ReadOnlySpan<long>.Empty;
        var batchB = b.Length > 2 ? b[..^2] : ReadOnlySpan<long>.Empty;
        var batch = new long[Math.Max(batchA.Length, batchB.Length)];
        for (var i = 1; i <= batch.Length; i++)
        {
            var x = i <= batchA.Length ? batchA[^i] : 1;
            var y = i <= batchB.Length ? batchB[^i] : 1;
            if (x != y && x != 1 && y != 1)
            {
                problem = $"the batch dimensions {Text(batchA)} and {Text(batchB)} do not broadcast: counted from the right, "
                          + $"sizes {x} and {y} are neither equal nor 1.";
                return null;
            }
            batch[^i] = x == 1 ? y : x;
        }
        List<long> shape = [.. batch];
        if (a.Length >= 2) shape.Add(a[^2]);
        if (b.Length >= 2) shape.Add(b[^1]);
        return [.. shape];
    }

    static string Text(ReadOnlySpan<long> shape) => $"[{string.Join(", ", shape.ToArray())}]";
}
