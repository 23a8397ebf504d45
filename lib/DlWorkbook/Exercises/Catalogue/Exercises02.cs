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
            Inputs(new Labels("2, 0, 3, 3, 1", 4),
                r =>
                {
                    var classes = r.Between(3, 10);
                    return new Labels(string.Join(", ", Enumerable.Range(0, r.Between(3, 8)).Select(_ => r.Next(classes))), classes);
                },
                l => Inv($$"""
                    **Exercise 02.1 · Predict a shape: one-hot labels.** {{Words(l.Values.Length)}} labels, `torch.tensor(new long[] { {{l.Text}} })`,
                    for {{Words(l.Classes).ToLowerInvariant()}} classes. What is the shape of `nn.functional.one_hot(labels, {{l.Classes}})`?
                    """),
                l => new ShapeAnswer(() => nn.functional.one_hot(torch.tensor(l.Values), l.Classes).shape,
                    "Each label becomes one one-hot vector with one entry per class. How are the vectors stacked?",
                    (Shape(l.Classes, l.Values.Length), "The one-hot vectors are rows, one per example, like every batch in TorchSharp: the example axis comes first."),
                    (Shape(l.Values.Length), "one_hot adds an axis: each label becomes a whole vector."),
                    (Shape(l.Values.Length, l.Values.Max()), Inv($"One entry per class, and there are {Words(l.Classes).ToLowerInvariant()} classes (0 to {l.Classes - 1}); the largest label is not the number of classes."))),
                l => Shape(l.Values.Length, l.Classes)),
            new long[] { 4, 5 }, new long[] { 5 }, new long[] { 5, 3 }, new long[] { 5, 1 }),

        Entry("02.2", ExerciseKind.Predict, "the shape of the logits",
            Inputs(new Logits(256, 784, 10),
                r => new Logits(r.Pick(16, 32, 64, 100, 128, 256, 512), r.Pick(64, 100, 784, 1024, 3072), r.Pick(2, 3, 5, 10, 20)),
                g => Inv($$"""
                    **Exercise 02.2 · Predict a shape: the logits of a batch.** Softmax regression computes
                    $O = X W^\top + \mathbf b$ for a flattened batch $X$ of shape $[{{g.Batch}}, {{g.Features}}]$ and $W$ of shape $[{{g.Classes}}, {{g.Features}}]$.
                    What is the shape of $O$?
                    """),
                g => new ShapeAnswer(() => (torch.zeros(g.Batch, g.Features).mm(torch.zeros(g.Classes, g.Features).T) + torch.zeros(g.Classes)).shape,
                    "[n, d] × [d, q] gives [n, q]: one row per example, one column per class.",
                    (Shape(g.Classes, g.Batch), "One row per example and one column per class, not the other way round."),
                    (Shape(g.Batch, g.Features), Inv($"The layer maps {g.Features} inputs to {g.Classes} scores: the feature axis is replaced."))),
                g => Shape(g.Batch, g.Classes)),
            new long[] { 10, 256 }, new long[] { 256, 784 }),

        Entry("02.3", ExerciseKind.ComputeByHand, "one softmax value",
            Inputs(new SoftmaxValue(1, 2, 3, 1),
                r =>
                {
                    while (true)
                        if (new SoftmaxValue(r.Between(-2, 4), r.Between(-2, 4), r.Between(-2, 4), r.Between(0, 2)) is var v
                            && v.Logits.Distinct().Count() == 3) return v;
                },
                v => Inv($$"""
                    **Exercise 02.3 · Compute by hand: one softmax value.** For the logits $\mathbf o = [{{v.O0}}, {{v.O1}}, {{v.O2}}]$, what is
                    $\mathrm{softmax}(\mathbf o)_{{v.Index}}$, the probability of the {{ClassName(v.Index)}} class? Give four decimals.
                    """),
                v => NumberAnswer.Decimals(() => torch.softmax(torch.tensor(v.Logits.Select(o => (double)o).ToArray()), 0)[v.Index].item<double>(), 4,
                    Inv($"softmax(o)ⱼ = exp(oⱼ) divided by the sum of exp over all three logits."),
                    [(v.Logits[v.Index] / (double)v.Logits.Sum(), "That divides the logits by their sum; softmax exponentiates them first."),
                     .. Enumerable.Range(0, 3).Where(j => j != v.Index).Select(j => (v.Softmax(j),
                         Inv($"That is the {ClassName(j)} class; the {ClassName(v.Index)} one has logit {v.Logits[v.Index]}.")))]),
                v => v.Softmax(v.Index)),
            0.3333, 0.0900, 0.6652),

        Entry("02.4", ExerciseKind.ComputeByHand, "one cross-entropy loss",
            Inputs(new CrossEntropyValue(2, 0, 0, 0),
                r =>
                {
                    while (true)
                        if (new CrossEntropyValue(r.Between(-1, 3), r.Between(-1, 3), r.Between(-1, 3), r.Between(0, 2)) is var v
                            && v.Logits.Distinct().Count() >= 2) return v;
                },
                v => Inv($"""
                    **Exercise 02.4 · Compute by hand: a cross-entropy loss.** A model gives the logits $[{v.O0}, {v.O1}, {v.O2}]$ for an
                    example of class {v.Label}. What is its cross-entropy loss (natural logarithm)? Give four decimals.
                    """),
                v => NumberAnswer.Decimals(() => nn.functional.cross_entropy(
                        torch.tensor(v.Logits.Select(o => (double)o).ToArray()).reshape(1, 3), torch.tensor(new long[] { v.Label })).item<double>(), 4,
                    "Softmax first, then −log of the probability of the true class.",
                    [(v.Probability(v.Label), "That is the probability of the true class; the loss is −log of it."),
                     .. Enumerable.Range(0, 3).Where(j => j != v.Label).GroupBy(j => v.Logits[j]).Select(same => (-Math.Log(v.Probability(same.First())),
                         Inv($"That is the loss for class {string.Join(" or ", same)}; the example is of class {v.Label}."))),
                     (v.Logits[v.Label] > 0 ? -Math.Log(v.Logits[v.Label]) : double.NaN,
                         Inv($"The logit {v.Logits[v.Label]} is not a probability: apply softmax before the logarithm."))]),
                v => -Math.Log(v.Probability(v.Label))),
            0.787, 2.2395, 2.0),

        Entry("02.5", ExerciseKind.CompleteCode, "softmax, safe for large logits",
            CodeAnswer.Function<Tensor, Tensor>("a function (Tensor o) → Tensor",
                "exp of every logit, divided by the sum of the exps of its row; subtract the row's largest logit first.",
                SoftmaxCases),
            (Func<Tensor, Tensor>)(o => o.exp() / o.exp().sum(1, keepdim: true)),
            (Func<Tensor, Tensor>)(o => o.exp() / o.exp().sum()),
            (Func<Tensor, Tensor>)(o => torch.softmax(o, 0))),

        Entry("02.6", ExerciseKind.FindTheBug, "the cross-entropy that is off",
            CodeAnswer.Function<Tensor, Tensor, Tensor>("a function (Tensor logits, Tensor labels) → Tensor",
                "Compare each step with §2.5–§2.6: which axis holds the classes of one example?",
                CrossEntropyCases,
                asGiven: (logits, labels) => -torch.softmax(logits, dim: 0)[torch.arange(labels.shape[0]), labels].log().mean(),
                probe: f => Values(f(ProbeLogits(), ProbeLabels()))),
            (Func<Tensor, Tensor, Tensor>)((logits, labels) => -torch.softmax(logits, dim: 1)[torch.arange(labels.shape[0]), labels].log().sum()),
            (Func<Tensor, Tensor, Tensor>)((logits, labels) => -torch.softmax(logits, dim: 1).log().mean())),

        Entry("02.7", ExerciseKind.Predict, "shifting every logit",
            Choice('B', "adding the same number c to every logit multiplies every exp by e^c, which cancels in softmax; and the "
                        + "library computes log-softmax by subtracting the largest logit first, so nothing overflows.",
                "What does adding the same number to every logit do to the softmax probabilities?",
                ShiftEvidence,
                ('A', "The naive formula would overflow; look at how nn.CrossEntropyLoss computes log-softmax (§2.7)."),
                ('C', "The loss is −log of a probability. Does adding 100 to every logit change the probabilities?"),
                ('D', "The loss is 0 only when the true class gets probability 1. Do the logits' differences change?")),
            'A', 'C', "D"),

        Entry("02.8", ExerciseKind.Explain, "loss falls, accuracy stays",
            Choice('B', "accuracy only asks which class has the largest logit; cross-entropy is −log of the true class's "
                        + "probability, which keeps falling as the model grows more confident in answers it already had right "
                        + "(or less wrong about those it still gets wrong).",
                "What does accuracy look at, and what does cross-entropy look at, for one example?",
                LossAndAccuracyEvidence,
                ('A', "Both are computed on the same batch; the question is what each of them measures."),
                ('C', "Accuracy counts argmax hits; the loss uses the probabilities themselves. They can move apart."),
                ('D', "The learning rate changes how the weights move; both measures are computed from the same outputs.")),
            'A', 'C', 'D'),
    ];

    sealed record Labels(string Text, int Classes)
    {
        public long[] Values => [.. Text.Split(", ").Select(long.Parse)];
    }

    sealed record Logits(int Batch, int Features, int Classes);

    /// <summary>Three logits and the class whose probability is asked for.</summary>
    sealed record SoftmaxValue(int O0, int O1, int O2, int Index)
    {
        public int[] Logits => [O0, O1, O2];

        public double Softmax(int j) => Math.Exp(Logits[j]) / Logits.Sum(o => Math.Exp(o));
    }

    /// <summary>Three logits and the true class.</summary>
    sealed record CrossEntropyValue(int O0, int O1, int O2, int Label)
    {
        public int[] Logits => [O0, O1, O2];

        public double Probability(int j) => Math.Exp(Logits[j]) / Logits.Sum(o => Math.Exp(o));
    }

    static string ClassName(int index) => index switch { 0 => "first", 1 => "middle", _ => "last" };

    static string Words(int n) => n switch
    {
        3 => "Three", 4 => "Four", 5 => "Five", 6 => "Six", 7 => "Seven", 8 => "Eight", 9 => "Nine", 10 => "Ten",
        _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    static Tensor ProbeLogits() => torch.randn(4, 5, generator: Seeded(3));

    static Tensor ProbeLabels() => torch.tensor(new long[] { 0, 3, 1, 4 });

    static Tensor BatchO() => torch.tensor(new float[,] { { 0.613f, 1.425f, 1.384f }, { 0.553f, 1.365f, 1.579f } });

    /// <summary>Logits that keep every argmax but give each true class more probability: same accuracy, lower loss.</summary>
    static char LossAndAccuracyEvidence(DataCache? _)
    {
        var before = BatchO();
        var labels = torch.tensor(new long[] { 1, 2 });
        var after = before * torch.tensor(2f);   // the same order of logits in every row, more confident
        bool SameAccuracy() => before.argmax(1).eq(labels).sum().item<long>() == after.argmax(1).eq(labels).sum().item<long>();
        var lower = nn.functional.cross_entropy(after, labels).item<float>() < nn.functional.cross_entropy(before, labels).item<float>();
        return SameAccuracy() && lower ? 'B' : 'C';
    }

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
