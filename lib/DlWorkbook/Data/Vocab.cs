namespace DlWorkbook.Data;

/// <summary>
/// A vocabulary: tokens ↔ indices. Index 0 is <c>&lt;unk&gt;</c> (every unknown token maps to it), then the
/// reserved tokens, then the tokens seen at least <c>minFreq</c> times, most frequent first; tokens with the same
/// count keep the order in which they first appeared. Counterpart of d2l's <c>Vocab</c> (0.17), which sorts
/// <c>Counter.items()</c> with Python's stable sort, so the indices here are the same as d2l's.
/// </summary>
public sealed class Vocab
{
    /// <summary>The token every unknown token maps to.</summary>
    internal const string UnknownToken = "<unk>";

    readonly List<string> idxToToken = [UnknownToken];
    readonly Dictionary<string, int> tokenToIdx = new(StringComparer.Ordinal) { [UnknownToken] = 0 };

    /// <summary>A vocabulary of tokenised lines (a list of token lists), like <c>Vocab(tokens, min_freq, reserved_tokens)</c>.</summary>
    /// <param name="tokens">Lines of tokens, e.g. from <see cref="Tokenizer.Tokenize"/>.</param>
    /// <param name="minFreq">Tokens seen fewer times than this are left out (they map to <c>&lt;unk&gt;</c>); 0 or more. A value above
    /// every count leaves only <c>&lt;unk&gt;</c> and the reserved tokens, and prints a warning.</param>
    /// <param name="reservedTokens">Tokens that get indices 1, 2, … whatever their counts, e.g. <c>&lt;pad&gt;</c>, <c>&lt;bos&gt;</c>.</param>
    public Vocab(IEnumerable<IEnumerable<string>> tokens, int minFreq = 0, IEnumerable<string>? reservedTokens = null)
        : this(tokens.SelectMany(line => line), minFreq, reservedTokens)
    {
    }

    /// <summary>A vocabulary of a flat token sequence.</summary>
    /// <inheritdoc cref="Vocab(IEnumerable{IEnumerable{string}}, int, IEnumerable{string})" path="/param"/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minFreq"/> is negative.</exception>
    public Vocab(IEnumerable<string> tokens, int minFreq = 0, IEnumerable<string>? reservedTokens = null)
    {
        if (minFreq < 0)
            throw new ArgumentOutOfRangeException(nameof(minFreq), minFreq,
                "minFreq is the fewest times a token must occur to get its own index: 0 or 1 keeps every token, 2 drops tokens seen once. It cannot be negative.");
        foreach (var token in reservedTokens ?? []) Add(token);
        TokenFreqs = CountCorpus(tokens);
        // d2l stops at the first token below min_freq: the list is sorted, so all later ones are rarer still.
        foreach (var (token, _) in TokenFreqs.TakeWhile(tf => tf.Frequency >= minFreq)) Add(token);
        // Legal but almost certainly a mistake: every token would map to <unk>. Standard output, so a notebook shows it in the cell.
        if (TokenFreqs.Count > 0 && TokenFreqs[0].Frequency < minFreq)
            Console.Out.WriteLine(
                $"Warning: Vocab(minFreq: {minFreq}) kept no token: the most frequent, '{TokenFreqs[0].Token}', occurs {TokenFreqs[0].Frequency} "
                + $"time{(TokenFreqs[0].Frequency == 1 ? "" : "s")}, so every token maps to {UnknownToken} (index 0). "
                + $"Use a minFreq of at most {TokenFreqs[0].Frequency}.");
    }

    /// <summary>Every distinct token with its count, most frequent first, ties in first-seen order (d2l's <c>token_freqs</c>).</summary>
    public IReadOnlyList<(string Token, int Frequency)> TokenFreqs { get; }

    /// <summary>Tokens by index (d2l's <c>idx_to_token</c>).</summary>
    public IReadOnlyList<string> IdxToToken => idxToToken;

    /// <summary>Index of <c>&lt;unk&gt;</c>: 0 (d2l's <c>vocab.unk</c>).</summary>
    public int Unk => 0;

    /// <summary>Number of tokens including <c>&lt;unk&gt;</c> and the reserved ones (<c>len(vocab)</c>).</summary>
    public int Count => idxToToken.Count;

    /// <summary>The index of <paramref name="token"/>, or <see cref="Unk"/> when it is not in the vocabulary (<c>vocab[token]</c>).</summary>
    public int this[string token] => tokenToIdx.GetValueOrDefault(token, Unk);

    /// <summary>The indices of several tokens (<c>vocab[tokens]</c> with a list).</summary>
    public int[] ToIndices(IEnumerable<string> tokens) => tokens.Select(t => this[t]).ToArray();

    /// <summary>The token at <paramref name="index"/> (<c>vocab.to_tokens(index)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not in 0..Count-1.</exception>
    public string ToToken(int index) =>
        index >= 0 && index < Count
            ? idxToToken[index]
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"The vocabulary has indices 0 to {Count - 1}.");

    /// <summary>The tokens at several indices (<c>vocab.to_tokens(indices)</c> with a list).</summary>
    public string[] ToTokens(IEnumerable<int> indices) => indices.Select(ToToken).ToArray();

    /// <inheritdoc />
    public override string ToString() =>
        $"Vocab: {Count} tokens ({string.Join(", ", idxToToken.Take(10).Select(t => $"'{t}'"))}{(Count > 10 ? ", …" : "")})";

    void Add(string token)
    {
        if (tokenToIdx.TryAdd(token, idxToToken.Count)) idxToToken.Add(token);
    }

    /// <summary>d2l's <c>count_corpus</c> then <c>sorted(..., key=count, reverse=True)</c>: counts in first-seen order, stable sort.</summary>
    static List<(string Token, int Frequency)> CountCorpus(IEnumerable<string> tokens)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        foreach (var token in tokens)
        {
            if (counts.TryGetValue(token, out var n)) counts[token] = n + 1;
            else
            {
                counts[token] = 1;
                firstSeen.Add(token);
            }
        }
        return firstSeen.Select(t => (t, counts[t])).OrderByDescending(tf => tf.Item2).ToList();
    }
}
