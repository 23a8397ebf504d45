using DlWorkbook.Tests.Training;
using DlWorkbook.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Faults;

/// <summary>
/// NaN or infinity that only the evaluation data hold (the training data are clean): the evaluation names the rows and
/// blames the data, in the training loops and on its own; NaN outputs of finite data name the weights or the forward.
/// </summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class EvaluationFaultTests
{
    const string Advice = "An accuracy would still count those rows as right or wrong, and a loss would be NaN. The data are at "
                          + "fault, not the model or the learning rate: find those examples where the evaluation data are loaded "
                          + "(X.isfinite().logical_not() marks the values; a missing value in a file is the usual cause) and "
                          + "repair or drop them.";

    [Fact]
    public void NaNOnlyInTheTestDataStopsClassificationNamingTheRows()
    {
        var (x, y) = Synthetic.Blobs(perClass: 100);
        var test = Poisoned(x, (5, 0, float.NaN), (150, 3, float.NaN), (299, 1, float.PositiveInfinity));
        var net = nn.Linear(4, 3);

        var history = Classification.Train(net, Synthetic.Batches(x, y, 32), Synthetic.Batches(test, y, 64, shuffle: false),
            nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 3);

        Assert.True(history.Diverged);
        Assert.Empty(history);
        Assert.Equal(1, history.Divergence!.Epoch);
        Assert.Null(history.Divergence.Batch);
        Assert.Equal("Training stopped after epoch 1, in the evaluation: The evaluation data hold NaN or infinite values: "
                     + "X in rows 5, 150 and 299 of the 300 evaluation examples (counted from 0 in the loader's order). " + Advice,
            history.Divergence.Message);
    }

    [Fact]
    public void TestAccuracyDoesNotCountHundredNaNRows()
    {
        var (x, y) = Synthetic.Blobs(perClass: 100);
        var test = x.clone();
        using (var nan = float.NaN.ToScalar()) test[100..200].fill_(nan);
        var net = nn.Linear(4, 3);

        var e = Assert.Throws<NonFiniteEvaluationException>(() => Metrics.EvaluateAccuracy(net, Synthetic.Batches(test, y, 64, shuffle: false)));

        Assert.True(e.InData);
        Assert.Equal(Enumerable.Range(100, 100).Select(i => (long)i), e.Rows);
        Assert.Equal("The evaluation data hold NaN or infinite values: X in 100 rows (100, 101, 102, 103, 104, 105, 106, 107, 108, "
                     + "109, …) of the 300 evaluation examples (counted from 0 in the loader's order). " + Advice, e.Message);
    }

    [Fact]
    public void NaNOnlyInTheEvaluationDataIsBlamedOnTheDataNotTheLearningRate()
    {
        var (x, y) = Synthetic.Line(200, [2f, -3.4f], 4.2f);
        var evalX = Poisoned(x, (3, 1, float.NegativeInfinity));
        var evalY = Poisoned(y, (7, 0, float.NaN));
        var net = nn.Linear(2, 1);

        var history = Regression.Train(net, Synthetic.Batches(x, y, 20), nn.MSELoss(), optim.SGD(net.parameters(), 0.03), epochs: 3,
            evaluationData: Synthetic.Batches(evalX, evalY, 50, shuffle: false));

        Assert.True(history.Diverged);
        Assert.Equal("Training stopped after epoch 1, in the evaluation: The evaluation data hold NaN or infinite values: "
                     + "X in row 3; y in row 7 of the 200 evaluation examples (counted from 0 in the loader's order). " + Advice,
            history.Divergence!.Message);
        Assert.DoesNotContain("too large", history.Divergence.Message);
    }

    [Fact]
    public void NaNWeightsAreNamedWhenTheDataAreFinite()
    {
        var (x, y) = Synthetic.Line(12, [2f, -3.4f], 4.2f);
        var net = nn.Linear(2, 1);
        using (no_grad())
        using (var nan = float.NaN.ToScalar())
            net.weight!.fill_(nan);

        var e = Assert.Throws<NonFiniteEvaluationException>(() => Metrics.EvaluateLoss(net, Synthetic.Batches(x, y, 5), nn.MSELoss()));

        Assert.False(e.InData);
        Assert.Equal(12, e.Rows.Count);
        Assert.StartsWith("The model's outputs are NaN or infinite in 12 rows (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, …) of the 12 evaluation "
                          + "examples (counted from 0 in the loader's order), though the data are finite: its weights hold NaN",
            e.Message);
    }

    [Fact]
    public void AnUndefinedForwardIsNamedWhenDataAndWeightsAreFinite()
    {
        var data = new[] { (tensor(new[] { 1f, -1f, 2f }).reshape(3, 1), tensor(new[] { 0f, 0f, 0f }).reshape(3, 1)) };

        var e = Assert.Throws<NonFiniteEvaluationException>(() => Metrics.EvaluateLoss(new LogModel(), data, nn.MSELoss()));

        Assert.Equal([1L], e.Rows);
        Assert.StartsWith("The model's outputs are NaN or infinite in row 1 of the 3 evaluation examples (counted from 0 in the "
                          + "loader's order), though the data and the weights are finite", e.Message);
    }

    static Tensor Poisoned(Tensor data, params (long Row, long Column, float Value)[] cells)
    {
        var copy = data.clone();
        foreach (var (row, column, value) in cells)
            copy[row, column] = tensor(value);
        return copy;
    }

    sealed class LogModel() : nn.Module<Tensor, Tensor>(nameof(LogModel))
    {
        public override Tensor forward(Tensor x) => x.log();
    }
}
