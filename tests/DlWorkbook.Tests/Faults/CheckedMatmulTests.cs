using DlWorkbook.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Faults;

/// <summary>
/// The checked matmul against libtorch's own: same shapes and values wherever matmul works, a .NET exception naming
/// both shapes and the rule wherever it would abort the process. The failing cases are never passed to the real matmul.
/// </summary>
public class CheckedMatmulTests
{
    public static TheoryData<long[], long[], long[]> EveryRankCombination => new()
    {
        { [3], [3], [] },                       // 1-D · 1-D: dot product, a 0-d result
        { [2, 3], [3], [2] },                   // 2-D · 1-D: matrix-vector
        { [3], [3, 4], [4] },                   // 1-D · 2-D: vector-matrix
        { [2, 3], [3, 4], [2, 4] },             // 2-D · 2-D
        { [5, 2, 3], [5, 3, 4], [5, 2, 4] },    // batched, same batch
        { [5, 2, 3], [3, 4], [5, 2, 4] },       // batched · matrix: the matrix is shared
        { [3, 4], [5, 4, 2], [5, 3, 2] },       // matrix · batched
        { [5, 2, 3], [3], [5, 2] },             // batched · 1-D
        { [3], [5, 3, 4], [5, 4] },             // 1-D · batched
        { [2, 1, 3, 4], [5, 4, 6], [2, 5, 3, 6] }, // batch dimensions broadcast: [2, 1] with [5]
        { [1, 2, 3], [7, 3, 2], [7, 2, 2] },    // a batch of 1 broadcasts
        { [0, 3], [3, 2], [0, 2] },             // empty rows are fine
    };

    [Theory]
    [MemberData(nameof(EveryRankCombination))]
    public void AgreesWithTorchMatmulWhereItWorks(long[] a, long[] b, long[] expected)
    {
        using var scope = NewDisposeScope();
        var left = randn(a, generator: new Generator().manual_seed(1));
        var right = randn(b, generator: new Generator().manual_seed(2));

        Assert.Equal(expected, CheckedMatmul.ResultShape(a, b, out _));
        var reference = left.matmul(right);
        var checkedResult = CheckedMatmul.Matmul(left, right);
        Assert.Equal(expected, reference.shape);
        Assert.True(reference.allclose(checkedResult, rtol: 0, atol: 0));
    }

    [Fact]
    public void AgreesWithBroadcastingOnRandomShapesOfRankOneToFour()
    {
        // Independent reference: a row/column-padded product as broadcast multiply-and-sum; libtorch's broadcasting
        // throws a catchable error for batch dimensions that do not fit.
        var random = new Random(7);
        int valid = 0, invalid = 0;
        for (var trial = 0; trial < 400; trial++)
        {
            using var scope = NewDisposeScope();
            var a = RandomShape(random);
            var b = RandomShape(random);
            var predicted = CheckedMatmul.ResultShape(a, b, out var problem);
            var x = ones(a);
            var y = ones(b);
            var reference = Reference(x, y);
            if (predicted is null)
            {
                Assert.True(reference is null, $"{Text(a)} · {Text(b)}: checked says \"{problem}\" but broadcasting works");
                Assert.Throws<ArgumentException>(() => CheckedMatmul.Matmul(x, y));
                invalid++;
            }
            else
            {
                Assert.NotNull(reference);
                var product = x.matmul(y);
                Assert.Equal(predicted, product.shape);
                Assert.Equal(reference.shape, product.shape);
                Assert.True(reference.allclose(product));
                valid++;
            }
        }
        Assert.True(valid > 50 && invalid > 50, $"{valid} valid, {invalid} invalid: the random shapes should cover both");
    }

    [Fact]
    public void MismatchedInnerDimensionsNameBothShapesAndTheRule()
    {
        var e = Assert.Throws<ArgumentException>(() => CheckedMatmul.Matmul(ones(2, 3), ones(4, 5)));

        Assert.Equal(
            "matmul cannot multiply shapes [2, 3] and [4, 5]: the first operand's last dimension is 3 but the second's "
            + "second-to-last dimension is 4; they must be equal. Rule: " + CheckedMatmul.Rule, e.Message);
        Assert.Contains("[m, k] × [k, n] → [m, n]", e.Message);
    }

    [Fact]
    public void EveryOtherErrorOfMatmulIsAnExceptionToo()
    {
        Assert.Contains("need at least one dimension, but they have 0 and 1",
            Assert.Throws<ArgumentException>(() => CheckedMatmul.Matmul(tensor(1f), ones(2))).Message);
        Assert.Contains("the second's only dimension is 4",
            Assert.Throws<ArgumentException>(() => CheckedMatmul.Matmul(ones(3), ones(4))).Message);
        Assert.Contains("batch dimensions [2] and [3] do not broadcast",
            Assert.Throws<ArgumentException>(() => CheckedMatmul.Matmul(ones(2, 3, 4), ones(3, 4, 5))).Message);
        Assert.Contains("float32 [2, 3] and float64 [3, 2]",
            Assert.Throws<ArgumentException>(() => CheckedMatmul.Matmul(ones(2, 3), ones(3, 2, float64))).Message);
        Assert.Contains("bool tensors",
            Assert.Throws<ArgumentException>(() => CheckedMatmul.Matmul(ones(2, 3, @bool), ones(3, 2, @bool))).Message);
    }

    [Fact]
    public void GradientsFlowAsThroughMatmul()
    {
        var w = ones(3, 2).requires_grad_();
        CheckedMatmul.Matmul(full(4, 3, 2f), w).sum().backward();

        Assert.Equal(Enumerable.Repeat(8f, 6), w.grad!.data<float>().ToArray());
    }

    static Tensor? Reference(Tensor a, Tensor b)
    {
        if (a.shape[^1] != (b.dim() == 1 ? b.shape[0] : b.shape[^2])) return null;
        var left = a.dim() == 1 ? a.unsqueeze(0) : a;     // [..., m, k]
        var right = b.dim() == 1 ? b.unsqueeze(1) : b;    // [..., k, n]
        Tensor product;
        try
        {
            product = (left.unsqueeze(-1) * right.unsqueeze(-3)).sum(-2);   // [..., m, n]
        }
        catch (Exception)
        {
            return null;
        }
        if (b.dim() == 1) product = product.squeeze(-1);
        if (a.dim() == 1) product = product.squeeze(b.dim() == 1 ? -1 : -2);
        return product;
    }

    static long[] RandomShape(Random random) =>
        Enumerable.Range(0, random.Next(1, 5)).Select(_ => (long)random.Next(1, 4)).ToArray();

    static string Text(long[] shape) => $"[{string.Join(", ", shape)}]";
}
