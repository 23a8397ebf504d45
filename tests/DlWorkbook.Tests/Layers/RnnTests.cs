using DlWorkbook.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Layers;

public class RnnTests
{
    [Fact]
    public void ScratchParametersHaveTheShapesOfNotebookSevenSectionSeven()
    {
        var net = new RnnScratch(vocabSize: 28, hiddenSize: 256);
        var shapes = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

        Assert.Equal([28L, 256], shapes["W_xh"]);
        Assert.Equal([256L, 256], shapes["W_hh"]);
        Assert.Equal([256L], shapes["b_h"]);
        Assert.Equal([256L, 28], shapes["W_hq"]);
        Assert.Equal([28L], shapes["b_q"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OutputsAreTimeFirstAndTheStateIsPerSequence(bool library)
    {
        RecurrentModel net = library ? new RnnModel(28, 256) : new RnnScratch(28, 256);
        var x = randint(0, 28, [32, 35]);

        var (output, state) = net.call(x, net.BeginState(32, CPU));

        Assert.Equal([35L * 32, 28], output.shape);
        Assert.Equal([32L, 256], state.shape);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TwoHalvesFromTheReturnedStateEqualOneRunOverTheWholeSequence(bool library)
    {
        RecurrentModel net = library ? new RnnModel(5, 8) : new RnnScratch(5, 8);
        var x = randint(0, 5, [3, 6]);
        var h0 = randn(3, 8) * 0.5;

        var (whole, last) = net.call(x, h0);
        var (first, middle) = net.call(x[.., ..3], h0);
        var (second, end) = net.call(x[.., 3..], middle);

        Assert.True(cat([first, second], 0).allclose(whole, atol: 1e-6), "the second half must start from the returned state");
        Assert.True(end.allclose(last, atol: 1e-6));
        Assert.False(middle.allclose(h0), "the returned state is the state after the steps, not the one passed in");
    }

    [Fact]
    public void OneStepFollowsTheHiddenStateFormula()
    {
        var net = new RnnScratch(vocabSize: 3, hiddenSize: 2);
        var p = net.named_parameters().ToDictionary(q => q.name, q => (Tensor)q.parameter);
        var h0 = tensor(new float[,] { { 0.5f, -0.5f } });
        var x = tensor(new long[,] { { 2 } });

        var (output, h1) = net.call(x, h0);

        var oneHot = tensor(new float[,] { { 0, 0, 1 } });
        var expected = tanh(oneHot.mm(p["W_xh"]) + h0.mm(p["W_hh"]) + p["b_h"]);
        Assert.True(h1.allclose(expected));
        Assert.True(output.allclose(expected.mm(p["W_hq"]) + p["b_q"]));
    }

    [Fact]
    public void InputsMustBeBatchByStepsOfIndices()
    {
        var net = new RnnScratch(3, 2);
        var e = Assert.Throws<ArgumentException>(() => net.call(zeros(2, 3, 4, ScalarType.Int64), net.BeginState(2, CPU)));
        Assert.Contains("[batch, steps]", e.Message);
    }
}
