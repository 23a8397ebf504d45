using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>
/// Thrown by <see cref="Metrics"/>' evaluation functions when the evaluation data, or the model's outputs on them, hold
/// NaN or infinite values: an accuracy would still count such rows as right or wrong, and a loss would be NaN. The
/// message names the rows and the fix. (PyTorch and d2l evaluate such data without a word.)
/// </summary>
public sealed class NonFiniteEvaluationException : ArgumentException
{
    internal NonFiniteEvaluationException(string message, IReadOnlyList<long> rows, bool inData) : base(message) =>
        (Rows, InData) = (rows, inData);

    /// <summary>The rows concerned, counted from 0 over the evaluation pass in the loader's order.</summary>
    public IReadOnlyList<long> Rows { get; }

    /// <summary>True when the data hold the values; false when the data are finite and the model's outputs are not.</summary>
    public bool InData { get; }
}

/// <summary>Notes, batch by batch, the rows of an evaluation pass whose inputs, targets or outputs are not finite.</summary>
internal sealed class NonFiniteRows
{
    readonly List<long> inputs = [], targets = [], outputs = [];
    long seen;

    /// <summary>Checks one batch: while all is well, one sum per floating-point tensor (NaN or infinity in any value makes it non-finite).</summary>
    public void Check(Tensor x, Tensor y, Tensor yHat)
    {
        Note(inputs, x);
        Note(targets, y);
        Note(outputs, yHat);
        seen += x.size(0);
    }

    void Note(List<long> rows, Tensor values)
    {
        if (!values.is_floating_point() || values.dim() == 0) return;
        using var scope = NewDisposeScope();
        // A sum in float64 is several times cheaper than isfinite().all() and cannot overflow for float32 data.
        if (double.IsFinite(values.sum(ScalarType.Float64).item<double>())) return;
        rows.AddRange(Divergence.NonFiniteRows(values).Select(row => seen + row));
    }

    /// <summary>Throws <see cref="NonFiniteEvaluationException"/> naming the rows: the data's when they hold any, else the outputs'.</summary>
    public void ThrowIfAny(nn.Module model)
    {
        var of = $"of the {seen} evaluation examples (counted from 0 in the loader's order)";
        if (inputs.Count > 0 || targets.Count > 0)
        {
            var where = string.Join("; ", new[] { ("X", inputs), ("y", targets) }
                .Where(part => part.Item2.Count > 0).Select(part => $"{part.Item1} in {Divergence.RowList([.. part.Item2])}"));
            throw new NonFiniteEvaluationException(
                $"The evaluation data hold NaN or infinite values: {where} {of}. An accuracy would still count those rows "
                + "as right or wrong, and a loss would be NaN. The data are at fault, not the model or the learning rate: find "
                + "those examples where the evaluation data are loaded (X.isfinite().logical_not() marks the values; a missing "
                + "value in a file is the usual cause) and repair or drop them.",
                [.. inputs.Union(targets).Order()], inData: true);
        }
        if (outputs.Count == 0) return;
        var rows = Divergence.RowList([.. outputs]);
        var weights = model.parameters().Any(p => { using var finite = p.isfinite().all(); return !finite.item<bool>(); });
        throw new NonFiniteEvaluationException(weights
            ? $"The model's outputs are NaN or infinite in {rows} {of}, though the data are finite: its weights hold NaN or "
              + "infinite values, so an earlier training diverged (usually a learning rate too large). Make a fresh model and "
              + "train it again with a smaller learning rate."
            : $"The model's outputs are NaN or infinite in {rows} {of}, though the data and the weights are finite: the "
              + "weights are so large that the outputs overflow (an earlier training diverged: train a fresh model with a "
              + "smaller learning rate), or the forward computes something undefined (a log of 0 or of a negative number, an "
              + "exp of a large value, a division by 0: check it step by step on one of those rows).",
            outputs, inData: false);
    }
}
