using System.Runtime.InteropServices;
using DlWorkbook.Display;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>
/// A batch did not fit the model or the loss. The message names the epoch and batch, the shapes and dtypes
/// involved, TorchSharp's own complaint, and what the model or loss expects; TorchSharp's exception is the inner one.
/// </summary>
public sealed class BatchShapeException(string message, Exception inner) : ArgumentException(message, inner)
{
    /// <summary>Calls <paramref name="model"/> on <paramref name="x"/>, turning a shape error into a <see cref="BatchShapeException"/>.</summary>
    internal static Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor x, string where)
    {
        try
        {
            return model.call(x);
        }
        catch (Exception e) when (e is ExternalException or ArgumentException && e is not BatchShapeException)
        {
            throw new BatchShapeException(
                $"{where}: the model failed on a batch X of shape {x.ShapeText()} ({TensorText.DtypeName(x.dtype)}): {FirstLine(e)} "
                + "Check the shape the model's first layer expects: a Linear layer takes [batch, features] "
                + "(put nn.Flatten() in front of it for images), a Conv2d layer takes [batch, channels, height, width].", e);
        }
    }

    /// <summary>Calls <paramref name="loss"/> on the model's output and the labels, turning a shape or dtype error into a <see cref="BatchShapeException"/>.</summary>
    internal static Tensor Loss(nn.Module<Tensor, Tensor, Tensor> loss, Tensor yHat, Tensor y, string where)
    {
        try
        {
            return loss.call(yHat, y);
        }
        catch (Exception e) when (e is ExternalException or ArgumentException && e is not BatchShapeException)
        {
            throw new BatchShapeException(
                $"{where}: the loss could not compare the model's output of shape {yHat.ShapeText()} ({TensorText.DtypeName(yHat.dtype)}) "
                + $"with the labels of shape {y.ShapeText()} ({TensorText.DtypeName(y.dtype)}): {FirstLine(e)} "
                + "Cross-entropy takes logits [batch, classes] and class indices [batch] (int64); "
                + "MSE and L1 take the output and the labels in the same shape (reshape the labels to [batch, 1]).", e);
        }
    }

    static string FirstLine(Exception e) => e.Message.Split('\n')[0].Trim().TrimEnd('.') + ".";
}
