using DlWorkbook.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Training;

public class BatchShapeTests
{
    static IEnumerable<(Tensor X, Tensor y)> Images(int n = 8) =>
        [(torch.rand(n, 1, 28, 28), torch.randint(0, 10, n, dtype: ScalarType.Int64))];

    [Fact]
    public void ImagesIntoALinearLayerNameTheShapesAndTheFix()
    {
        var net = nn.Linear(784, 10);
        var e = Assert.Throws<BatchShapeException>(() =>
            Classification.Train(net, Images(), Images(), nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 1));
        Assert.StartsWith("Epoch 1, batch 1: the model failed on a batch X of shape [8, 1, 28, 28] (float32): "
                          + "mat1 and mat2 shapes cannot be multiplied (224x28 and 784x10).", e.Message);
        Assert.Contains("put nn.Flatten() in front of it for images", e.Message);
        Assert.NotNull(e.InnerException);
    }

    [Fact]
    public void LabelsOfTheWrongShapeForTheLossAreNamed()
    {
        var net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10));
        IEnumerable<(Tensor X, Tensor y)> columnLabels = [(torch.rand(8, 1, 28, 28), torch.zeros(8, 1, dtype: ScalarType.Int64))];
        var e = Assert.Throws<BatchShapeException>(() =>
            Classification.Train(net, columnLabels, Images(), nn.CrossEntropyLoss(), optim.SGD(net.parameters(), 0.1), epochs: 1));
        Assert.StartsWith("Epoch 1, batch 1: the loss could not compare the model's output of shape [8, 10] (float32) "
                          + "with the labels of shape [8, 1] (int64): ", e.Message);
        Assert.Contains("class indices [batch] (int64)", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RegressionTargetsShapedOtherThanTheOutputAreRefusedWithBothShapes(bool flatTargets)
    {
        var (x, y) = Synthetic.Line(20, [1f, 2f], 0f);                       // x [20, 2], y [20, 1]
        nn.Module<Tensor, Tensor> net = flatTargets ? nn.Linear(2, 1) : nn.Sequential(nn.Linear(2, 1), nn.Flatten(0));
        IEnumerable<(Tensor X, Tensor y)> data = [(x, flatTargets ? y.reshape(-1) : y)];

        var e = Assert.Throws<BatchShapeException>(() =>
            Regression.Train(net, data, nn.MSELoss(), optim.SGD(net.parameters(), 0.1), epochs: 1));

        var (output, targets) = flatTargets ? ("[20, 1]", "[20]") : ("[20]", "[20, 1]");
        Assert.Equal($"Epoch 1, batch 1: the model's output has shape {output} but the targets y have shape {targets}. "
                     + "The loss would broadcast one against the other and train on the wrong differences. Give the targets "
                     + "the output's shape where the data are built, for example labels.reshape(-1, 1) for a model with one "
                     + "output.", e.Message);
    }

    [Fact]
    public void EvaluationNamesItsBatch()
    {
        var net = nn.Linear(784, 10);
        var e = Assert.Throws<BatchShapeException>(() => Metrics.EvaluateAccuracy(net, Images()));
        Assert.StartsWith("Evaluation, batch 1: the model failed on a batch X of shape [8, 1, 28, 28]", e.Message);
    }
}
