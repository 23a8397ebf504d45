using System.Collections;
using static TorchSharp.torch;

namespace DlWorkbook.Data;

/// <summary>
/// A language-model data loader: a corpus of token indices with its vocabulary, enumerated as (X, Y) batches by
/// <see cref="SeqDataIter.Random"/> or <see cref="SeqDataIter.Sequential"/>, each epoch with a new random offset.
/// Counterpart of d2l's <c>SeqDataLoader</c>.
/// </summary>
/// <remarks>Batches are disposed when the loop moves on, as with <see cref="TensorLoader"/>.</remarks>
public sealed class SeqDataLoader : IEnumerable<(Tensor X, Tensor Y)>
{
    readonly Generator? generator;

    /// <summary>A loader over <paramref name="corpus"/>.</summary>
    /// <param name="corpus">Token indices, e.g. from <see cref="TimeMachine.LoadCorpus"/>.</param>
    /// <param name="vocab">The vocabulary the indices come from.</param>
    /// <param name="batchSize">Subsequences per batch.</param>
    /// <param name="numSteps">Tokens per subsequence (time steps).</param>
    /// <param name="randomSampling">Random sampling instead of sequential partitioning (d2l: <c>use_random_iter</c>).</param>
    /// <param name="generator">Random source; TorchSharp's default generator when null.</param>
    /// <exception cref="ArgumentException">The corpus is too short for one batch.</exception>
    public SeqDataLoader(IReadOnlyList<int> corpus, Vocab vocab, int batchSize, int numSteps, bool randomSampling = false, Generator? generator = null)
    {
        Corpus = corpus;
        Vocab = vocab;
        BatchSize = batchSize;
        NumSteps = numSteps;
        RandomSampling = randomSampling;
        this.generator = generator;
        // Fail here, with the sizes in the message, rather than at the first epoch.
        SeqDataIter.Validate(corpus, batchSize, numSteps);
    }

    /// <summary>The token indices (d2l's <c>corpus</c>).</summary>
    public IReadOnlyList<int> Corpus { get; }

    /// <summary>The vocabulary (d2l's <c>vocab</c>).</summary>
    public Vocab Vocab { get; }

    /// <summary>Subsequences per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Tokens per subsequence.</summary>
    public int NumSteps { get; }

    /// <summary>Whether batches come from random sampling (else sequential partitioning).</summary>
    public bool RandomSampling { get; }

    /// <summary>
    /// Fewest and most batches one epoch can have: the random offset drawn at the start of an epoch can cost a batch
    /// (never the only one: the offset is capped so that a corpus long enough for one batch always gives one).
    /// For The Time Machine with 10,000 tokens, batch 32 and 35 steps both are 8.
    /// </summary>
    public (int Min, int Max) BatchesPerEpoch
    {
        get
        {
            var counts = RandomSampling
                ? Enumerable.Range(0, SeqDataIter.RandomOffsetBound(Corpus.Count, BatchSize, NumSteps))
                    .Select(o => SeqDataIter.RandomBatchCount(Corpus.Count, BatchSize, NumSteps, o))
                : Enumerable.Range(0, SeqDataIter.SequentialOffsetBound(Corpus.Count, BatchSize, NumSteps))
                    .Select(o => SeqDataIter.SequentialBatchCount(Corpus.Count, BatchSize, NumSteps, o));
            var all = counts.ToList();
            return (all.Min(), all.Max());
        }
    }

    /// <summary>One epoch of (X, Y) batches, each [BatchSize, NumSteps] int64.</summary>
    public IEnumerator<(Tensor X, Tensor Y)> GetEnumerator() =>
        (RandomSampling
            ? SeqDataIter.Random(Corpus, BatchSize, NumSteps, generator)
            : SeqDataIter.Sequential(Corpus, BatchSize, NumSteps, generator)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() =>
        $"SeqDataLoader: {Corpus.Count} tokens, vocabulary of {Vocab.Count}, batches of {BatchSize} × {NumSteps}, "
        + (RandomSampling ? "random sampling" : "sequential partitioning");
}
