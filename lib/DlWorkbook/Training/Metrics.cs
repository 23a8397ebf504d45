using DlWorkbook.Display;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>Accuracy and loss of a model, on one batch or over a whole loader.</summary>
public static class Metrics
{
    /// <summary>
    /// The number of correct predictions. <paramref name="yHat"/> is either logits or probabilities
    /// [n, classes] (the class with the highest score is taken) or predicted labels [n].
    /// Counterpart of <c>d2l.accuracy</c>, which also returns a count.
    /// </summary>
    public static long CorrectCount(Tensor yHat, Tensor y)
    {
        using var scope = NewDisposeScope();
        var predicted = yHat.dim() > 1 && yHat.size(1) > 1 ? yHat.argmax(1) : yHat.reshape(-1);
        var labels = y.dim() == 1 ? y : y.reshape(-1);
        if (predicted.size(0) != labels.size(0))
            throw new ArgumentException(
                $"Predictions of shape {yHat.ShapeText()} give {predicted.size(0)} labels, but y of shape "
                + $"{y.ShapeText()} has {labels.size(0)}. Pass one row of scores (or one label) per example.",
                nameof(yHat));
        var comparable = predicted.dtype == labels.dtype ? predicted : predicted.to_type(labels.dtype);
        return comparable.eq(labels).sum().item<long>();
    }

    /// <summary>
    /// The fraction of correct predictions, between 0 and 1 (d2l: <c>accuracy(y_hat, y) / len(y)</c>).
    /// </summary>
    public static double Accuracy(Tensor yHat, Tensor y)
    {
        var n = y.numel();
        return n == 0 ? 0 : (double)CorrectCount(yHat, y) / n;
    }

    /// <summary>
    /// Accuracy of <paramref name="model"/> over every batch of <paramref name="data"/>. Counterpart of
    /// <c>d2l.evaluate_accuracy(_gpu)</c>: evaluation mode, no gradients, the previous mode restored after.
    /// </summary>
    public static double EvaluateAccuracy(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data) =>
        Evaluate(model, data, loss: null).Accuracy;

    /// <summary>
    /// Mean loss per example of <paramref name="model"/> over every batch of <paramref name="data"/>.
    /// Counterpart of <c>d2l.evaluate_loss</c>; same modes as <see cref="EvaluateAccuracy"/>.
    /// </summary>
    public static double EvaluateLoss(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor> loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return Run(model, data, loss, countCorrect: false).Loss;
    }

    /// <summary>
    /// Mean loss and accuracy of a classifier in one pass over <paramref name="data"/>; the loss is NaN when
    /// <paramref name="loss"/> is null. Evaluation mode and no gradients, as in <see cref="EvaluateAccuracy"/>.
    /// </summary>
    public static Evaluation Evaluate(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor>? loss) =>
        Run(model, data, loss, countCorrect: true);

    static Evaluation Run(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor>? loss,
        bool countCorrect)
    {
        ArgumentNullException.ThrowIfNull(model);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var metric = new Accumulator(3);
            var batch = 0;
            BatchLoop.ForEach(data, Devices.Of(model), (x, y) =>
            {
                var where = $"Evaluation, batch {++batch}";
                var yHat = BatchShapeException.Forward(model, x, where);
                var n = x.size(0);
                var lossSum = loss is null ? 0 : BatchLoop.SummedValue(BatchShapeException.Loss(loss, yHat, y, where), n);
                metric.Add(lossSum, countCorrect ? CorrectCount(yHat, y) : 0, n);
                return true;
            });
            if (metric[2] == 0)
                throw new ArgumentException("The evaluation data gave no batches. Check the loader (is it empty?).", nameof(data));
            return new Evaluation(loss is null ? double.NaN : metric[0] / metric[2], metric[1] / metric[2], (long)metric[2]);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}

/// <summary>The result of <see cref="Metrics.Evaluate"/>: mean loss per example, accuracy and the number of examples.</summary>
public sealed record Evaluation(double Loss, double Accuracy, long Examples);
