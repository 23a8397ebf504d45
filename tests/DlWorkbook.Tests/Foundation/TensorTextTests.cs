using DlWorkbook.Display;
using DlWorkbook.Runtime;
using DlWorkbook.Tensors;
using TorchSharp;

namespace DlWorkbook.Tests.Foundation;

public class TensorTextTests
{
    public TensorTextTests() => TorchNative.EnsureLoaded();

    [Fact]
    public void IntegralFloatMatrixPrintsLikePyTorch()
    {
        using var t = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        Assert.Equal("tensor([[1., 2.],\n        [3., 4.]])", TensorText.Format(t));
    }

    [Fact]
    public void FractionsUseFourDecimalsAlignedToOneWidth()
    {
        using var t = torch.tensor(new float[] { -1.5f, 2.25f, 10f / 3 });
        Assert.Equal("tensor([-1.5000,  2.2500,  3.3333])", TensorText.Format(t));
    }

    [Fact]
    public void WideRangeSwitchesToScientificNotation()
    {
        using var t = torch.tensor(new double[] { 1e-5, 1.0 });
        Assert.Equal("tensor([1.0000e-05, 1.0000e+00], dtype=torch.float64)", TensorText.Format(t));
    }

    [Fact]
    public void IntegersBoolsAndNonDefaultDtypes()
    {
        using var i64 = torch.arange(3);
        using var i32 = torch.tensor(new[] { 1, -20 });
        using var b = torch.tensor(new[] { true, false });
        Assert.Equal("tensor([0, 1, 2])", TensorText.Format(i64));
        Assert.Equal("tensor([  1, -20], dtype=torch.int32)", TensorText.Format(i32));
        Assert.Equal("tensor([ True, False])", TensorText.Format(b));
    }

    [Fact]
    public void ScalarsAndGradientFlag()
    {
        using var s = torch.tensor(3.5f);
        using var w = torch.ones(2, requires_grad: true);
        Assert.Equal("tensor(3.5000)", TensorText.Format(s));
        Assert.Equal("tensor([1., 1.], requires_grad=True)", TensorText.Format(w));
    }

    [Fact]
    public void ThreeDimensionsSeparateBlocksWithABlankLine()
    {
        using var t = torch.arange(8).reshape(2, 2, 2);
        Assert.Equal(
            "tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])",
            TensorText.Format(t));
    }

    [Fact]
    public void LargeTensorsAreSummarisedWithEdgeItems()
    {
        using var t = torch.arange(2000);
        Assert.Equal("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])", TensorText.Format(t));
    }

    [Fact]
    public void LargeMatrixSummaryKeepsThreeRowsAndColumnsAtEachEnd()
    {
        using var t = torch.zeros(100, 100);
        var lines = TensorText.Format(t).Split('\n');
        Assert.Equal(7, lines.Length);
        Assert.Equal("tensor([[0., 0., 0.,  ..., 0., 0., 0.],", lines[0]);
        Assert.Equal("        [0., 0., 0.,  ..., 0., 0., 0.]])", lines[6]);
        Assert.Equal("        ...,", lines[3]);
    }

    [Fact]
    public void EmptyTensor()
    {
        using var t = torch.zeros(0);
        Assert.Equal("tensor([])", TensorText.Format(t));
    }

    [Fact]
    public void DescribeNamesShapeDtypeAndDevice()
    {
        using var t = torch.zeros(new long[] { 2, 3 }, dtype: torch.int32);
        Assert.Equal("shape [2, 3] · int32 · cpu", TensorText.Describe(t));
    }

    [Fact]
    public void ShapeTextListsTheAxes()
    {
        using var batch = torch.zeros(16, 3, 12, 12);
        using var scalar = torch.tensor(1f);
        Assert.Equal("[16, 3, 12, 12]", batch.ShapeText());
        Assert.Equal("[]", scalar.ShapeText());
    }

    [Fact]
    public void HtmlEscapesAndShowsTheDescription()
    {
        using var t = torch.arange(3);
        var html = TensorText.ToHtml(t);
        Assert.Contains("shape [3] &#183; int64 &#183; cpu", html);
        Assert.Contains("<pre style=\"margin:2px 0\">tensor([0, 1, 2])</pre>", html);
    }
}
