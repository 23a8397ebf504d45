using DlWorkbook.Data;
using TorchSharp;
using static DlWorkbook.Exercises.Catalogue.Build;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>Notebook 02: softmax regression.</summary>
internal static class Exercises02
{
    public static IEnumerable<CatalogueEntry> All =>
    [
        Entry("02.1", ExerciseKind.Predict, "one-hot labels: rows or columns",
            """
            **Exercise 02.1 · Predict a shape: one-hot labels.** Four labels, `torch.tensor(new long[] { 1, 2, 0, 1 })`,
            for three classes. What is the shape of `nn.functional.one_hot(labels, 3)`?
            """,
            """
            long[] shape = null!;   // ← your answer
            Exercise.Check("02.1", shape);
            """,
            new ShapeAnswer(() => nn.functional.one_hot(torch.tensor(new long[] { 1, 2, 0, 1 }), 3).shape,
                "Each label becomes one one-hot vector with one entry per class. How are the vectors stacked?",
                ([3, 4], "The one-hot vectors are rows, one per example, like every batch in TorchSharp: the example axis comes first."),
                ([4], "one_hot adds an axis: each label becomes a whole vector.")),
            new long[] { 3, 4 }, new long[] { 4 }, new long[] { 4, 1 }),

        Entry("02.2", ExerciseKind.Predict, "the shape of the logits",
            """
            **Exercise 02.2 · Predict a shape: the logits of a batch.** Softmax regression on Fashion-MNIST computes
            $O = X W^\top + \mathbf b$ for a flattened batch $X$ of shape $[256, 784]$ and $W$ of shape $[10, 784]$.
            What is the shape of $O$?
            """,
            """
            long[] shape = null!;   // ← your answer
            Exercise.Check("02.2", shape);
            """,
            new ShapeAnswer(() => (torch.zeros(256, 784).mm(torch.zeros(10, 784).T) + torch.zeros(10)).shape,
                "[n, d] × [d, q] gives [n, q]: one row per example, one column per class.",
                ([10, 256], "One row per example and one column per class, not the other way round."),
                ([256, 784], "The layer maps 784 pixels to 10 scores: the feature axis is replaced.")),
            new long[] { 10, 256 }, new long[] { 256, 784 }),

        Entry("02.3", ExerciseKind.ComputeByHand, "one softmax value",
            """
            **Exercise 02.3 · Compute by hand: one softmax value.** For the logits $\mathbf o = [1, 2, 3]$, what is
            $\mathrm{softmax}(\mathbf o)_1$, the probability of the middle class? Give four decimals.
            """,
            """
            double? probability = null;   // ← your answer, four decimals
            Exercise.Check("02.3", probability);
            """,
            NumberAnswer.Decimals(() => torch.softmax(torch.tensor(new[] { 1.0, 2, 3 }), 0)[1].item<double>(), 4,
                "softmax(o)ⱼ = exp(oⱼ) divided by the sum of exp over all three logits.",
                (2.0 / 6, "That divides the logits by their sum; softmax exponentiates them first."),
                (Math.Exp(1) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), "That is the first class; the middle one has logit 2."),
                (Math.Exp(3) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), "That is the last class; the middle one has logit 2.")),
            0.3333, 0.0900, 0.6652),

        Entry("02.4", ExerciseKind.ComputeByHand, "one cross-entropy loss",
            """
            **Exercise 02.4 · Compute by hand: a cross-entropy loss.** A model gives the logits $[2, 0, 0]$ for an
            example of class 0. What is its cross-entropy loss (natural logarithm)? Give four decimals.
            """,
            """
            double? loss = null;   // ← your answer, four decimals
            Exercise.Check("02.4", loss);
            """,
            NumberAnswer.Decimals(() => nn.functional.cross_entropy(torch.tensor(new[,] { { 2.0, 0, 0 } }), torch.tensor(new long[] { 0 })).item<double>(), 4,
                "Softmax first, then −log of the probability of the true class.",
                (Math.Exp(2) / (Math.Exp(2) + 2), "That is the probability of the true class; the loss is −log of it."),
                (-Math.Log(1 / (Math.Exp(2) + 2)), "That is the loss for class 1 or 2; the example is of class 0."),
                (-Math.Log(2), "The logit 2 is not a probability: apply softmax before the logarithm.")),
            0.787, 2.2395, 2.0),

        Entry("02.5", ExerciseKind.CompleteCode, "softmax, safe for large logits",
            """
            **Exercise 02.5 · Complete the code: softmax.** Write a row-wise softmax for logits of shape $[n, q]$: every
            row becomes probabilities that sum to 1. It must also work for large logits such as $O + 100$, where
            `exp` overflows (§2.4). The check compares it with `torch.softmax(o, dim: 1)`.
            """,
            """
            Tensor Softmax(Tensor o)        // o: [n, q] logits, one row per example
                => throw Exercise.Todo;     // ← probabilities [n, q], each row summing to 1
            Exercise.Check("02.5", Softmax);
            """,
            CodeAnswer.Function<Tensor, Tensor>("a function (Tensor o) → Tensor",
                "exp of every logit, divided by the sum of the exps of its row; subtract the row's largest logit first.",
                SoftmaxCases),
            (Func<Tensor, Tensor>)(o => o.exp() / o.exp().sum(1, keepdim: true)),
            (Func<Tensor, Tensor>)(o => o.exp() / o.exp().sum()),
            (Func<Tensor, Tensor>)(o => torch.softmax(o, 0))),

        Entry("02.6", ExerciseKind.FindTheBug, "the cross-entropy that is off",
            """
            **Exercise 02.6 · Find the bug.** This cross-entropy compiles and returns one number, but not the same number
            as `nn.functional.cross_entropy(logits, labels)`. Find the bug and fix it in the cell.
            """,
            """
            Tensor CrossEntropy(Tensor logits, Tensor labels)   // logits [n, q], labels [n] class indices → mean loss
            {
                var probabilities = torch.softmax(logits, dim: 0);
                var n = labels.shape[0];
                return -probabilities[torch.arange(n), labels].log().mean();
            }
            Exercise.Check("02.6", CrossEntropy);
            """,
            CodeAnswer.Function<Tensor, Tensor, Tensor>("a function (Tensor logits, Tensor labels) → Tensor",
                "Compare each step with §2.5–§2.6: which axis holds the classes of one example?",
                CrossEntropyCases,
                asGiven: (logits, labels) => -torch.softmax(logits, dim: 0)[torch.arange(labels.shape[0]), labels].log().mean(),
                probe: f => Values(f(ProbeLogits(), ProbeLabels()))),
            (Func<Tensor, Tensor, Tensor>)((logits, labels) => -torch.softmax(logits, dim: 1)[torch.arange(labels.shape[0]), labels].log().sum()),
            (Func<Tensor, Tensor, Tensor>)((logits, labels) => -torch.softmax(logits, dim: 1).log().mean())),

        Entry("02.7", ExerciseKind.Predict, "shifting every logit",
            """
            **Exercise 02.7 · Predict: shift the logits.** Add 100 to every logit of $O$ and pass the result to
            `nn.CrossEntropyLoss()` with the same labels $[1, 2]$. What happens to the loss?

            - **A** It becomes NaN, because $e^{100.6}$ overflows `float32`.
            - **B** It does not change.
            - **C** It grows by 100.
            - **D** It drops to 0, because every logit is now very large.
            """,
            """
            char? choice = null;   // ← 'A', 'B', 'C' or 'D'
            Exercise.Check("02.7", choice);
            """,
            Choice('B', "adding the same number c to every logit multiplies every exp by e^c, which cancels in softmax; and the "
                        + "library computes log-softmax by subtracting the largest logit first, so nothing overflows.",
                "What does adding the same number to every logit do to the softmax probabilities?",
                ShiftEvidence,
                ('A', "The naive formula would overflow; look at how nn.CrossEntropyLoss computes log-softmax (§2.7)."),
                ('C', "The loss is −log of a probability. Does adding 100 to every logit change the probabilities?"),
                ('D', "The loss is 0 only when the true class gets probability 1. Do the logits' differences change?")),
            'A', 'C', "D"),
    ];

    static Tensor ProbeLogits() => torch.randn(4, 5, generator: Seeded(3));

    static Tensor ProbeLabels() => torch.tensor(new long[] { 0, 3, 1, 4 });

    static Tensor BatchO() => torch.tensor(new float[,] { { 0.613f, 1.425f, 1.384f }, { 0.553f, 1.365f, 1.579f } });

    static Verdict SoftmaxCases(Func<Tensor, Tensor> softmax)
    {
        (string Name, Tensor Logits)[] cases =
            [("the logits O of §2.5", BatchO()), ("the logits O + 100", BatchO() + 100), ("the logits [[-100, 0, 100]]", torch.tensor(new float[,] { { -100, 0, 100 } }))];
        foreach (var (name, logits) in cases)
        {
            var got = softmax(logits);
            if (WrongShape(got, logits.shape, "result") is { } shape) return shape;
            if (Close(got, torch.softmax(logits, 1))) continue;
            if (!got.isfinite().all().item<bool>())
                return NotYet($"For {name} your probabilities contain NaN or infinity.",
                    "exp of a large logit overflows float32 (e^89 is already infinite). Subtract each row's largest logit before exp: the probabilities do not change.");
            if (Close(got.sum(), torch.tensor(1f)))
                return NotYet($"For {name} all entries together sum to 1, but each row should.",
                    "Divide each row by its own sum: sum(1, keepdim: true) keeps an [n, 1] column that broadcasts along the row.");
            if (Close(got.sum(0), torch.ones(logits.shape[1])))
                return NotYet($"For {name} each column sums to 1.", "The classes run along dimension 1: normalise each row (one example), not each column.");
            return NotYet($"For {name} your probabilities differ from torch.softmax(o, dim: 1).", "exp of every logit, divided by the sum of the exps of its row.");
        }
        return Correct("Your softmax matches torch.softmax(o, dim: 1), also for logits so large that exp overflows.");
    }

    static Verdict CrossEntropyCases(Func<Tensor, Tensor, Tensor> crossEntropy)
    {
        (string Name, Tensor Logits, Tensor Labels)[] cases =
            [("O with labels [1, 2]", BatchO(), torch.tensor(new long[] { 1, 2 })), ("4 examples of 5 classes", ProbeLogits(), ProbeLabels())];
        foreach (var (name, logits, labels) in cases)
        {
            var got = crossEntropy(logits, labels);
            var want = nn.functional.cross_entropy(logits, labels);
            if (got.numel() != 1)
                return NotYet($"For {name} your function returns shape [{string.Join(", ", got.shape)}].", "Return one number: the mean of the per-example losses.");
            if (Close(got.reshape([]), want)) continue;
            if (Close(got.reshape([]), want * labels.shape[0]))
                return NotYet($"For {name} yours is the sum of the per-example losses.", "nn.functional.cross_entropy averages over the batch.");
            return NotYet($"For {name} yours is {got.item<float>():F4}, cross_entropy gives a different number.",
                "Which axis holds the classes of one example, and along which axis must its probabilities sum to 1?");
        }
        return Correct("Your cross-entropy matches nn.functional.cross_entropy: softmax along the classes, −log of the true class, mean over the batch.");
    }

    static char ShiftEvidence(DataCache? _)
    {
        var labels = torch.tensor(new long[] { 1, 2 });
        var plain = nn.functional.cross_entropy(BatchO(), labels).item<float>();
        var shifted = nn.functional.cross_entropy(BatchO() + 100, labels).item<float>();
        if (float.IsNaN(shifted)) return 'A';
        if (Math.Abs(shifted - plain) < 1e-4) return 'B';
        return Math.Abs(shifted - plain - 100) < 1 ? 'C' : 'D';
    }
}
