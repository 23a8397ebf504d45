using System.Globalization;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>
/// Where and why a training run stopped early: the loss stopped being a number (NaN or infinite), the batch held
/// values that are not numbers, or the perplexity grew past any use. <see cref="Message"/> says what to change.
/// </summary>
public sealed class Divergence
{
    Divergence(int epoch, int? batch, string message) => (Epoch, Batch, Message) = (epoch, batch, message);

    /// <summary>The epoch in which training stopped, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The batch in which training stopped, from 1; null when a value over the whole epoch was the bad one.</summary>
    public int? Batch { get; }

    /// <summary>What happened, where, and what to try instead; shown under the chart and printed.</summary>
    public string Message { get; }

    /// <summary>
    /// The loss of batch <paramref name="batch"/> is <paramref name="loss"/>, not a finite number. Blames the data when
    /// <paramref name="x"/> or <paramref name="y"/> holds NaN or infinite values (naming the rows), else the learning rate.
    /// </summary>
    internal static Divergence OfLoss(int epoch, int? batch, double loss, double? learningRate, Tensor? x = null, Tensor? y = null)
    {
        var where = batch is { } b ? $"epoch {epoch}, batch {b}" : $"epoch {epoch} (loss over the full data)";
        var value = double.IsNaN(loss) ? "NaN (not a number)" : "infinite";
        foreach (var (name, data) in new[] { ("X", x), ("y", y) })
        {
            if (data is null || !data.is_floating_point()) continue;
            var rows = NonFiniteRows(data);
            if (rows.Length == 0) continue;
            return new Divergence(epoch, batch,
                $"Training stopped in {where}: the loss became {value} because the batch's {name} holds NaN or infinite "
                + $"values in {RowList(rows)} of its {data.shape[0]} (counted from 0). The data are at fault, not the "
                + $"learning rate: find those examples where the data are loaded ({name}.isnan() shows them; a missing "
                + "value in a file is the usual cause) and repair or drop them.");
        }
        return new Divergence(epoch, batch,
            $"Training diverged in {where}: the loss became {value}, so the weights can no longer improve. "
            + $"Usually {TooLarge(learningRate)}. The history up to this point is kept and drawn.");
    }

    /// <summary>The evaluation data after epoch <paramref name="epoch"/> hold NaN or infinity; <paramref name="reason"/> names the rows and the fix.</summary>
    internal static Divergence OfEvaluation(int epoch, string reason) =>
        new(epoch, null, $"Training stopped after epoch {epoch}, in the evaluation: {reason}");

    /// <summary>The model's outputs on finite evaluation data became NaN or infinite in epoch <paramref name="epoch"/>.</summary>
    internal static Divergence OfOutputs(int epoch, double? learningRate) => new(epoch, null,
        $"Training diverged in epoch {epoch} (evaluation after it): the model's outputs on the evaluation data became NaN or "
        + $"infinite, so the weights can no longer improve. Usually {TooLarge(learningRate)}. The history up to this point is "
        + "kept and drawn.");

    /// <summary>The perplexity of an epoch is infinite or far above that of guessing uniformly among the tokens.</summary>
    internal static Divergence OfPerplexity(int epoch, double perplexity, int vocabSize, double? learningRate) => new(epoch, null,
        $"Training diverged in epoch {epoch}: the perplexity reached "
        + (double.IsFinite(perplexity) ? perplexity.ToString("G4", CultureInfo.InvariantCulture) : "infinity")
        + $", far above the {vocabSize} of guessing uniformly among the {vocabSize} tokens, so the model has stopped "
        + $"learning. Usually {TooLarge(learningRate)}. The history up to this point is kept and drawn.");

    /// <summary>The warning for a training loss that grew by orders of magnitude without becoming infinite (yet).</summary>
    internal static string LossGrowth(int epoch, double startLoss, double loss, double? learningRate) =>
        string.Create(CultureInfo.InvariantCulture,
            $"the training loss grew from {startLoss:G4} (first batch) to {loss:G4} in epoch {epoch}: ")
        + $"{TooLarge(learningRate)}.";

    static string TooLarge(double? learningRate) => learningRate is { } lr
        ? string.Create(CultureInfo.InvariantCulture, $"the learning rate {lr:G4} is too large; try a smaller one, such as {lr / 10:G4}")
        : "the learning rate is probably too large; try a smaller one, such as a tenth of it";

    /// <summary>The rows of <paramref name="data"/> that hold a NaN or an infinite value.</summary>
    internal static long[] NonFiniteRows(Tensor data)
    {
        using var scope = NewDisposeScope();
        return data.isfinite().logical_not().reshape(data.shape[0], -1).any(1).nonzero().reshape(-1).data<long>().ToArray();
    }

    internal static string RowList(long[] rows) => rows.Length switch
    {
        1 => $"row {rows[0]}",
        <= 10 => $"rows {string.Join(", ", rows[..^1])} and {rows[^1]}",
        _ => $"{rows.Length} rows ({string.Join(", ", rows[..10])}, …)",
    };
}

/// <summary>
/// Thrown by the single-epoch functions (<c>Classification.TrainEpoch</c> and the others) when training cannot go on:
/// the loss became NaN or infinite. The multi-epoch <c>Train</c> functions catch it, stop, and return the history so far.
/// </summary>
public sealed class TrainingDivergedException(Divergence divergence) : Exception(divergence.Message)
{
    /// <summary>Epoch, batch and reason where training stopped.</summary>
    public Divergence Divergence { get; } = divergence;
}
