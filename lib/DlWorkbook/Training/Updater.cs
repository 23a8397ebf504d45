using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>
/// What changes the parameters after each backward pass: a TorchSharp optimizer, or a step written by hand such
/// as d2l's <c>sgd</c>. Counterpart of the <c>updater</c> argument of <c>d2l.train_ch3</c>.
/// </summary>
/// <remarks>
/// The loops back-propagate the loss averaged over the batch, so a hand-written step subtracts
/// <c>lr * param.grad</c> (d2l back-propagates the sum and divides by the batch size inside <c>sgd</c>: the same step).
/// </remarks>
/// <example><code>
/// Classification.Train(net, train, test, loss, torch.optim.SGD(net.parameters(), 0.1), epochs: 10);
/// Classification.Train(net, train, test, loss, Updater.Custom(() => SgdByHand(net.parameters(), 0.1)), epochs: 10);
/// </code></example>
public sealed class Updater
{
    readonly optim.Optimizer? optimizer;
    readonly Action? step;

    Updater(optim.Optimizer? optimizer, Action? step) => (this.optimizer, this.step) = (optimizer, step);

    /// <summary>Uses a TorchSharp optimizer (<c>torch.optim.SGD</c>, <c>Adam</c>, …) as the updater.</summary>
    public static implicit operator Updater(optim.Optimizer optimizer) =>
        new(optimizer ?? throw new ArgumentNullException(nameof(optimizer)), null);

    /// <summary>
    /// A hand-written update, called after each backward pass (d2l: <c>updater = lambda batch_size: d2l.sgd([W, b], lr,
    /// batch_size)</c>). The loop sets the model's gradients to zero before each backward pass.
    /// </summary>
    public static Updater Custom(Action step) => new(null, step ?? throw new ArgumentNullException(nameof(step)));

    /// <summary>The learning rate of the optimizer's first parameter group; null for a hand-written step.</summary>
    public double? LearningRate => optimizer?.ParamGroups.FirstOrDefault()?.LearningRate;

    /// <summary>Sets the gradients to zero before a backward pass: <c>optimizer.zero_grad()</c> or <c>model.zero_grad()</c>.</summary>
    internal void ZeroGrad(nn.Module model)
    {
        if (optimizer is not null) optimizer.zero_grad();
        else model.zero_grad();
    }

    /// <summary>One update of the parameters: <c>optimizer.step()</c>, or the hand-written step.</summary>
    public void Step()
    {
        if (optimizer is not null) optimizer.step();
        else step!();
    }

    /// <summary>
    /// One batch's backward pass and update: zero the gradients, <c>loss.backward()</c>, then <paramref name="beforeStep"/>
    /// (gradient clipping) and the step. A libtorch failure in any of them becomes a <see cref="TrainingFailedException"/>
    /// naming the epoch and batch, so the loop that called it keeps its history.
    /// </summary>
    internal void BackwardAndStep(nn.Module model, Tensor loss, int epoch, int batch, Action? beforeStep = null)
    {
        try
        {
            ZeroGrad(model);
            loss.backward();
            beforeStep?.Invoke();
            Step();
        }
        catch (Exception e) when (TrainingFailedException.IsNative(e))
        {
            throw new TrainingFailedException(epoch, batch, e);
        }
    }
}
