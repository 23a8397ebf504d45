using System.Diagnostics;
using DlWorkbook.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>
/// Training and text generation for character-level recurrent models (curriculum §8.7): d2l's <c>grad_clipping</c>,
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
            foreach (var g in grads) g.mul_(maxNorm / norm);
        return norm;
    }

    /// <summary>
    /// One pass over <paramref name="data"/> (token-index batches X and Y [batch, steps], Y being X shifted by one token):
    /// cross-entropy over every predicted token, gradients clipped to <paramref name="clipNorm"/>, one update per batch.
    /// The hidden state is started fresh for every batch with <paramref name="randomSampling"/> (adjacent batches are
    /// unrelated), and otherwise carried over from the previous batch but detached, so gradients stop at the batch
    /// boundary. Counterpart of <c>d2l.train_epoch_ch8</c>; <paramref name="epoch"/> only numbers the error message.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public static RecurrentEpochStats TrainEpoch(
        RecurrentModel model, IEnumerable<(Tensor X, Tensor Y)> data, Updater updater,
        bool randomSampling = false, double clipNorm = 1, int epoch = 1)
    {
        using var loss = nn.CrossEntropyLoss();
        var sums = RunEpoch(model, data, loss, updater, randomSampling, clipNorm, epoch);
        if (sums.Divergence is { } divergence) throw new TrainingDivergedException(divergence);
        return new RecurrentEpochStats(Math.Exp(sums.MeanLoss), sums.Examples, sums.Seconds);
    }

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs as in <see cref="TrainEpoch"/>, recording perplexity and tokens/s after
    /// each, drawn live in a notebook and printed elsewhere; <paramref name="sample"/>, when given, is called after each
    /// epoch and its text (for example <c>() =&gt; Recurrent.Predict("time traveller", 50, net, ...)</c>) is kept in the
    /// record and shown. Counterpart of <c>d2l.train_ch8</c>. Divergence stops training and is reported as in
    /// <c>Classification.Train</c>.
    /// </summary>
    public static TrainingHistory<RecurrentEpoch> Train(
        RecurrentModel model, IEnumerable<(Tensor X, Tensor Y)> data, Updater updater, int epochs,
        bool randomSampling = false, double clipNorm = 1, Func<string>? sample = null, string? title = null)
    {
        using var loss = nn.CrossEntropyLoss();
        return EpochDriver.Run<RecurrentEpoch>(epochs, title, epoch =>
        {
            var sums = RunEpoch(model, data, loss, updater, randomSampling, clipNorm, epoch);
            if (sums.Examples == 0) return (null, sums.Divergence);
            var record = new RecurrentEpoch(epoch, Math.Exp(sums.MeanLoss), sums.ExamplesPerSecond, sample?.Invoke());
            return (record, sums.Divergence);
        });
    }

    /// <summary>
    /// <see cref="Train(RecurrentModel, IEnumerable{ValueTuple{Tensor, Tensor}}, Updater, int, bool, double, Func{string}?, string?)"/>
    /// with plain SGD at <paramref name="learningRate"/>, as <c>d2l.train_ch8(net, train_iter, vocab, lr, num_epochs, device)</c> does.
    /// </summary>
    public static TrainingHistory<RecurrentEpoch> Train(
        RecurrentModel model, IEnumerable<(Tensor X, Tensor Y)> data, double learningRate, int epochs,
        bool randomSampling = false, double clipNorm = 1, Func<string>? sample = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var optimizer = optim.SGD(model.parameters(), learningRate);
        return Train(model, data, optimizer, epochs, randomSampling, clipNorm, sample, title);
    }

    /// <summary>
    /// Feeds <paramref name="prefix"/> through the model one character at a time to warm up the hidden state, then
    /// appends <paramref name="predictions"/> characters, each the most likely next token. Returns the prefix followed
    /// by the generated text. Counterpart of <c>d2l.predict_ch8(prefix, num_preds, net, vocab, device)</c>; the
    /// vocabulary is passed as its two mappings (index → token and token → index).
    /// </summary>
    public static string Predict(
        string prefix, int predictions, RecurrentModel model, IReadOnlyList<string> idxToToken, Func<string, int> tokenToIdx)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(idxToToken);
        ArgumentNullException.ThrowIfNull(tokenToIdx);
        if (string.IsNullOrEmpty(prefix)) throw new ArgumentException("The prefix needs at least one character to start from.", nameof(prefix));
        if (predictions < 0) throw new ArgumentOutOfRangeException(nameof(predictions), predictions, "Cannot predict a negative number of characters.");
        var device = Devices.Of(model);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var outputs = new List<int> { tokenToIdx(prefix[..1]) };
            var state = model.BeginState(1, device);
            Tensor LastAsInput() => tensor(new long[] { outputs[^1] }, device: device).reshape(1, 1);
            foreach (var c in prefix[1..])
            {
                state = model.call(LastAsInput(), state).State;
                outputs.Add(tokenToIdx(c.ToString()));
            }
            for (var i = 0; i < predictions; i++)
            {
                var (y, next) = model.call(LastAsInput(), state);
                state = next;
                outputs.Add((int)y.argmax(1).item<long>());
            }
            return string.Concat(outputs.Select(i => idxToToken[i]));
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    static EpochSums RunEpoch(
        RecurrentModel model, IEnumerable<(Tensor X, Tensor Y)> data, nn.Module<Tensor, Tensor, Tensor> loss,
        Updater updater, bool randomSampling, double clipNorm, int epoch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(updater);
        model.train();
        var device = Devices.Of(model);
        double lossSum = 0;
        long tokens = 0;
        var batch = 0;
        Divergence? divergence = null;
        Tensor? state = null; // lives outside the per-batch scopes so that it can be carried to the next batch
        var watch = Stopwatch.StartNew();
        try
        {
            var batches = BatchLoop.ForEach(data, device, (x, y) =>
            {
                batch++;
                var fresh = state is null || randomSampling || state.size(0) != x.size(0);
                var (yHat, last) = model.call(x, fresh ? model.BeginState(x.size(0), device) : state!);
                // Outputs are time first, [steps * batch, vocab], so the targets are read column by column too.
                var targets = y.T.reshape(-1).to_type(ScalarType.Int64);
                var l = loss.call(yHat, targets);
                var n = targets.numel();
                var batchLoss = l.item<float>() * (double)n;
                if (!double.IsFinite(batchLoss))
                {
                    divergence = new Divergence(epoch, batch, batchLoss, updater.LearningRate);
                    return false;
                }
                updater.ZeroGrad(model);
                l.backward();
                ClipGradients(model, clipNorm);
                updater.Step(1); // the loss is already a mean over the batch's tokens, as in d2l
                lossSum += batchLoss;
                tokens += n;
                if (!randomSampling) state = Keep(last, state);
                return true;
            });
            if (batches == 0)
                throw new ArgumentException("The training data gave no batches. Check the loader (is the text shorter than one batch?).", nameof(data));
            return new EpochSums(lossSum, 0, tokens, watch.Elapsed.TotalSeconds, divergence);
        }
        finally
        {
            state?.Dispose();
        }
    }

    /// <summary>The new state, detached from its graph and from the batch's dispose scope; the old one is disposed.</summary>
    static Tensor Keep(Tensor next, Tensor? previous)
    {
        var kept = next.detach().DetachFromDisposeScope();
        previous?.Dispose();
        return kept;
    }
}

/// <summary>What <see cref="Recurrent.TrainEpoch"/> returns: perplexity over the epoch, tokens seen and seconds taken (d2l: <c>ppl, speed</c>).</summary>
public sealed record RecurrentEpochStats(double Perplexity, long Tokens, double Seconds)
{
    /// <summary>Training speed over the epoch.</summary>
    public double TokensPerSecond => Tokens / Seconds;
}
