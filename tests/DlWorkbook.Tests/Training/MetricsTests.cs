using DlWorkbook.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Training;

public class MetricsTests
{
    [Fact]
    public void CorrectCountFromLogits()
    {
        var logits = tensor(new float[,] { { 0.1f, 0.9f }, { 0.8f, 0.2f }, { 0.3f, 0.7f }, { 0.6f, 0.4f } });
        var y = tensor(new long[] { 1, 0, 0, 0 });
        Assert.Equal(3, Metrics.CorrectCount(logits, y));
    }

    [Fact]
    public void CorrectCountFromPredictedLabels()
    {
        Assert.Equal(2, Metrics.CorrectCount(tensor(new long[] { 1, 2, 0 }), tensor(new long[] { 1, 0, 0 })));
    }

    [Fact]
    public void MismatchedShapesNameBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Metrics.CorrectCount(zeros(4, 3), zeros(5, ScalarType.Int64)));
        Assert.Contains("[4, 3]", e.Message);
        Assert.Contains("[5]", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EvaluationRunsInEvalModeWithoutGradientsAndRestoresTheMode(bool training)
    {
        var probe = new ModeProbe();
        probe.train(training);
        var data = new[] { (ones(2, 3), tensor(new long[] { 0, 1 })) };

        Metrics.EvaluateAccuracy(probe, data);

        Assert.False(probe.SawTraining);
        Assert.False(probe.SawGradients);
        Assert.Equal(training, probe.training);
    }

    [Fact]
    public void EvaluateLossWeightsBatchesByTheirSize()
    {
        // Squared errors 0, 0, 0, 4: the mean over examples is 1, while averaging the two batch means would give 2.
        var x = tensor(new float[] { 1, 2, 3, 4 }).reshape(4, 1);
        var y = tensor(new float[] { 1, 2, 3, 6 }).reshape(4, 1);
        var data = new[] { (x[..3], y[..3]), (x[3..], y[3..]) };

        Assert.Equal(1.0, Metrics.EvaluateLoss(nn.Identity(), data, nn.MSELoss()), 6);
    }

    [Fact]
    public void EvaluateGivesLossAndAccuracyTogether()
    {
        var logits = tensor(new float[,] { { 2, 0 }, { 0, 2 } });
        var result = Metrics.Evaluate(nn.Identity(), [(logits, tensor(new long[] { 0, 0 }))], nn.CrossEntropyLoss());
        Assert.Equal(0.5, result.Accuracy);
        Assert.Equal(2, result.Examples);
        var expected = (Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(2))) / 2;
        Assert.Equal(expected, result.Loss, 5);
    }

    sealed class ModeProbe() : nn.Module<Tensor, Tensor>(nameof(ModeProbe))
    {
        public bool SawTraining { get; private set; }
        public bool SawGradients { get; private set; }

        public override Tensor forward(Tensor x)
        {
            SawTraining |= training;
            SawGradients |= is_grad_enabled();
            return x;
        }
    }
}

public class DevicesTests
{
    [Fact]
    public void ModelDeviceIsThatOfItsParametersOrTheCpu()
    {
        Assert.Equal(DeviceType.CPU, Devices.Of(nn.Linear(2, 1)).type);
        Assert.Equal(DeviceType.CPU, Devices.Of(nn.ReLU()).type);
        // The meta device holds shapes without data: a model moved there shows where the parameters are, on any machine.
        Assert.Equal(DeviceType.META, Devices.Of(nn.Linear(2, 1).to(DeviceType.META)).type);
    }
}
