using DlWorkbook.Tensors;
using DlWorkbook.Tests.Display;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Foundation;

[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]   // swaps the console
public class CrossCheckTests
{
    static Tensor Grid() => torch.tensor(new float[,] { { 19, 25 }, { 37, 43 } });

    [Fact]
    public void AgreeingTensorsShowATickWithBothShapesAndTheLargestDifference()
    {
        var line = Assert.Single(CellOutputCapture.Printed(() => CrossCheck.Agree("by hand", Grid(), "conv2d", Grid().reshape(1, 1, 2, 2).reshape(2, 2))));
        Assert.Equal("✓ by hand = conv2d · [2, 2] float32 and [2, 2] float32 · largest difference 0", line);
    }

    [Fact]
    public void AMismatchThrowsWithWhereAndByHowMuch()
    {
        var library = Grid().clone();
        library[1, 0] = torch.tensor(40f);
        var e = Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("by hand", Grid(), "conv2d", library));
        Assert.Equal("by hand and conv2d disagree ([2, 2] float32 and [2, 2] float32): at [1, 0] by hand is 37 and conv2d is 40, "
            + "allowed 1E-05 + 1.3E-06·|conv2d|; largest difference 3. The two computations in this cell should give the same result: "
            + "compare them step by step.", e.Message);
    }

    [Fact]
    public void DifferentShapesAreAMismatchNotABroadcast()
    {
        var e = Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("by hand", Grid(), "conv2d", Grid().reshape(1, 1, 2, 2)));
        Assert.Equal("by hand and conv2d have different shapes, [2, 2] and [1, 1, 2, 2]; reshape one of them so both have the same shape, then compare.", e.Message);
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-6, true)]    // float32 rounding
    [InlineData(ScalarType.Float32, 1e-4, false)]
    [InlineData(ScalarType.Float64, 1e-8, true)]
    [InlineData(ScalarType.Float64, 1e-6, false)]   // float64 is held to more digits
    [InlineData(ScalarType.Int64, 0, true)]
    public void TolerancesFollowTheDtype(ScalarType dtype, double offset, bool agrees)
    {
        var a = torch.ones(3, dtype: ScalarType.Float64).to(dtype);
        var b = (torch.ones(3, dtype: ScalarType.Float64) + offset).to(dtype);
        var check = () => CellOutputCapture.Printed(() => CrossCheck.Agree("a", a, "b", b));
        if (agrees) check();
        else Assert.Throws<CrossCheckException>(check);
    }

    [Fact]
    public void IntegersMustBeEqualAndTolerancesCanBeWidened()
    {
        Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("a", torch.tensor(new long[] { 1, 2 }), "b", torch.tensor(new long[] { 1, 3 })));
        CellOutputCapture.Printed(() => CrossCheck.Agree("a", torch.ones(2), "b", torch.ones(2) * 1.01f, rtol: 0, atol: 0.02));
    }

    [Fact]
    public void NaNNeverAgrees()
    {
        var e = Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("naive", torch.tensor(new[] { float.NaN, 1 }), "stable", torch.tensor(new[] { 0.5f, 1 })));
        Assert.Contains("at [0] naive is NaN and stable is 0.5", e.Message);
    }

    [Fact]
    public void EqualInfinitiesAgreeAsInAssertClose()
    {
        var infinities = torch.tensor(new[] { float.PositiveInfinity, float.NegativeInfinity, 1 });

        var lines = CellOutputCapture.Printed(() =>
        {
            CrossCheck.Agree("a", infinities, "b", infinities.clone());
            CrossCheck.Agree("x", double.PositiveInfinity, "y", double.PositiveInfinity);
            CrossCheck.Agree("xs", new[] { double.NegativeInfinity, 2 }, "ys", new[] { double.NegativeInfinity, 2 });
        });

        Assert.Equal(["✓ a = b · [3] float32 and [3] float32 · largest difference 0", "✓ x = y · Infinity and Infinity · difference 0",
            "✓ xs = ys · 2 numbers · largest difference 0"], lines);
        Assert.Contains("at [0] a is Infinity and b is -Infinity", Assert.Throws<CrossCheckException>(() =>
            CrossCheck.Agree("a", infinities, "b", -infinities)).Message);
        Assert.Contains("at [0] a is Infinity and b is 1E+38", Assert.Throws<CrossCheckException>(() =>
            CrossCheck.Agree("a", infinities, "b", infinities.nan_to_num(posinf: 1e38, neginf: -1e38))).Message);
    }

    [Fact]
    public void NaNOnBothSidesFailsWithAHintAndEqualNanLetsItPass()
    {
        var withNaN = torch.tensor(new[] { float.NaN, 1 });
        const string hint = "both NaN (not a number). NaN equals nothing, not even NaN: both computations produced an undefined value "
                            + "(such as 0/0, ∞ − ∞ or the log of a negative number); find the step where it first appears. If NaN is the "
                            + "right result there, pass equalNan: true (PyTorch: assert_close(..., equal_nan=True)).";

        Assert.Equal("a and b disagree ([2] float32 and [2] float32): at [0] a is NaN and b is NaN, " + hint,
            Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("a", withNaN, "b", withNaN.clone())).Message);
        Assert.Equal("x is NaN and y is NaN: " + hint,
            Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("x", double.NaN, "y", double.NaN)).Message);
        var lines = CellOutputCapture.Printed(() =>
        {
            CrossCheck.Agree("a", withNaN, "b", withNaN.clone(), equalNan: true);
            CrossCheck.Agree("x", double.NaN, "y", double.NaN, equalNan: true);
        });
        Assert.Equal(["✓ a = b · [2] float32 and [2] float32 · largest difference 0", "✓ x = y · NaN and NaN · difference 0"], lines);
        Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("a", withNaN, "b", torch.ones(2), equalNan: true));
    }

    [Fact]
    public void Int64ValuesBeyondTwoToThe53AreComparedExactly()
    {
        var e = Assert.Throws<CrossCheckException>(() =>
            CrossCheck.Agree("a", torch.tensor(new[] { 1L, 9007199254740993L }), "b", torch.tensor(new[] { 1L, 9007199254740992L })));

        Assert.Equal("a and b disagree ([2] int64 and [2] int64): at [1] a is 9007199254740993 and b is 9007199254740992, allowed no "
                     + "difference; largest difference 1. The two computations in this cell should give the same result: compare them "
                     + "step by step.", e.Message);
        Assert.Single(CellOutputCapture.Printed(() =>
            CrossCheck.Agree("a", torch.tensor(new[] { long.MaxValue, long.MinValue }), "b", torch.tensor(new[] { long.MaxValue, long.MinValue }))));
    }

    [Fact]
    public void ComplexAgainstRealFailsNamingTheDtypesAndImaginaryPartsCount()
    {
        var z = torch.complex(torch.ones(2), torch.zeros(2));

        Assert.Equal("a and b cannot agree ([2] complex64 and [2] float32): one is complex and the other real. Compare like with like: "
                     + "torch.view_as_real(z) gives a complex tensor's real and imaginary parts as a last dimension of 2, and z.real its "
                     + "real part alone (when the imaginary part should be 0).",
            Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("a", z, "b", torch.ones(2))).Message);
        Assert.Contains("at [0] a is 1+0i and b is 1+2i", Assert.Throws<CrossCheckException>(() =>
            CrossCheck.Agree("a", z, "b", torch.complex(torch.ones(2), torch.full(2, 2f)))).Message);
        Assert.Single(CellOutputCapture.Printed(() => CrossCheck.Agree("a", z, "b", z.clone())));
    }

    [Fact]
    public void NumbersTextsAndSequencesShowBothValues()
    {
        var lines = CellOutputCapture.Printed(() =>
        {
            CrossCheck.Agree("by hand", 14.666667, "nn.MSELoss", 14.666666);
            CrossCheck.Agree("parameters", 221_184L, "numel", 221_184L);
            CrossCheck.Agree("text", "the time machine", "back", "the time machine");
            CrossCheck.Agree("library", new[] { 3, 1, 4 }, "by hand", new List<int> { 3, 1, 4 });
            CrossCheck.Agree("curve by hand", new List<double> { 0.5, 0.25 }, "Regression.Train", new[] { 0.5, 0.2500001 });
            CrossCheck.Agree("library batches", new[] { torch.ones(2, 5), torch.zeros(2, 5) }, "by hand", new List<Tensor> { torch.ones(2, 5), torch.zeros(2, 5) });
        });
        Assert.Equal(
        [
            "✓ by hand = nn.MSELoss · 14.6667 and 14.6667 · difference 1E-06",
            "✓ parameters = numel · 221,184 and 221,184",
            "✓ text = back · \"the time machine\" (both)",
            "✓ library = by hand · 3 items, all equal: [3, 1, 4]",
            "✓ curve by hand = Regression.Train · 2 numbers · largest difference 1E-07",
            "✓ library batches = by hand · 2 tensors of shape [2, 5] · largest difference 0",
        ], lines);
    }

    [Fact]
    public void MismatchedNumbersTextsAndSequencesThrow()
    {
        Assert.Contains("differ by 0.01", Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("a", 1.0, "b", 1.01)).Message);
        Assert.Equal("a is 3 and b is 4; they should be equal.", Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("a", 3L, "b", 4L)).Message);
        Assert.Contains("differ from character 4", Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("a", "time", "b", "timex")).Message);
        Assert.Equal("a and b differ at position 1: 2 and 5.", Assert.Throws<CrossCheckException>(() => CrossCheck.Agree("a", new[] { 1, 2 }, "b", new[] { 1, 5 })).Message);
        Assert.Contains("Tensor 1 of a and of b disagree", Assert.Throws<CrossCheckException>(() =>
            CrossCheck.Agree("a", new[] { torch.ones(2), torch.ones(2) }, "b", new[] { torch.ones(2), torch.zeros(2) })).Message);
        Assert.Contains("a has 2 tensors and b has 1", Assert.Throws<CrossCheckException>(() =>
            CrossCheck.Agree("a", new[] { torch.ones(2), torch.ones(2) }, "b", new[] { torch.ones(2) })).Message);
    }

    [Fact]
    public async Task InANotebookTheTickIsOneOutputWithHtmlAndPlainText()
    {
        var shown = Assert.Single(await CellOutputCapture.Displayed(() => CrossCheck.Agree("by hand", Grid(), "conv2d", Grid())));
        var byType = shown.FormattedValues.ToDictionary(v => v.MimeType, v => v.Value);
        Assert.Equal(["text/html", "text/plain"], byType.Keys.Order());
        Assert.Equal("✓ by hand = conv2d · [2, 2] float32 and [2, 2] float32 · largest difference 0", byType["text/plain"]);
        Assert.Contains("<span style=\"color:#2e7d32;font-weight:bold\">✓</span> by hand = conv2d", byType["text/html"]);
    }
}
