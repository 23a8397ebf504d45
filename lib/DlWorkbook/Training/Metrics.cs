using DlWorkbook.Runtime;
using DlWorkbook.Tensors;
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
    internal static long CorrectCount(Tensor yHat, Tensor y)
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
        => Run(model, data, loss, countCorrect: false).Loss;

    /// <summary>
    /// Mean loss and accuracy of a classifier in one pass over <paramref name="data"/>; the loss is NaN when
    /// <paramref name="loss"/> is null. Evaluation mode and no gradients, as in <see cref="EvaluateAccuracy"/>.
    /// </summary>
    /// <exception cref="NonFiniteEvaluationException">
    /// The data, or the model's outputs on them, hold NaN or infinite values (thrown by every evaluation function).
    /// </exception>
    public static Evaluation Evaluate(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor>? loss) =>
        Run(model, data, loss, countCorrect: true);

    /// <summary>
    /// The evaluation after epoch <paramref name="epoch"/> of a training loop: accuracy when <paramref name="loss"/> is null
    /// (classification), else loss (regression). NaN or infinity stops training with a <see cref="TrainingDivergedException"/>,
    /// so that the loop keeps its history: in the data, the message names the rows and blames the data; in the outputs of
    /// finite data, the weights diverged in this epoch. For regression that case gives a NaN loss, which the loop reports
    /// with its learning rate.
    /// </summary>
    internal static Evaluation AfterEpoch(
        int epoch, nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor>? loss,
        double? learningRate)
    {
        try
        {
            return Run(model, data, loss, countCorrect: loss is null, epoch);
        }
        catch (NonFiniteEvaluationException e) when (e.InData)
        {
            throw new TrainingDivergedException(Divergence.OfEvaluation(epoch, e.Message));
        }
        catch (NonFiniteEvaluationException) when (loss is not null)
        {
            return new Evaluation(double.NaN, double.NaN, 0);
        }
        catch (NonFiniteEvaluationException)
        {
            throw new TrainingDivergedException(Divergence.OfOutputs(epoch, learningRate));
        }
    }

    static Evaluation Run(
        nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor X, Tensor y)> data, nn.Module<Tensor, Tensor, Tensor>? loss,
        bool countCorrect, int epoch = 0)
    {
        var cancel = KernelStop.Token;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var gate = FinalizerGate.Hold();
            using var noGrad = no_grad();
            var device = Devices.Of(model);
            double lossSum = 0;
            long correct = 0, examples = 0;
            var batch = 0;
            var nonFinite = new NonFiniteRows();
            using var passScope = NewDisposeScope();          // what the loader makes for the whole pass (an order)
            foreach (var (xb, yb) in data)
            {
                using var batchScope = NewDisposeScope();     // frees this batch and all that is computed from it
                passScope.MoveToOther(batchScope, xb, yb);
                batch++;
                if (cancel.IsCancellationRequested) throw new TrainingCancelledException(epoch, batch);
                var (x, y, n) = (xb.MoveTo(device), yb.MoveTo(device), xb.size(0));
                Tensor? yHat = null;
                try
                {
                    yHat = model.call(x);
                    if (loss is not null) lossSum += loss.call(yHat, y).mean().item<float>() * n;
                }
                catch (Exception e) when (BatchShapeException.IsShapeError(e))
                {
                    throw BatchShapeException.For($"Evaluation, batch {batch}", x, y, yHat, e);
                }
                // A NaN row would still be counted right or wrong, and make the loss NaN: noted, and named after the pass.
                nonFinite.Check(x, y, yHat);
                if (countCorrect) correct += CorrectCount(yHat, y);
                examples += n;
            }
            if (examples == 0)
                throw new ArgumentException("The evaluation data gave no batches. Check the loader (is it empty?).", nameof(data));
            nonFinite.ThrowIfAny(model);
            return new Evaluation(loss is null ? double.NaN : lossSum / examples, (double)correct / examples, examples);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}

/// <summary>The result of <see cref="Metrics.Evaluate"/>: mean loss per example, accuracy and the number of examples.</summary>
public sealed record Evaluation(double Loss, double Accuracy, long Examples);
