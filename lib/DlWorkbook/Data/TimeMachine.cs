using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace DlWorkbook.Data;

/// <summary>
/// H. G. Wells, <i>The Time Machine</i> (public domain), the text d2l uses for language models.
/// Counterpart of d2l 0.17's <c>read_time_machine</c>, <c>load_corpus_time_machine</c> and <c>load_data_time_machine</c>.
/// </summary>
public static partial class TimeMachine
{
    /// <summary>
    /// The book's 3,221 lines, each with every run of non-letters turned into one space, trimmed and lower-cased:
    /// d2l's <c>re.sub('[^A-Za-z]+', ' ', line).strip().lower()</c>. Empty lines stay (as empty strings).
    /// </summary>
    /// <exception cref="DataSetException">The file could not be fetched.</exception>
    public static IReadOnlyList<string> ReadLines(DataCache? cache = null) =>
        File.ReadAllLines((cache ?? DataCache.Default).Fetch(DataManifest.TimeMachine)).Select(Clean).ToList();

    /// <summary>One line as d2l cleans it: non-letters to a space, trimmed, lower case.</summary>
    public static string Clean(string line) => NonLetters().Replace(line, " ").Trim(' ').ToLowerInvariant();

    /// <summary>
    /// The character corpus and its vocabulary (d2l's <c>load_corpus_time_machine(max_tokens)</c>): every line's
    /// characters concatenated without separators (170,580 in all), as indices into a 28-token vocabulary
    /// (<c>&lt;unk&gt;</c>, space and the 26 letters), cut to the first <paramref name="maxTokens"/> when it is positive.
    /// </summary>
    /// <exception cref="DataSetException">The file could not be fetched.</exception>
    public static (IReadOnlyList<int> Corpus, Vocab Vocab) LoadCorpus(int maxTokens = -1, DataCache? cache = null)
    {
        var tokens = Tokenizer.Tokenize(ReadLines(cache), TokenKind.Char);
        var vocab = new Vocab(tokens);
        var corpus = tokens.SelectMany(line => line).Select(t => vocab[t]);
        return ((maxTokens > 0 ? corpus.Take(maxTokens) : corpus).ToList(), vocab);
    }

    /// <summary>
    /// A loader of character batches over the book (d2l's <c>load_data_time_machine(batch_size, num_steps,
    /// use_random_iter=False, max_tokens=10000)</c>, which returns <c>(data_iter, vocab)</c>; here the vocabulary
    /// is <see cref="SeqDataLoader.Vocab"/>).
    /// </summary>
    /// <exception cref="DataSetException">The file could not be fetched.</exception>
    public static SeqDataLoader LoadData(int batchSize, int numSteps, bool randomSampling = false, int maxTokens = 10_000,
        Generator? generator = null, DataCache? cache = null)
    {
        var (corpus, vocab) = LoadCorpus(maxTokens, cache);
        return new SeqDataLoader(corpus, vocab, batchSize, numSteps, randomSampling, generator);
    }

    [GeneratedRegex("[^A-Za-z]+")]
    private static partial Regex NonLetters();
}
