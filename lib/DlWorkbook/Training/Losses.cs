using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>Hand-written loss functions as modules, so the training loops take them like <c>nn.CrossEntropyLoss()</c>.</summary>
public static class Losses
{
    /// <summary>
    /// Wraps a loss written as a function of predictions and labels, such as d2l's from-scratch
    /// <c>cross_entropy(y_hat, y)</c>. It may return one loss per example or their mean.
    /// </summary>
    /// <example><code>
    /// var loss = Losses.From((yHat, y) => -yHat.gather(1, y.unsqueeze(1)).log().squeeze(1), "cross_entropy");
    /// </code></example>
    public static nn.Module<Tensor, Tensor, Tensor> From(Func<Tensor, Tensor, Tensor> loss, string name = "loss")
    {
        ArgumentNullException.ThrowIfNull(loss);
        return new FunctionLoss(name, loss);
    }

    sealed class FunctionLoss(string name, Func<Tensor, Tensor, Tensor> loss) : nn.Module<Tensor, Tensor, Tensor>(name)
    {
        public override Tensor forward(Tensor yHat, Tensor y) => loss(yHat, y);
    }
}
