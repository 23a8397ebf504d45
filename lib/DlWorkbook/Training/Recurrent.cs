using System.Diagnostics;
using DlWorkbook.Data;
using DlWorkbook.Layers;
using DlWorkbook.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>
/// Training and text generation for character-level recurrent models (notebook 07, §7.7): d2l's <c>grad_clipping</c>,
/// <c>train_epoch_ch8</c>, <c>train_ch8</c> and <c>predict_ch8</c>.
/// </summary>
public static class Recurrent
{
    /// <summary>
    /// Scales all gradients of <paramref name="model"/> together so that their global L2 norm (over every parameter)
    /// is at most <paramref name="maxNorm"/>; returns the norm before clipping. Counterpart of <c>d2l.grad_clipping</c>
    /// and of <c>torch.nn.utils.clip_grad_norm_</c>, which also returns that norm.
    /// </summary>
    public static double ClipGradients(nn.Module model, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The largest allowed gradient norm must be positive.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = model.parameters().Where(p => p.requires_grad).Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        double norm = stack(grads.Select(g => g.square().sum())).sum().sqrt().item<float>();
        if (norm > maxNorm)
        {
            using var factor = (maxNorm / norm).ToScalar();   // one Scalar for all, freed here, not by the finalizer
            foreach (var g in grads) g.mul_(factor);
        }
        return norm;
    }

    /// <summary>
    /// A perplexity this many times the vocabulary size stops training: guessing uniformly among the tokens scores
    /// the vocabulary size, so the model is then far worse than guessing.
    /// </summary>
    internal const int DivergedPerplexityFactor = 100;

    /// <summary>
    /// One pass over <paramref name="data"/> (token-index batches X and Y [batch, steps], Y being X shifted by one token):
    /// cross-entropy over every predicted token, gradients clipped to <paramref name="clipNorm"/>, one update per batch.
    /// With <paramref name="randomSampling"/> adjacent batches are unrelated, so every batch starts from a fresh state;
    /// otherwise (sequential partitioning) row i of a batch continues row i of the one before, so the state is carried
    /// over, detached so that gradients stop at the batch boundary. Counterpart of <c>d2l.train_epoch_ch8</c>;
    /// <paramref name="epoch"/> numbers the messages.
    /// </summary>
    /// <exception cref="TrainingDivergedException">
    /// The loss became NaN or infinite, or the perplexity grew far beyond the vocabulary size.
    /// </exception>
    /// <exception cref="TrainingCancelledException">You pressed Stop; the batches before it were trained.</exception>
    /// <exception cref="TrainingFailedException">libtorch failed in the backward pass, the clipping or the update.</exception>
    public static RecurrentEpochStats TrainEpoch(
        RecurrentModel model, IEnumerable<(Tensor X, Tensor Y)> data, Updater updater,
        bool randomSampling = false, double clipNorm = 1, int epoch = 1)
    {
        model.train();
        var device = Devices.Of(model);
        var started = Stopwatch.GetTimestamp();
        var cancel = KernelStop.Token;
        using var loss = nn.CrossEntropyLoss();
        double lossSum = 0;
        long tokens = 0;
        var batch = 0;
        using var gate = FinalizerGate.Hold();               // what the pass leaves to the finalizer waits until it ends
        using var epochScope = NewDisposeScope();             // what the loader makes for the pass, and the carried state
        Tensor? state = null;
        foreach (var (xb, yb) in data)
        {
            using var batchScope = NewDisposeScope();         // frees this batch and all that is computed from it
            epochScope.MoveToOther(batchScope, xb, yb);       // (a loader's own batches included)
            batch++;
            if (cancel.IsCancellationRequested) throw new TrainingCancelledException(epoch, batch);
            var (x, y) = (xb.MoveTo(device), yb.MoveTo(device));
            if (state is null || randomSampling || state.shape[0] != x.shape[0])
                state = model.BeginState(x.shape[0], device);
            var (yHat, next) = model.call(x, state);
            var targets = y.T.reshape(-1).to_type(ScalarType.Int64);  // the outputs are time first: [steps * batch, vocab]
            var l = loss.call(yHat, targets);
            var batchLoss = l.item<float>();
            if (!float.IsFinite(batchLoss))
                throw new TrainingDivergedException(Divergence.OfLoss(epoch, batch, batchLoss, updater.LearningRate));
            updater.BackwardAndStep(model, l, epoch, batch, () => ClipGradients(model, clipNorm));
            lossSum += batchLoss * targets.shape[0];
            tokens += targets.shape[0];
            var kept = batchScope.MoveToOuter(next.detach());   // for the next batch, without the graph behind it
            state.Dispose();
            state = kept;
        }
        if (batch == 0) throw EpochStats.NoBatches(nameof(data));
        var perplexity = Math.Exp(lossSum / tokens);
        if (!(perplexity <= DivergedPerplexityFactor * model.VocabSize))
            throw new TrainingDivergedException(Divergence.OfPerplexity(epoch, perplexity, model.VocabSize, updater.LearningRate));
        return new RecurrentEpochStats(perplexity, tokens, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs with <see cref="TrainEpoch"/>, recording perplexity and tokens/s after
    /// each, drawn live in a notebook and printed elsewhere; <paramref name="sample"/>, when given, is called after each
    /// epoch and its text (for example <c>() =&gt; Recurrent.Predict("time traveller", 50, net, vocab)</c>) is kept in the
    /// record and shown. Counterpart of <c>d2l.train_ch8</c>, which takes a learning rate for SGD where this takes the
    /// updater (<c>torch.optim.SGD(net.parameters(), lr)</c>). Divergence stops training as in <c>Classification.Train</c>.
    /// </summary>
    public static TrainingHistory<RecurrentEpoch> Train(
        RecurrentModel model, IEnumerable<(Tensor X, Tensor Y)> data, Updater updater, int epochs,
        bool randomSampling = false, double clipNorm = 1, Func<string>? sample = null, string? title = null)
    {
        var history = new TrainingHistory<RecurrentEpoch>(["perplexity"], "perplexity", epochs, title);
        return history.Run(epoch =>
        {
            var train = TrainEpoch(model, data, updater, randomSampling, clipNorm, epoch);
            history.Add(new RecurrentEpoch(epoch, train.Perplexity, train.TokensPerSecond, sample?.Invoke()));
        });
    }

    /// <summary>
    /// Feeds <paramref name="prefix"/> through the model one character at a time to warm up the hidden state, then
    /// appends <paramref name="predictions"/> characters, each the most likely next token. Returns the prefix followed
    /// by the generated text. Counterpart of <c>d2l.predict_ch8(prefix, num_preds, net, vocab, device)</c>.
    /// </summary>
    public static string Predict(string prefix, int predictions, RecurrentModel model, Vocab vocab)
    {
        if (string.IsNullOrEmpty(prefix)) throw new ArgumentException("The prefix needs at least one character to start from.", nameof(prefix));
        if (predictions < 0) throw new ArgumentOutOfRangeException(nameof(predictions), predictions, "Cannot predict a negative number of characters.");
        var device = Devices.Of(model);
        var cancel = KernelStop.Token;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var gate = FinalizerGate.Hold();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var outputs = new List<int> { vocab[prefix[..1]] };
            var state = model.BeginState(1, device);
            Tensor LastAsInput() => tensor(new long[] { outputs[^1] }, device: device).reshape(1, 1);
            foreach (var c in prefix[1..])
            {
                state = model.call(LastAsInput(), state).State;
                outputs.Add(vocab[c.ToString()]);
            }
            for (var i = 0; i < predictions; i++)
            {
                if (cancel.IsCancellationRequested) throw new TrainingCancelledException(0, i + 1);
                var (y, next) = model.call(LastAsInput(), state);
                state = next;
                outputs.Add((int)y.argmax(1).item<long>());
            }
            return string.Concat(vocab.ToTokens(outputs));
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}

/// <summary>What <see cref="Recurrent.TrainEpoch"/> returns: perplexity over the epoch, tokens seen and seconds taken (d2l: <c>ppl, speed</c>).</summary>
public sealed record RecurrentEpochStats(double Perplexity, long Tokens, double Seconds)
{
    /// <summary>Training speed over the epoch.</summary>
    public double TokensPerSecond => Tokens / Seconds;
}
