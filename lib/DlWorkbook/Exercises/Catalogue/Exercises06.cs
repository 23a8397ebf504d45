using DlWorkbook.Data;
using TorchSharp;
using static DlWorkbook.Exercises.Catalogue.Build;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>Notebook 06: ResNet and batch normalisation.</summary>
internal static class Exercises06
{
    public static IEnumerable<CatalogueEntry> All =>
    [
        Entry("06.1", ExerciseKind.Predict, "the gradient through 30 layers",
            Choice('B', "∂L/∂x = ∂L/∂y (∂F/∂x + I): the identity passes the gradient on whatever F does, while the plain "
                        + "stack multiplies 30 factors that are mostly smaller than 1.",
                "The chain rule multiplies one factor per layer. What does the + h of a skip connection add to each factor?",
                GradientEvidence,
                ('A', "The skip connection adds the identity to each layer's derivative. Does that shrink the product?"),
                ('C', "The weights are the same, but the derivative of h + tanh(Wh) is not that of tanh(Wh)."),
                ('D', "tanh' is small for large inputs but never exactly zero; and what does the skip path pass on?")),
            'A', 'C', 'D'),

        Entry("06.2", ExerciseKind.Predict, "a residual block that downsamples",
            Inputs(new Block(8, 64, 28),
                r => new Block(r.Pick(4, 8, 16, 32), r.Pick(16, 32, 64, 128), r.Pick(7, 8, 14, 15, 28, 32, 56)),
                b => Inv($$"""
                    **Exercise 06.2 · Predict a shape: a downsampling residual block.** A residual block goes from {{b.In}} to {{2 * b.In}}
                    channels. Its main path starts with a $3\times3$ convolution with padding 1 and stride 2 (the rest of the
                    path keeps the shape), and its skip path is a $1\times1$ convolution with stride 2. It receives
                    $[{{b.Batch}}, {{b.In}}, {{b.Size}}, {{b.Size}}]$. What shape does it output?
                    """),
                b => new ShapeAnswer(() =>
                {
                    using var conv = nn.Conv2d(b.In, 2 * b.In, 3, stride: 2, padding: 1);
                    using var skip = nn.Conv2d(b.In, 2 * b.In, 1, stride: 2);
                    var x = torch.zeros(b.Batch, b.In, b.Size, b.Size);
                    return (conv.call(x) + skip.call(x)).shape;
                }, Inv($"Both paths must end in the same shape: {2 * b.In} channels, and stride 2 halves height and width (⌊(n − 3 + 2)/2⌋ + 1)."),
                    (Shape(b.Batch, 2 * b.In, b.Size, b.Size), "Stride 2 halves height and width."),
                    (Shape(b.Batch, b.In, b.Half, b.Half), Inv($"The block changes the channels to {2 * b.In}.")),
                    (Shape(b.Batch, 2 * b.In, (b.Size - 3) / 2 + 1, (b.Size - 3) / 2 + 1), Inv($"⌊({b.Size} − 3 + 2·1)/2⌋ + 1: the first convolution has padding 1."))),
                b => Shape(b.Batch, 2 * b.In, b.Half, b.Half)),
            new long[] { 8, 128, 28, 28 }, new long[] { 8, 64, 14, 14 }, "[8, 128, 13, 13]"),

        Entry("06.3", ExerciseKind.FindTheBug, "the residual block's last ReLU",
            CodeAnswer.Function<Tensor, Func<Tensor, Tensor>, Tensor>("a function (Tensor x, Func<Tensor, Tensor> F) → Tensor",
                "Compare the order of operations with y = ReLU(F(x) + x): what is the last thing applied?",
                ResidualCases,
                asGiven: (x, F) => nn.functional.relu(F(x)) + x,
                probe: forward => Values(forward(ProbeInput(), ProbeF))),
            (Func<Tensor, Func<Tensor, Tensor>, Tensor>)((x, F) => nn.functional.relu(F(x))),
            (Func<Tensor, Func<Tensor, Tensor>, Tensor>)((x, F) => F(x) + x)),
        Entry("06.4", ExerciseKind.CompleteCode, "batch norm for a fully connected layer",
            CodeAnswer.Function<Tensor, Tensor, Tensor, Tensor>("a function (Tensor x, Tensor gamma, Tensor beta) → Tensor",
                "Statistics per feature, over the batch only (dim 0, keepdim), biased variance, ε inside the square root; "
                + "then γ·x̂ + β.", BatchNormCases),
            (Func<Tensor, Tensor, Tensor, Tensor>)((x, gamma, beta) =>
                gamma * (x - x.mean([0], keepdim: true)) / x.std([0], keepdim: true) + beta),
            (Func<Tensor, Tensor, Tensor, Tensor>)((x, gamma, beta) =>
                gamma * (x - x.mean([0], keepdim: true)) / x.var([0], unbiased: false, keepdim: true).sqrt() + beta),
            (Func<Tensor, Tensor, Tensor, Tensor>)((x, gamma, beta) =>
                gamma * (x - x.mean([1], keepdim: true)) / (x.var([1], unbiased: false, keepdim: true) + torch.tensor(1e-5f)).sqrt() + beta),
            (Func<Tensor, Tensor, Tensor, Tensor>)((x, gamma, beta) =>
                (x - x.mean([0], keepdim: true)) / (x.var([0], unbiased: false, keepdim: true) + torch.tensor(1e-5f)).sqrt())),

        Entry("06.5", ExerciseKind.ComputeByHand, "one batch-norm value",
            Inputs(new Four(1, 2, 3, 6),
                r =>
                {
                    while (true)
                        if (new Four(r.Between(0, 9), r.Between(0, 9), r.Between(0, 9), r.Between(0, 9)) is var f
                            && f.Values.Distinct().Count() == 4 && f.Asked == f.Values.Max()) return f;
                },
                f => Inv($$"""
                    **Exercise 06.5 · Compute by hand: one batch-norm value.** One channel holds the values ${{f.A}}, {{f.B}}, {{f.C}}, {{f.Asked}}$ over
                    a batch of four $1 \times 1$ images. `BatchNorm2d` in training mode, with $\gamma = 1$, $\beta = 0$ and
                    $\epsilon = 10^{-5}$, normalises them. What does the value {{f.Asked}} become? Give three decimals.
                    """),
                f => NumberAnswer.Decimals(() =>
                {
                    using var bn = nn.BatchNorm2d(1);
                    bn.train();
                    return bn.call(torch.tensor(f.Values.Select(v => (float)v).ToArray()).reshape(4, 1, 1, 1))[3, 0, 0, 0].item<float>();
                }, 3, "Mean, then the variance dividing by m (biased), then (x − μ)/√(σ² + ε).",
                    (f.Centred / Math.Sqrt(f.Squares / 3), "That uses the sample variance (divide by m − 1); batch norm divides by m."),
                    (f.Centred / (f.Squares / 4), "Divide by the standard deviation, the square root of the variance."),
                    (f.Centred, "After subtracting the mean, divide by the standard deviation.")),
                f => f.Centred / Math.Sqrt(f.Squares / 4 + 1e-5)),
            1.389, 0.857, 3.0),

        Entry("06.6", ExerciseKind.ComputeByHand, "learned parameters of BatchNorm2d",
            Inputs(48, r => r.Pick(8, 16, 24, 32, 64, 96, 128, 256, 512),
                c => Inv($"""
                    **Exercise 06.6 · Compute by hand: what batch norm learns.** How many *learned* parameters does
                    `nn.BatchNorm2d({c})` have?
                    """),
                c => NumberAnswer.Whole(() => { using var bn = nn.BatchNorm2d(c); return bn.parameters().Sum(p => p.numel()); },
                    "Per channel it learns a scale γ and a shift β; the running statistics are not learned by gradient descent.",
                    (4 * c, "The running mean and variance are buffers, updated by averaging, not parameters learned by gradient descent."),
                    (c, "It learns two numbers per channel, γ and β.")),
                c => 2.0 * c),
            192L, 48L, 144L),

        Entry("06.7", ExerciseKind.ComputeByHand, "weights of a small network",
            Inputs(new Small(3, 32, 64, 10, 3),
                r => new Small(r.Pick(1, 3), r.Pick(8, 16, 32), r.Pick(16, 32, 64, 128), r.Pick(2, 10, 100), r.Pick(3, 5)),
                n => Inv($$"""
                    **Exercise 06.7 · Compute by hand: weights of a small network.** Count the weights, *biases excluded*, of
                    Conv(${{n.In}} \to {{n.C1}}$, ${{n.K}}\times{{n.K}}$) → Conv(${{n.C1}} \to {{n.C2}}$, ${{n.K}}\times{{n.K}}$) → `AdaptiveAvgPool2d(1)` → Flatten →
                    Linear(${{n.C2}} \to {{n.Classes}}$). The pooling layer averages each channel over all positions to one number.
                    """),
                n => NumberAnswer.Whole(() =>
                {
                    using var net = nn.Sequential(nn.Conv2d(n.In, n.C1, n.K), nn.Conv2d(n.C1, n.C2, n.K), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(n.C2, n.Classes));
                    return net.named_parameters().Where(p => p.name.EndsWith("weight")).Sum(p => p.parameter.numel());
                }, "A convolution has c_out · c_in · k_h · k_w weights, a linear layer out · in; pooling and flattening have none.",
                    (n.Weights + n.C1 + n.C2 + n.Classes, "The question excludes the biases."),
                    (n.C1 * n.K * n.K + n.C2 * n.K * n.K + n.C2 * n.Classes, "Each output channel has one k×k slice per input channel.")),
                n => (double)n.Weights),
            20_042L, 1_504L),

        Entry("06.8", ExerciseKind.Explain, "why evaluation mode uses running statistics",
            Choice('C', "with batch statistics the same image gets a different output in a different batch, and a single "
                        + "image has variance 0 in every channel of a 1×1 map; fixed running statistics make a prediction a "
                        + "function of its own input only.",
                "Run the same image through batch norm twice, in two different batches. What changes in training mode?",
                EvaluationModeEvidence,
                ('A', "Both are estimates of the same statistics; bias is not what changes between the modes."),
                ('B', "γ and β stay in use in evaluation mode; only where the mean and variance come from changes."),
                ('D', "The running averages are collected on training batches; the test set is never used to fit anything.")),
            'A', 'B', 'D'),
    ];

    sealed record Block(int Batch, int In, int Size)
    {
        public long Half => (Size - 1) / 2 + 1;   // ⌊(n − 3 + 2)/2⌋ + 1
    }

    /// <summary>Four values of one channel; the last is the one asked about.</summary>
    sealed record Four(int A, int B, int C, int Asked)
    {
        public int[] Values => [A, B, C, Asked];

        public double Centred => Asked - Values.Average();

        public double Squares => Values.Sum(v => (v - Values.Average()) * (v - Values.Average()));
    }

    sealed record Small(int In, int C1, int C2, int Classes, int K)
    {
        public long Weights => (long)C1 * In * K * K + (long)C2 * C1 * K * K + (long)Classes * C2;
    }

    static Tensor ProbeInput() => torch.tensor(new float[] { -2, -0.5f, 0, 1, 3 });

    static Tensor ProbeF(Tensor t) => -2 * t + 0.5f;

    static Verdict BatchNormCases(Func<Tensor, Tensor, Tensor, Tensor> batchNorm)
    {
        var generator = Seeded(6);
        var x = torch.randn(8, 3, generator: generator) * torch.tensor(3f) + torch.tensor(1f);
        var constant = x.clone();
        constant[.., 1] = torch.tensor(5f);   // feature 1 has no variance at all
        var gamma = torch.tensor(new float[] { 2f, 0.5f, -1f });
        var beta = torch.tensor(new float[] { 0.1f, -0.3f, 1f });
        foreach (var (name, input) in new[] { ("a random [8, 3] batch", x), ("a batch whose feature 1 is constant", constant) })
        {
            using var bn = nn.BatchNorm1d(3, eps: 1e-5);
            bn.train();
            using (torch.no_grad()) { bn.weight!.copy_(gamma); bn.bias!.copy_(beta); }
            var want = bn.call(input).detach();
            var got = batchNorm(input, gamma, beta);
            if (WrongShape(got, input.shape, "result") is { } shape) return shape;
            if (Close(got, want, atol: 1e-4)) continue;
            if (!got.isfinite().all().item<bool>())
                return NotYet($"For {name} your result holds NaN or infinity.", "A feature with zero variance divides by zero: add ε to the variance before the square root.");
            var normalised = (want - beta) / gamma;
            if (Close(got, normalised, atol: 1e-4))
                return NotYet($"For {name} your features are normalised, but not scaled and shifted.", "Finish with γ·x̂ + β, per feature.");
            var m = input.shape[0];
            if (Close(got, normalised * torch.tensor((float)Math.Sqrt((m - 1.0) / m)) * gamma + beta, atol: 1e-3))
                return NotYet($"For {name} your values are slightly off.", "BatchNorm uses the biased variance, dividing by N: var(…, unbiased: false).");
            if (!Close((got - beta) / gamma, normalised, atol: 1e-3) && Close(((got - beta) / gamma).mean([1]), torch.zeros(m), atol: 1e-4))
                return NotYet($"For {name} each example, not each feature, ends with mean 0.", "The statistics run over the batch, dim 0: one mean and one variance per feature.");
            return NotYet($"For {name} your values differ from BatchNorm1d's.", "γ·(x − μ)/√(σ² + ε) + β per feature, with μ and the biased σ² over dim 0.");
        }
        return Correct("Your batch norm matches BatchNorm1d in training mode, scale, shift and constant feature included.");
    }

    static Verdict ResidualCases(Func<Tensor, Func<Tensor, Tensor>, Tensor> forward)
    {
        var x = ProbeInput();
        var got = forward(x, ProbeF);
        var want = nn.functional.relu(ProbeF(x) + x);
        if (WrongShape(got, x.shape, "output") is { } shape) return shape;
        if (Close(got, want)) return Correct("Your block computes ReLU(F(x) + x): the skip is added before the last ReLU.");
        if (Close(got, nn.functional.relu(ProbeF(x))))
            return NotYet("Your output does not depend on the skip path.", "A residual block adds its input x to F(x).");
        if ((got < 0).any().item<bool>())
            return NotYet("Some of your outputs are negative.", "The block's output goes through ReLU last: can it be negative?");
        return NotYet("Your outputs differ from ReLU(F(x) + x).", "Add the skip first, then apply ReLU to the sum.");
    }

    /// <summary>One image in two different batches: its output in training mode and in evaluation mode.</summary>
    static char EvaluationModeEvidence(DataCache? _)
    {
        var generator = Seeded(11);
        var image = torch.randn(1, 2, 4, 4, generator: generator);
        var batchA = torch.cat([image, torch.randn(3, 2, 4, 4, generator: generator)]);
        var batchB = torch.cat([image, torch.randn(3, 2, 4, 4, generator: generator) * torch.tensor(5f)]);
        using var bn = nn.BatchNorm2d(2);
        bn.train();
        var trainingChanges = !Close(bn.call(batchA)[0], bn.call(batchB)[0], atol: 1e-3);
        bn.eval();
        var evaluationStays = Close(bn.call(batchA)[0], bn.call(batchB)[0]) && Close(bn.call(image)[0], bn.call(batchA)[0]);
        return trainingChanges && evaluationStays ? 'C' : 'A';
    }

    /// <summary>§6.1's measurement with fixed weights of the default Linear scale.</summary>
    static char GradientEvidence(DataCache? _)
    {
        var generator = Seeded(7);
        var weights = Enumerable.Range(0, 30).Select(_ => (torch.rand(16, 16, generator: generator) * 2 - 1) / 4).ToList();
        var start = torch.randn(1, 16, generator: generator);
        double Norm(bool skip)
        {
            var x = start.clone().requires_grad_();
            var h = x;
            foreach (var W in weights) h = skip ? h + torch.tanh(h.mm(W.T)) : torch.tanh(h.mm(W.T));
            h.sum().backward();
            return x.grad!.norm().item<float>();
        }
        var (plain, residual) = (Norm(false), Norm(true));
        if (plain == 0 && residual == 0) return 'D';
        return residual > 1000 * plain ? 'B' : plain > 1000 * residual ? 'A' : 'C';
    }
}
