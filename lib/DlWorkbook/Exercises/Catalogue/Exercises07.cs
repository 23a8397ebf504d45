using DlWorkbook.Data;
using DlWorkbook.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static DlWorkbook.Exercises.Catalogue.Build;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>Notebook 07: text and recurrent networks.</summary>
internal static class Exercises07
{
    public static IEnumerable<CatalogueEntry> All =>
    [
        Entry("07.1", ExerciseKind.ComputeByHand, "subsequences after an offset",
            """
            **Exercise 07.1 · Compute by hand: how many subsequences.** A corpus has 40 tokens. With `num_steps` 6 the
            iterator drops an offset of 4 tokens and cuts the rest into subsequences (§7.3). How many subsequences
            $X$ (each with its target $Y$) are there?
            """,
            """
            long? pieces = null;   // ← your answer
            Exercise.Check("07.1", pieces);
            """,
            NumberAnswer.Whole(() => CountPieces(length: 40, numSteps: 6, offset: 4),
                "Each piece needs num_steps tokens for X and one more token after them for the last target.",
                (6, "Three things to check: the offset tokens are gone, the last input token needs one more token after it "
                    + "as its target, and an incomplete piece is discarded."),
                (35.0 / 6, "Incomplete pieces are discarded: round down.")),
            6L, 7L, 5.8333),

        Entry("07.2", ExerciseKind.Predict, "d2l's older random offset",
            """
            **Exercise 07.2 · Predict: an older d2l.** d2l up to version 0.15 dropped `random.randint(0, num_steps)`
            tokens in `seq_data_iter_random`, and Python's `randint` includes both ends. From version 0.16 on it is
            `randint(0, num_steps - 1)`, as in this workbook. With the older rule, on the sequence $0, \dots, 34$ with
            batch size 2 and `num_steps` 5, how many minibatches can one epoch give?

            - **A** Always 3.
            - **B** 3 or 2, depending on the offset drawn.
            - **C** Always 2.
            - **D** 2, 3 or 4.
            """,
            """
            char? choice = null;   // ← 'A', 'B', 'C' or 'D'
            Exercise.Check("07.2", choice);
            """,
            Choice('B', "offsets 0 to 4 leave ⌊(35 − k − 1)/5⌋ = 6 pieces, 3 minibatches of 2; the extra offset 5 leaves "
                        + "⌊29/5⌋ = 5 pieces, and only 2 whole minibatches.",
                "Work out the number of pieces ⌊(L − k − 1)/num_steps⌋ for every offset the older rule can draw, 0 to 5.",
                OlderD2lEvidence,
                ('A', "That is the newer rule, offsets 0 to 4. The older one can also draw 5."),
                ('C', "Which offsets leave 6 pieces?"),
                ('D', "Can any offset leave 8 pieces of 5 tokens in 35 tokens, with one target token after the last?")),
            'A', 'C', 'D'),

        Entry("07.3", ExerciseKind.CompleteCode, "one RNN step",
            """
            **Exercise 07.3 · Complete the code: one RNN step.** Write $H_t = \tanh(X_t W_{xh} + H_{t-1} W_{hh} + \mathbf b_h)$
            with the shapes of §7.6. The check compares it with `nn.RNNCell` loaded with the same weights.
            """,
            """
            // X [n, V] one-hot, H [n, h], W_xh [V, h], W_hh [h, h], b_h [h]
            Tensor RnnStep(Tensor X, Tensor H, Tensor W_xh, Tensor W_hh, Tensor b_h)
                => throw Exercise.Todo;     // ← the new hidden state H_t, [n, h]
            Exercise.Check("07.3", RnnStep);
            """,
            CodeAnswer.Function<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>("a function (Tensor X, Tensor H, Tensor W_xh, Tensor W_hh, Tensor b_h) → Tensor",
                "What the new character contributes, X W_xh, plus what the memory contributes, H W_hh, plus b_h, through tanh.", RnnStepCases),
            (Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>)((X, H, W_xh, W_hh, b_h) => X.mm(W_xh) + H.mm(W_hh) + b_h),
            (Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>)((X, H, W_xh, W_hh, b_h) => torch.tanh(X.mm(W_xh) + b_h))),

        Entry("07.4", ExerciseKind.ComputeByHand, "parameters of the character RNN",
            """
            **Exercise 07.4 · Compute by hand: parameters of the RNN.** The character RNN of §7.6 has a vocabulary of 28
            and 256 hidden units: $W_{xh}$, $W_{hh}$, $\mathbf b_h$, $W_{hq}$ and $\mathbf b_q$. How many parameters is that?
            """,
            """
            long? parameters = null;   // ← your answer
            Exercise.Check("07.4", parameters);
            """,
            NumberAnswer.Whole(() => { using var rnn = new RnnScratch(28, 256); return rnn.parameters().Sum(p => p.numel()); },
                "Write down the shape of each of the five tensors from the formulas H_t = φ(X_t W_xh + H_{t−1} W_hh + b_h) and O_t = H_t W_hq + b_q.",
                (28 * 256 + 256 * 256 + 256 + 256 + 256 * 28 + 28, "That has two hidden biases, as nn.RNNCell keeps them; the formula has one, b_h."),
                (28 * 256 + 256 * 256 + 256, "The output layer, W_hq and b_q, is part of the model too.")),
            80_412L, 72_960L, 65_536L),

        Entry("07.5", ExerciseKind.Predict, "the concatenation trick",
            """
            **Exercise 07.5 · Predict a shape: the concatenation trick.** A batch of 16 rows reads one-hot characters from
            a vocabulary of 28 with a hidden state of 512 units. What is the shape of $[X_t, H_{t-1}]$,
            `torch.cat([X_t, H], 1)`?
            """,
            """
            long[] shape = null!;   // ← your answer
            Exercise.Check("07.5", shape);
            """,
            new ShapeAnswer(() => torch.cat([torch.zeros(16, 28), torch.zeros(16, 512)], 1).shape,
                "X_t is [batch, vocabulary] and H is [batch, hidden]; cat along dimension 1 puts them side by side.",
                ([32, 540], "Dimension 1 is the column axis: the rows stay 16."),
                ([16, 512], "The concatenation keeps both parts: the one-hot columns and the hidden ones."),
                ([16, 28, 512], "cat joins along an existing axis; it does not add one.")),
            new long[] { 32, 540 }, new long[] { 16, 512 }, "[16, 28, 512]"),

        Entry("07.6", ExerciseKind.ComputeByHand, "perplexity from a loss",
            """
            **Exercise 07.6 · Compute by hand: perplexity.** After some training the mean cross-entropy per character is
            1.0 (natural logarithm). What is the perplexity? Give two decimals (exercise 07.8 asks what it means).
            """,
            """
            double? perplexity = null;   // ← your answer, two decimals
            Exercise.Check("07.6", perplexity);
            """,
            NumberAnswer.Decimals(() => torch.exp(torch.tensor(1.0)).item<double>(), 2,
                "Perplexity is the exponential of the mean cross-entropy.",
                (Math.Exp(-1), "PPL = exp(+mean loss): a loss of 0 gives 1, and larger losses give larger perplexities."),
                (1, "The loss is already a logarithm: exponentiate it.")),
            0.37, 1.0, 28.0),

        Entry("07.7", ExerciseKind.ComputeByHand, "gradient clipping",
            """
            **Exercise 07.7 · Compute by hand: gradient clipping.** All gradients together form the vector
            $\mathbf g = [3, 4]$, and the threshold is $\theta = 2$. After clipping (§7.7), what is the first entry of
            $\mathbf g$? Give two decimals.
            """,
            """
            double? first = null;   // ← your answer, two decimals
            Exercise.Check("07.7", first);
            """,
            NumberAnswer.Decimals(() =>
            {
                var p = new Parameter(torch.zeros(2));
                p.grad = torch.tensor(new float[] { 3, 4 });
                torch.nn.utils.clip_grad_norm_([p], 2);
                return p.grad![0].item<float>();
            }, 2, "g ← min(1, θ/‖g‖)·g: the whole vector is scaled so that its length becomes θ.",
                (2, "Clipping scales the whole vector; it does not cap each entry at θ."),
                (3.0 / 5, "The scale is θ/‖g‖ with θ = 2."),
                (3, "‖g‖ = 5 is longer than θ = 2, so the gradient is scaled down.")),
            2.0, 0.6, 3.0),

        Entry("07.8", ExerciseKind.Explain, "what a perplexity says",
            """
            **Exercise 07.8 · Explain: what a perplexity says.** Exercise 07.6 turned a mean cross-entropy into a
            perplexity. A character model has perplexity 3 on a text. What does that say about the model?

            - **A** On average it gets 3 characters out of 100 wrong.
            - **B** It is as unsure as if, at every step, it picked uniformly among 3 characters.
            - **C** Its loss is 3 per character.
            - **D** It needs 3 epochs more to learn the text.
            """,
            """
            char? choice = null;   // ← 'A', 'B', 'C' or 'D'
            Exercise.Check("07.8", choice);
            """,
            Choice('B', "a uniform guess among k characters gives the true one probability 1/k, a cross-entropy of ln k and "
                        + "so a perplexity of exactly k; perplexity is the number of equally likely choices the model's uncertainty is worth.",
                "Work out the perplexity of a model that gives each of k characters probability 1/k.",
                PerplexityEvidence,
                ('A', "Perplexity is not an error rate: it comes from the probabilities the model gives, not from counting mistakes."),
                ('C', "Perplexity is the exponential of the loss: a loss of 3 would be a perplexity of e³ ≈ 20."),
                ('D', "Perplexity describes the model's predictions now; it says nothing about how training will go.")),
            'A', 'C', 'D'),
    ];

    /// <summary>Subsequences of numSteps tokens, each with one more token for its target, after dropping offset tokens.</summary>
    static long CountPieces(int length, int numSteps, int offset)
    {
        var tokens = torch.arange(length);
        long pieces = 0;
        for (var start = offset; start + numSteps + 1 <= tokens.shape[0]; start += numSteps) pieces++;
        return pieces;
    }

    static Verdict RnnStepCases(Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor> step)
    {
        var generator = Seeded(8);
        var X = nn.functional.one_hot(torch.tensor(new long[] { 3, 0, 5 }), 6).to(float32);
        var H = torch.randn(3, 4, generator: generator);
        var W_xh = torch.randn(6, 4, generator: generator);
        var W_hh = torch.randn(4, 4, generator: generator);
        var b_h = torch.randn(4, generator: generator);
        using var cell = nn.RNNCell(6, 4);
        using (torch.no_grad())
        {
            cell.weight_ih!.copy_(W_xh.T);
            cell.weight_hh!.copy_(W_hh.T);
            cell.bias_ih!.copy_(b_h);
            cell.bias_hh!.zero_();
        }
        var want = cell.call(X, H);
        var got = step(X, H, W_xh, W_hh, b_h);
        if (WrongShape(got, [3, 4], "new state") is { } shape) return shape;
        if (Close(got, want)) return Correct("Your step equals nn.RNNCell with the same weights.");
        if (Close(got, X.mm(W_xh) + H.mm(W_hh) + b_h))
            return NotYet("Your state has values outside (−1, 1).", "The sum goes through the activation φ = tanh.");
        if (Close(step(X, H * 2, W_xh, W_hh, b_h), got))
            return NotYet("Your new state does not depend on the previous state H.", "The memory contributes H_{t−1} W_hh.");
        return NotYet("Your new state differs from nn.RNNCell's.", "tanh(X W_xh + H W_hh + b_h): [n, V] × [V, h] and [n, h] × [h, h].");
    }

    /// <summary>A model that spreads its probability evenly over 3 of the 28 characters: its perplexity, measured.</summary>
    static char PerplexityEvidence(DataCache? _)
    {
        var logits = torch.zeros(5, 28);
        logits[.., 3..] = torch.tensor(float.NegativeInfinity);
        var targets = torch.tensor(new long[] { 0, 1, 2, 0, 1 });
        var perplexity = Math.Exp(nn.functional.cross_entropy(logits, targets).item<float>());
        return Math.Abs(perplexity - 3) < 1e-4 ? 'B' : Math.Abs(Math.Log(perplexity) - 3) < 1e-4 ? 'C' : 'A';
    }

    /// <summary>Minibatches for every offset the older rule (0..numSteps) and the newer one (0..numSteps−1) can draw.</summary>
    static char OlderD2lEvidence(DataCache? _)
    {
        var counts = Enumerable.Range(0, 6).Select(k => CountPieces(35, 5, k) / 2).Distinct().Order().ToList();
        return counts.SequenceEqual([2L, 3L]) ? 'B' : counts.SequenceEqual([3L]) ? 'A' : counts.SequenceEqual([2L]) ? 'C' : 'D';
    }
}
