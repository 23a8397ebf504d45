using System.Runtime.InteropServices;
using DlWorkbook.Tensors;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>
/// A batch did not fit the model or the loss. The message names the epoch and batch, the shapes and dtypes
/// involved, TorchSharp's own complaint, and what the model or loss expects; TorchSharp's exception is the inner one.
/// </summary>
public sealed class BatchShapeException : ArgumentException
{
    BatchShapeException(string message, Exception? inner) : base(message, inner)
    {
    }

    /// <summary>True for what TorchSharp throws when a shape or dtype does not fit.</summary>
    internal static bool IsShapeError(Exception e) => e is ExternalException or ArgumentException && e is not BatchShapeException;

    /// <summary>The model failed on <paramref name="x"/> (when <paramref name="yHat"/> is null), or else the loss failed.</summary>
    internal static BatchShapeException For(string where, Tensor x, Tensor y, Tensor? yHat, Exception e) => yHat is null
        ? new($"{where}: the model failed on a batch X of shape {Describe(x)}: {FirstLine(e)} "
              + "Check the shape the model's first layer expects: a Linear layer takes [batch, features] "
              + "(put nn.Flatten() in front of it for images), a Conv2d layer takes [batch, channels, height, width].", e)
        : new($"{where}: the loss could not compare the model's output of shape {Describe(yHat)} "
              + $"with the labels of shape {Describe(y)}: {FirstLine(e)} "
              + "Cross-entropy takes logits [batch, classes] and class indices [batch] (int64); "
              + "MSE and L1 take the output and the labels in the same shape (reshape the labels to [batch, 1]).", e);

    /// <summary>A regression target whose shape differs from the output's, which the loss would silently broadcast.</summary>
    internal static BatchShapeException TargetShape(string where, Tensor yHat, Tensor y) => new(
        $"{where}: the model's output has shape {yHat.ShapeText()} but the targets y have shape {y.ShapeText()}. "
        + "The loss would broadcast one against the other and train on the wrong differences. Give the targets the "
        + "output's shape where the data are built, for example labels.reshape(-1, 1) for a model with one output.", null);

    static string Describe(Tensor t) => $"{t.ShapeText()} ({TensorNotation.DtypeName(t.dtype)})";

    static string FirstLine(Exception e) => e.Message.Split('\n')[0].Trim().TrimEnd('.') + ".";
}
