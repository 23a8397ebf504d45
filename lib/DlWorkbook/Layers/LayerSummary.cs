using Deedle;
using DlWorkbook.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Layers;

/// <summary>A table of what a network's layers do to one input: output shape and parameters per layer.</summary>
public static class LayerSummary
{
    /// <summary>
    /// Passes <paramref name="input"/> through the top-level layers of <paramref name="model"/> one at a time, in evaluation
    /// mode and without gradients, and returns one row per layer (its name and type, the shape of its output, its number
    /// of parameters), after a row for the input and before a row with the total. Counterpart of d2l's loop
    /// <c>for layer in net: X = layer(X); print(layer.__class__.__name__, 'output shape:', X.shape)</c>.
    /// </summary>
    /// <example><code>LayerSummary.Of(LeNet.Create(), torch.rand(1, 1, 28, 28))</code></example>
    public static Frame<int, string> Of(nn.Module model, Tensor input)
    {
        var rows = new List<(string Layer, string Output, long Parameters)> { ("input", input.ShapeText(), 0) };
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = input;
            foreach (var (name, layer) in model.named_children())
            {
                x = ((nn.Module<Tensor, Tensor>)layer).call(x);
                rows.Add(($"{name}: {layer.GetType().Name}", x.ShapeText(), layer.parameters().Sum(p => p.numel())));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        rows.Add(("total", "", rows.Sum(r => r.Parameters)));
        return Frame.FromRecords(rows.Select(r => new { r.Layer, r.Output, r.Parameters }));
    }
}
