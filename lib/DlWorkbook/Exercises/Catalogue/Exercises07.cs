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
            Inputs(new Corpus(40, 6, 4),
                r => { var steps = r.Between(3, 8); return new Corpus(r.Between(20, 60), steps, r.Between(0, steps - 1)); },
                c => Inv($"""
                    **Exercise 07.1 · Compute by hand: how many subsequences.** A corpus has {c.Length} tokens. With `num_steps` {c.Steps} the
                    iterator drops an offset of {c.Offset} tokens and cuts the rest into subsequences (§7.3). How many subsequences
                    $X$ (each with its target $Y$) are there?
                    """),
                c => NumberAnswer.Whole(() => CountPieces(c.Length, c.Steps, c.Offset),
                    "Each piece needs num_steps tokens for X and one more token after them for the last target.",
                    ((c.Length - c.Offset) / c.Steps, "Three things to check: the offset tokens are gone, the last input token needs one more token after it "
                                                      + "as its target, and an incomplete piece is discarded."),
                    ((c.Length - c.Offset - 1.0) / c.Steps, "Incomplete pieces are discarded: round down.")),
                c => (double)((c.Length - c.Offset - 1) / c.Steps)),
            6L, 7L, 5.8333),

        Entry("07.2", ExerciseKind.Predict, "d2l's older random offset",
            Choice('B', "offsets 0 to 4 leave ⌊(41 − k − 1)/6⌋ = 6 pieces, 3 minibatches of 2; offset 5, which the newer "
                        + "rule can draw too, leaves 5 pieces, and the older rule's extra offset 6 also leaves 5: 2 minibatches.",
                "Work out the number of pieces ⌊(L − k − 1)/num_steps⌋ for every offset the older rule can draw, 0 to 6.",
                OlderD2lEvidence,
                ('A', "Which offsets leave only 5 pieces, and how many minibatches of 2 is that?"),
                ('C', "Work out the pieces for the largest offset, 6: is it fewer than for offset 5?"),
                ('D', "Which offsets leave 6 pieces?")),
            'A', 'C', 'D'),

        Entry("07.3", ExerciseKind.CompleteCode, "an RNN over a whole sequence",
            CodeAnswer.Function<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>("a function (Tensor Xs, Tensor H0, Tensor W_xh, Tensor W_hh, Tensor b_h) → Tensor",
                "Loop over t: H ← tanh(Xs[t] W_xh + H W_hh + b_h), keep each H, and torch.stack them at the end.", RnnForwardCases),
            (Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>)((Xs, H0, W_xh, W_hh, b_h) =>
                torch.stack(Enumerable.Range(0, (int)Xs.shape[0]).Select(t => torch.tanh(Xs[t].mm(W_xh) + H0.mm(W_hh) + b_h)))),
            (Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>)((Xs, H0, W_xh, W_hh, b_h) =>
            {
                var H = H0;
                var states = new List<Tensor>();
                for (var t = 0; t < Xs.shape[0]; t++) { H = Xs[t].mm(W_xh) + H.mm(W_hh) + b_h; states.Add(H); }
                return torch.stack(states);
            }),
            (Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>)((Xs, H0, W_xh, W_hh, b_h) =>
            {
                var H = H0;
                for (var t = 0; t < Xs.shape[0]; t++) H = torch.tanh(Xs[t].mm(W_xh) + H.mm(W_hh) + b_h);
                return H;
            })),

        Entry("07.4", ExerciseKind.ComputeByHand, "parameters of a character RNN",
            Inputs(new Rnn(28, 128, 0),
                r => new Rnn(r.Pick(28, 30, 50, 100), r.Pick(32, 64, 128, 256, 512), 0),
                n => Inv($$"""
                    **Exercise 07.4 · Compute by hand: parameters of an RNN.** A character RNN like that of §7.6 has a vocabulary
                    of {{n.Vocabulary}} and {{n.Hidden}} hidden units: $W_{xh}$, $W_{hh}$, $\mathbf b_h$, $W_{hq}$ and $\mathbf b_q$. How many parameters
                    is that?
                    """),
                n => NumberAnswer.Whole(() => { using var rnn = new RnnScratch(n.Vocabulary, n.Hidden); return rnn.parameters().Sum(p => p.numel()); },
                    "Write down the shape of each of the five tensors from the formulas H_t = φ(X_t W_xh + H_{t−1} W_hh + b_h) and O_t = H_t W_hq + b_q.",
                    (n.Parameters + n.Hidden, "That has two hidden biases, as nn.RNNCell keeps them; the formula has one, b_h."),
                    (n.Parameters - n.Hidden * n.Vocabulary - n.Vocabulary, "The output layer, W_hq and b_q, is part of the model too."),
                    (n.Parameters - n.Vocabulary, "The output layer has a bias too, one per character of the vocabulary.")),
                n => (double)n.Parameters),
            23_836L, 20_096L, 23_680L, 16_384L),

        Entry("07.5", ExerciseKind.Predict, "the concatenation trick",
            Inputs(new Rnn(28, 512, 16),
                r => new Rnn(r.Pick(28, 30, 50, 100), r.Pick(32, 64, 128, 256, 512), r.Pick(8, 16, 32, 64)),
                n => Inv($$"""
                    **Exercise 07.5 · Predict a shape: the concatenation trick.** A batch of {{n.Batch}} rows reads one-hot characters from
                    a vocabulary of {{n.Vocabulary}} with a hidden state of {{n.Hidden}} units. What is the shape of $[X_t, H_{t-1}]$,
                    `torch.cat([X_t, H], 1)`?
                    """),
                n => new ShapeAnswer(() => torch.cat([torch.zeros(n.Batch, n.Vocabulary), torch.zeros(n.Batch, n.Hidden)], 1).shape,
                    "X_t is [batch, vocabulary] and H is [batch, hidden]; cat along dimension 1 puts them side by side.",
                    (Shape(2 * n.Batch, n.Vocabulary + n.Hidden), Inv($"Dimension 1 is the column axis: the rows stay {n.Batch}.")),
                    (Shape(n.Batch, n.Hidden), "The concatenation keeps both parts: the one-hot columns and the hidden ones."),
                    (Shape(n.Batch, n.Vocabulary, n.Hidden), "cat joins along an existing axis; it does not add one.")),
                n => Shape(n.Batch, n.Vocabulary + n.Hidden)),
            new long[] { 32, 540 }, new long[] { 16, 512 }, "[16, 28, 512]"),

        Entry("07.6", ExerciseKind.ComputeByHand, "perplexity from a loss",
            Inputs(1.0, r => r.Step(0.2, 3.0, 0.1),
                loss => Inv($"""
                    **Exercise 07.6 · Compute by hand: perplexity.** After some training the mean cross-entropy per character is
                    {loss:0.0} (natural logarithm). What is the perplexity? Give two decimals (exercise 07.8 asks what it means).
                    """),
                loss => NumberAnswer.Decimals(() => torch.exp(torch.tensor(loss)).item<double>(), 2,
                    "Perplexity is the exponential of the mean cross-entropy.",
                    (Math.Exp(-loss), "PPL = exp(+mean loss): a loss of 0 gives 1, and larger losses give larger perplexities."),
                    (loss, "The loss is already a logarithm: exponentiate it.")),
                loss => Math.Exp(loss)),
            0.37, 1.0, 28.0),

        Entry("07.7", ExerciseKind.ComputeByHand, "gradient clipping",
            Inputs(new Clip(3, 4, 2),
                r =>
                {
                    while (true)
                        if (new Clip(r.Between(1, 9), r.Between(1, 9), r.Pick(1, 2, 3, 5)) is var c && c.Norm > c.Theta + 0.5) return c;
                },
                c => Inv($$"""
                    **Exercise 07.7 · Compute by hand: gradient clipping.** All gradients together form the vector
                    $\mathbf g = [{{c.G0}}, {{c.G1}}]$, and the threshold is $\theta = {{c.Theta}}$. After clipping (§7.7), what is the first entry of
                    $\mathbf g$? Give two decimals.
                    """),
                c => NumberAnswer.Decimals(() =>
                {
                    var p = new Parameter(torch.zeros(2));
                    p.grad = torch.tensor(new float[] { c.G0, c.G1 });
                    torch.nn.utils.clip_grad_norm_([p], c.Theta);
                    return p.grad![0].item<float>();
                }, 2, "g ← min(1, θ/‖g‖)·g: the whole vector is scaled so that its length becomes θ.",
                    (Math.Min(c.G0, c.Theta), "Clipping scales the whole vector; it does not cap each entry at θ."),
                    (c.G0 / c.Norm, Inv($"The scale is θ/‖g‖ with θ = {c.Theta}.")),
                    (c.G0, Inv($"‖g‖ = {c.Norm:0.##} is longer than θ = {c.Theta}, so the gradient is scaled down."))),
                c => c.G0 * c.Theta / c.Norm),
            2.0, 0.6, 3.0),

        Entry("07.8", ExerciseKind.Explain, "what a perplexity says",
            Choice('B', "a uniform guess among k characters gives the true one probability 1/k, a cross-entropy of ln k and "
                        + "so a perplexity of exactly k; perplexity is the number of equally likely choices the model's uncertainty is worth.",
                "Work out the perplexity of a model that gives each of k characters probability 1/k.",
                PerplexityEvidence,
                ('A', "Perplexity is not an error rate: it comes from the probabilities the model gives, not from counting mistakes."),
                ('C', "Perplexity is the exponential of the loss: a loss of 3 would be a perplexity of e³ ≈ 20."),
                ('D', "Perplexity describes the model's predictions now; it says nothing about how training will go.")),
            'A', 'C', 'D'),
    ];

    sealed record Corpus(int Length, int Steps, int Offset);

    /// <summary>A character RNN's sizes, and the batch for the concatenation.</summary>
    sealed record Rnn(int Vocabulary, int Hidden, int Batch)
    {
        public long Parameters => (long)Vocabulary * Hidden + (long)Hidden * Hidden + Hidden + (long)Hidden * Vocabulary + Vocabulary;
    }

    sealed record Clip(int G0, int G1, int Theta)
    {
        public double Norm => Math.Sqrt(G0 * G0 + G1 * G1);
    }

    /// <summary>Subsequences of numSteps tokens, each with one more token for its target, after dropping offset tokens.</summary>
    internal static long CountPieces(int length, int numSteps, int offset)
    {
        var tokens = torch.arange(length);
        long pieces = 0;
        for (var start = offset; start + numSteps + 1 <= tokens.shape[0]; start += numSteps) pieces++;
        return pieces;
    }

    static Verdict RnnForwardCases(Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor> forward)
    {
        var generator = Seeded(8);
        var Xs = nn.functional.one_hot(torch.tensor(new long[,] { { 3, 0, 5 }, { 1, 1, 2 }, { 4, 0, 3 }, { 5, 2, 1 } }), 6).to(float32);   // [4, 3, 6]
        var H0 = torch.randn(3, 4, generator: generator);
        var W_xh = torch.randn(6, 4, generator: generator);
        var W_hh = torch.randn(4, 4, generator: generator);
        var b_h = torch.randn(4, generator: generator);
        using var rnn = nn.RNN(6, 4);
        using (torch.no_grad())
        {
            rnn.get_weight_ih(0)!.copy_(W_xh.T);
            rnn.get_weight_hh(0)!.copy_(W_hh.T);
            rnn.get_bias_ih(0)!.copy_(b_h);
            rnn.get_bias_hh(0)!.zero_();
        }
        var (want, _) = rnn.call(Xs, H0.unsqueeze(0));
        var got = forward(Xs, H0, W_xh, W_hh, b_h);
        if (Close(got, want[^1]))
            return NotYet("You return only the last state H_T.", "Keep every H_t in a list and torch.stack the list: the result is [T, n, h].");
        if (WrongShape(got, [4, 3, 4], "result") is { } shape) return shape;
        if (Close(got, want)) return Correct("Your forward pass equals nn.RNN with the same weights, every time step.");
        if (Close(got[0], want[0]))
            return NotYet("Your first state H_1 is right, but the later ones are not.",
                "Each step starts from the state the previous step computed, not from H0: carry H through the loop.");
        if (got.abs().gt(torch.ones(1)).any().item<bool>())
            return NotYet("Your states have values outside (−1, 1).", "The sum goes through the activation φ = tanh.");
        return NotYet("Your states differ from nn.RNN's.", "H_t = tanh(X_t W_xh + H_{t−1} W_hh + b_h): [n, V] × [V, h] and [n, h] × [h, h].");
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

    /// <summary>Minibatches of 2 on 41 tokens with num_steps 6, for every offset the older rule (0..6) and the newer one (0..5) can draw.</summary>
    static char OlderD2lEvidence(DataCache? _)
    {
        var older = Enumerable.Range(0, 7).Select(k => CountPieces(41, 6, k) / 2).Distinct().Order().ToList();
        var newer = Enumerable.Range(0, 6).Select(k => CountPieces(41, 6, k) / 2).Distinct().Order().ToList();
        if (older.SequenceEqual([2L, 3L])) return newer.SequenceEqual(older) ? 'B' : '?';
        return older.SequenceEqual([3L]) ? 'A' : older.SequenceEqual([1L, 2L, 3L]) ? 'C' : 'D';
    }
}
