using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>
/// What changes the parameters after each backward pass: a TorchSharp optimizer, or a hand-written
/// step such as d2l's <c>sgd</c>. Counterpart of the <c>updater</c> argument of <c>d2l.train_ch3</c>.
/// </summary>
/// <remarks>
/// An optimizer is passed as it is (it converts implicitly) and steps on the gradient of the mean loss.
/// A hand-written step receives the number of examples its gradient was summed over, exactly as in d2l:
/// the classification and regression loops back-propagate the loss summed over the batch and pass the
/// batch size, so <c>param -= lr * param.grad / batchSize</c> is a mean-gradient step; the recurrent loop
/// back-propagates the mean loss and passes 1.
/// </remarks>
/// <example><code>
/// Classification.Train(net, train, test, loss, torch.optim.SGD(net.parameters(), 0.1), epochs: 10);
/// var updater = Updater.Custom(batchSize => Sgd([W, b], lr: 0.1, batchSize));
/// </code></example>
public sealed class Updater
{
    readonly optim.Optimizer? optimizer;
    readonly Action<int>? step;

    Updater(optim.Optimizer? optimizer, Action<int>? step)
    {
        this.optimizer = optimizer;
        this.step = step;
    }

    /// <summary>Uses a TorchSharp optimizer (<c>torch.optim.SGD</c>, <c>Adam</c>, …) as the updater.</summary>
    public static implicit operator Updater(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return new Updater(optimizer, null);
    }

    /// <summary>
    /// A hand-written update step, called after each backward pass with the number of examples the
    /// gradient sums over (d2l: <c>updater = lambda batch_size: d2l.sgd(params, lr, batch_size)</c>).
    /// </summary>
    public static Updater Custom(Action<int> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new Updater(null, step);
    }

    /// <summary>The optimizer behind this updater, or null for a hand-written step.</summary>
    public optim.Optimizer? Optimizer => optimizer;

    /// <summary>The learning rate of the optimizer's first parameter group, when there is an optimizer.</summary>
    public double? LearningRate => optimizer?.ParamGroups.FirstOrDefault()?.LearningRate;

    /// <summary>True for a hand-written step, which (as in d2l) expects the gradient of a summed loss.</summary>
    internal bool WantsSummedLoss => step is not null;

    internal void ZeroGrad(nn.Module model)
    {
        if (optimizer is not null) optimizer.zero_grad();
        else model.zero_grad();
    }

    internal void Step(int examples)
    {
        if (optimizer is not null) optimizer.step();
        else step!(examples);
    }
}
