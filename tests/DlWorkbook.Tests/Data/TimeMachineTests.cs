using DlWorkbook.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Data;

public class TimeMachineTests
{
    static readonly IReadOnlyList<int> ZeroTo34 = Enumerable.Range(0, 35).ToList();

    [Fact]
    public void ReadsTheBookTheWayD2lDoes()
    {
        var lines = TimeMachine.ReadLines(TestData.Cache);

        Assert.Equal(3_221, lines.Count);
        Assert.Equal("the time machine by h g wells", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.Equal("twinkled and his usually pale face was flushed and animated the", lines[10]);
        Assert.All(lines, l => Assert.Matches("^([a-z]+( [a-z]+)*)?$", l));
    }

    [Fact]
    public void CleanTurnsRunsOfNonLettersIntoOneSpace()
    {
        Assert.Equal("i m here it s", TimeMachine.Clean("  I'm here -- it's 1895!  "));
    }

    [Fact]
    public void CharacterCorpusHas170580TokensAndAVocabularyOf28()
    {
        var (corpus, vocab) = TimeMachine.LoadCorpus(cache: TestData.Cache);

        Assert.Equal(170_580, corpus.Count);
        Assert.Equal(28, vocab.Count);
        // The order Python's stable sort of d2l's Counter gives (computed with the d2l code on the same file).
        Assert.Equal(" etainoshrdlmucfwgypbvkxzjq", string.Concat(vocab.IdxToToken.Skip(1)));
        Assert.Equal("the time machine", string.Concat(vocab.ToTokens(corpus.Take(16))));
    }

    [Fact]
    public void WordVocabularyMatchesTheOneD2lPrints()
    {
        var vocab = new Vocab(Tokenizer.Tokenize(TimeMachine.ReadLines(TestData.Cache)));

        Assert.Equal(["<unk>", "the", "i", "and", "of", "a", "to", "was", "in", "that"], vocab.IdxToToken.Take(10));
        Assert.Equal(
            [("the", 2261), ("i", 1267), ("and", 1245), ("of", 1155), ("a", 816), ("to", 695), ("was", 552), ("in", 541), ("that", 443), ("my", 440)],
            vocab.TokenFreqs.Take(10));
    }

    [Fact]
    public void MaxTokensCutsTheCorpus()
    {
        var (corpus, vocab) = TimeMachine.LoadCorpus(maxTokens: 10_000, cache: TestData.Cache);

        Assert.Equal(10_000, corpus.Count);
        Assert.Equal(28, vocab.Count);
    }

    [Fact]
    public void WordTokensSplitAtSpacesWithoutEmptyTokens()
    {
        var tokens = Tokenizer.Tokenize(["the time  machine", "", "by h g wells"]);

        Assert.Equal(["the", "time", "machine"], tokens[0]);
        Assert.Empty(tokens[1]);
        Assert.Equal(4, tokens[2].Count);
        Assert.Equal(["a", " ", "b"], Tokenizer.Tokenize(["a b"], TokenKind.Char)[0]);
    }

    [Fact]
    public void VocabOrdersByFrequencyThenFirstSeenAfterUnkAndReservedTokens()
    {
        string[][] lines = [["b", "a", "c"], ["a", "d", "c"], ["e", "a"]];

        var vocab = new Vocab(lines, reservedTokens: ["<pad>", "<bos>"]);

        Assert.Equal(["<unk>", "<pad>", "<bos>", "a", "c", "b", "d", "e"], vocab.IdxToToken);
        Assert.Equal([("a", 3), ("c", 2), ("b", 1), ("d", 1), ("e", 1)], vocab.TokenFreqs);
        Assert.Equal(3, vocab["a"]);
        Assert.Equal(vocab.Unk, vocab["zebra"]);
        Assert.Equal([3, 4, 0], vocab.ToIndices(["a", "c", "zebra"]));
        Assert.Equal(["c", "<pad>"], vocab.ToTokens([4, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => vocab.ToToken(8));
    }

    [Fact]
    public void VocabBreaksTiesByFirstAppearanceNotByName()
    {
        var vocab = new Vocab(["z", "y", "x", "y", "z", "w"]);   // z and y twice, x and w once

        Assert.Equal(["<unk>", "z", "y", "x", "w"], vocab.IdxToToken);
    }

    [Fact]
    public void VocabLeavesOutRareTokensButKeepsTheirCounts()
    {
        var vocab = new Vocab(["x", "y", "x", "z", "x", "y"], minFreq: 2);

        Assert.Equal(["<unk>", "x", "y"], vocab.IdxToToken);
        Assert.Equal(3, vocab.TokenFreqs.Count);
        Assert.Equal(0, vocab["z"]);
    }

    [Fact]
    public void RandomIteratorGivesThreeWholeBatchesOfDistinctSubsequencesWithYShiftedByOne()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var starts = new List<long>();
            var batches = 0;
            foreach (var (x, y) in SeqDataIter.Random(ZeroTo34, batchSize: 2, numSteps: 5, new Generator().manual_seed(seed)))
            {
                batches++;
                Assert.Equal([2L, 5], x.shape);
                Assert.Equal(ScalarType.Int64, x.dtype);
                Assert.True(y.eq(x + 1).all().item<bool>());
                AssertRowsAreRuns(x);
                starts.AddRange(x[.., 0].data<long>().ToArray());
            }
            Assert.Equal(3, batches);
            Assert.Equal(6, starts.Distinct().Count());
            var offset = starts.Min() % 5;
            Assert.InRange(offset, 0, 4);
            Assert.All(starts, s => Assert.Equal(offset, s % 5));
        }
    }

    [Fact]
    public void RandomIteratorDrawsEveryOffsetFromZeroToNumStepsMinusOne()
    {
        var offsets = Enumerable.Range(0, 200)
            .Select(seed => SeqDataIter.Random(ZeroTo34, 2, 5, new Generator().manual_seed(seed))
                .Min(b => b.X.min().item<long>()) % 5)
            .ToHashSet();

        Assert.Equal([0L, 1, 2, 3, 4], offsets.Order());
    }

    [Fact]
    public void SequentialIteratorGivesTwoOrThreeBatchesWhoseRowsContinue()
    {
        var counts = new HashSet<int>();
        var offsets = new HashSet<long>();
        for (var seed = 0; seed < 200; seed++)
        {
            var rows = new List<long>[2] { [], [] };
            var batches = 0;
            foreach (var (x, y) in SeqDataIter.Sequential(ZeroTo34, batchSize: 2, numSteps: 5, new Generator().manual_seed(seed)))
            {
                batches++;
                Assert.Equal([2L, 5], x.shape);
                Assert.True(y.eq(x + 1).all().item<bool>());
                for (var r = 0; r < 2; r++) rows[r].AddRange(x[r].data<long>().ToArray());
            }
            counts.Add(batches);
            offsets.Add(rows[0][0]);
            foreach (var row in rows) Assert.Equal(Enumerable.Range((int)row[0], row.Count).Select(i => (long)i), row);
            Assert.True(rows[1][0] > rows[0][^1]);
        }
        Assert.Equal([2, 3], counts.Order());
        Assert.Equal([0L, 1, 2, 3, 4, 5], offsets.Order());
    }

    [Fact]
    public void ACorpusTooShortForOneBatchIsExplained()
    {
        var e = Assert.Throws<ArgumentException>(() => SeqDataIter.Sequential(ZeroTo34, batchSize: 4, numSteps: 10));

        Assert.Contains("35 tokens", e.Message);
        Assert.Contains("41", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheTimeMachineLoaderGivesEightBatchesPerEpoch(bool randomSampling)
    {
        var loader = TimeMachine.LoadData(32, 35, randomSampling, cache: TestData.Cache);

        Assert.Equal(10_000, loader.Corpus.Count);
        Assert.Equal(28, loader.Vocab.Count);
        Assert.Equal((8, 8), loader.BatchesPerEpoch);
        Assert.Equal(8, loader.Count());
        var (x, y) = loader.First();
        Assert.Equal([32L, 35], x.shape);
        Assert.Equal([32L, 35], y.shape);
    }

    [Fact]
    public void BatchesPerEpochCoversEveryOffset()
    {
        var vocab = new Vocab(ZeroTo34.Select(i => i.ToString()));

        Assert.Equal((3, 3), new SeqDataLoader(ZeroTo34, vocab, 2, 5, randomSampling: true).BatchesPerEpoch);
        Assert.Equal((2, 3), new SeqDataLoader(ZeroTo34, vocab, 2, 5).BatchesPerEpoch);
    }

    [Fact]
    public void OneSeedGivesTheSameBatches()
    {
        var a = TimeMachine.LoadData(4, 7, randomSampling: true, generator: new Generator().manual_seed(3), cache: TestData.Cache);
        var b = TimeMachine.LoadData(4, 7, randomSampling: true, generator: new Generator().manual_seed(3), cache: TestData.Cache);

        Assert.True(a.First().X.eq(b.First().X).all().item<bool>());
    }

    static void AssertRowsAreRuns(Tensor x)
    {
        for (var r = 0; r < x.shape[0]; r++)
        {
            var row = x[r].data<long>().ToArray();
            Assert.Equal(Enumerable.Range((int)row[0], row.Length).Select(i => (long)i), row);
        }
    }
}
