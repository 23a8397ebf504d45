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
            """
            **Exercise 06.1 · Predict: the gradient through 30 layers.** §6.1 stacks 30 layers `Linear(16, 16)` with
            tanh, once plainly, $h \leftarrow \tanh(Wh)$, and once with skip connections, $h \leftarrow h + \tanh(Wh)$,
            with the same weights. Before running it: how do the sizes of the gradients that reach the input compare?

            - **A** The plain stack's gradient is much larger: the skips add noise.
            - **B** The residual stack's gradient is larger by orders of magnitude.
            - **C** They are about the same: the weights are the same.
            - **D** Both are exactly zero: tanh saturates.
            """,
            """
            char? choice = null;   // ← 'A', 'B', 'C' or 'D'
            Exercise.Check("06.1", choice);
            """,
            Choice('B', "∂L/∂x = ∂L/∂y (∂F/∂x + I): the identity passes the gradient on whatever F does, while the plain "
                        + "stack multiplies 30 factors that are mostly smaller than 1.",
                "The chain rule multiplies one factor per layer. What does the + h of a skip connection add to each factor?",
                GradientEvidence,
                ('A', "The skip connection adds the identity to each layer's derivative. Does that shrink the product?"),
                ('C', "The weights are the same, but the derivative of h + tanh(Wh) is not that of tanh(Wh)."),
                ('D', "tanh' is small for large inputs but never exactly zero; and what does the skip path pass on?")),
            'A', 'C', 'D'),

        Entry("06.2", ExerciseKind.Predict, "a residual block that downsamples",
            """
            **Exercise 06.2 · Predict a shape: a downsampling residual block.** A residual block goes from 64 to 128
            channels. Its main path starts with a $3\times3$ convolution with padding 1 and stride 2 (the rest of the
            path keeps the shape), and its skip path is a $1\times1$ convolution with stride 2. It receives
            $[8, 64, 28, 28]$. What shape does it output?
            """,
            """
            long[] shape = null!;   // ← your answer
            Exercise.Check("06.2", shape);
            """,
            new ShapeAnswer(() =>
            {
                using var conv = nn.Conv2d(64, 128, 3, stride: 2, padding: 1);
                using var skip = nn.Conv2d(64, 128, 1, stride: 2);
                var x = torch.zeros(8, 64, 28, 28);
                return (conv.call(x) + skip.call(x)).shape;
            }, "Both paths must end in the same shape: 128 channels, and stride 2 halves height and width (⌊(28 − 3 + 2)/2⌋ + 1).",
                ([8, 128, 28, 28], "Stride 2 halves height and width."),
                ([8, 64, 14, 14], "The block changes the channels to 128."),
                ([8, 128, 13, 13], "⌊(28 − 3 + 2·1)/2⌋ + 1: the first convolution has padding 1.")),
            new long[] { 8, 128, 28, 28 }, new long[] { 8, 64, 14, 14 }, "[8, 128, 13, 13]"),

        Entry("06.3", ExerciseKind.FindTheBug, "the residual block's last ReLU",
            """
            **Exercise 06.3 · Find the bug.** A residual block should output $y = \mathrm{ReLU}(F(x) + x)$. This version
            runs, but its outputs are not always that. Find the bug and fix it in the cell.
            """,
            """
            Tensor ResidualForward(Tensor x, Func<Tensor, Tensor> F)   // y = ReLU(F(x) + x)
            {
                var y = nn.functional.relu(F(x));
                return y + x;
            }
            Exercise.Check("06.3", ResidualForward);
            """,
            CodeAnswer.Function<Tensor, Func<Tensor, Tensor>, Tensor>("a function (Tensor x, Func<Tensor, Tensor> F) → Tensor",
                "Compare the order of operations with y = ReLU(F(x) + x): what is the last thing applied?",
                ResidualCases,
                asGiven: (x, F) => nn.functional.relu(F(x)) + x,
                probe: forward => Values(forward(ProbeInput(), ProbeF))),
            (Func<Tensor, Func<Tensor, Tensor>, Tensor>)((x, F) => nn.functional.relu(F(x))),
            (Func<Tensor, Func<Tensor, Tensor>, Tensor>)((x, F) => F(x) + x)),
        Entry("06.4", ExerciseKind.CompleteCode, "batch norm by hand",
            """
            **Exercise 06.4 · Complete the code: batch normalisation.** Normalise a batch $[N, C, H, W]$ as
            `BatchNorm2d` does in training mode with $\gamma = 1$, $\beta = 0$, $\epsilon = 10^{-5}$: per channel, with
            the batch's mean and biased variance over the batch and all positions (§6.2). The check compares it with
            `nn.BatchNorm2d`, including a channel whose values are all equal.
            """,
            """
            Tensor BatchNorm(Tensor x)      // x: [N, C, H, W]
                => throw Exercise.Todo;     // ← normalise each channel
            Exercise.Check("06.4", BatchNorm);
            """,
            CodeAnswer.Function<Tensor, Tensor>("a function (Tensor x) → Tensor",
                "Statistics per channel over dims 0, 2 and 3 (keepdim), biased variance, ε inside the square root.", BatchNormCases),
            (Func<Tensor, Tensor>)(x => (x - x.mean([0, 2, 3], keepdim: true)) / x.std([0, 2, 3], keepdim: true)),
            (Func<Tensor, Tensor>)(x => (x - x.mean([0, 2, 3], keepdim: true)) / x.var([0, 2, 3], unbiased: false, keepdim: true).sqrt()),
            (Func<Tensor, Tensor>)(x => (x - x.mean()) / (x.var(unbiased: false) + 1e-5).sqrt())),

        Entry("06.5", ExerciseKind.ComputeByHand, "one batch-norm value",
            """
            **Exercise 06.5 · Compute by hand: one batch-norm value.** One channel holds the values $1, 2, 3, 6$ over
            a batch of four $1 \times 1$ images. `BatchNorm2d` in training mode, with $\gamma = 1$, $\beta = 0$ and
            $\epsilon = 10^{-5}$, normalises them. What does the value 6 become? Give three decimals.
            """,
            """
            double? normalised = null;   // ← your answer, three decimals
            Exercise.Check("06.5", normalised);
            """,
            NumberAnswer.Decimals(() =>
            {
                using var bn = nn.BatchNorm2d(1);
                bn.train();
                return bn.call(torch.tensor(new float[] { 1, 2, 3, 6 }).reshape(4, 1, 1, 1))[3, 0, 0, 0].item<float>();
            }, 3, "Mean, then the variance dividing by m (biased), then (x − μ)/√(σ² + ε).",
                ((6 - 3) / Math.Sqrt(14.0 / 3), "That uses the sample variance (divide by m − 1); batch norm divides by m."),
                ((6 - 3) / (14.0 / 4), "Divide by the standard deviation, the square root of the variance."),
                (6 - 3, "After subtracting the mean, divide by the standard deviation.")),
            1.389, 0.857, 3.0),

        Entry("06.6", ExerciseKind.ComputeByHand, "learned parameters of BatchNorm2d",
            """
            **Exercise 06.6 · Compute by hand: what batch norm learns.** How many *learned* parameters does
            `nn.BatchNorm2d(64)` have?
            """,
            """
            long? parameters = null;   // ← your answer
            Exercise.Check("06.6", parameters);
            """,
            NumberAnswer.Whole(() => { using var bn = nn.BatchNorm2d(64); return bn.parameters().Sum(p => p.numel()); },
                "Per channel it learns a scale γ and a shift β; the running statistics are not learned by gradient descent.",
                (4 * 64, "The running mean and variance are buffers, updated by averaging, not parameters learned by gradient descent."),
                (64, "It learns two numbers per channel, γ and β.")),
            256L, 64L, 192L),

        Entry("06.7", ExerciseKind.ComputeByHand, "weights of a small network",
            """
            **Exercise 06.7 · Compute by hand: weights of a small network.** Count the weights, *biases excluded*, of
            Conv($3 \to 32$, $3\times3$) → Conv($32 \to 64$, $3\times3$) → `AdaptiveAvgPool2d(1)` → Flatten →
            Linear($64 \to 10$). The pooling layer averages each channel over all positions to one number.
            """,
            """
            long? weights = null;   // ← your answer
            Exercise.Check("06.7", weights);
            """,
            NumberAnswer.Whole(() =>
            {
                using var net = nn.Sequential(nn.Conv2d(3, 32, 3), nn.Conv2d(32, 64, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10));
                return net.named_parameters().Where(p => p.name.EndsWith("weight")).Sum(p => p.parameter.numel());
            }, "A convolution has c_out · c_in · k_h · k_w weights, a linear layer out · in; pooling and flattening have none.",
                (32 * 3 * 9 + 64 * 32 * 9 + 64 * 10 + 32 + 64 + 10, "The question excludes the biases."),
                (32 * 9 + 64 * 9 + 64 * 10, "Each output channel has one k×k slice per input channel.")),
            20_042L, 1_504L),

    ];

    static Tensor ProbeInput() => torch.tensor(new float[] { -2, -0.5f, 0, 1, 3 });

    static Tensor ProbeF(Tensor t) => -2 * t + 0.5f;

    static Verdict BatchNormCases(Func<Tensor, Tensor> batchNorm)
    {
        var generator = Seeded(6);
        var x = torch.randn(4, 3, 2, 2, generator: generator) * 3 + 1;
        var constant = x.clone();
        constant[.., 1] = torch.tensor(5f);   // channel 1 has no variance at all
        foreach (var (name, input) in new[] { ("a random [4, 3, 2, 2] batch", x), ("a batch whose channel 1 is constant", constant) })
        {
            using var bn = nn.BatchNorm2d(3, eps: 1e-5);
            bn.train();
            var want = bn.call(input);
            var got = batchNorm(input);
            if (WrongShape(got, input.shape, "result") is { } shape) return shape;
            if (Close(got, want, atol: 1e-4)) continue;
            if (!got.isfinite().all().item<bool>())
                return NotYet($"For {name} your result holds NaN or infinity.", "A channel with zero variance divides by zero: add ε to the variance before the square root.");
            var m = input.shape[0] * input.shape[2] * input.shape[3];
            if (Close(got, want * Math.Sqrt((m - 1.0) / m), atol: 1e-3))
                return NotYet($"For {name} your values are slightly too small.", "BatchNorm uses the biased variance, dividing by m: var(…, unbiased: false).");
            if (Close(got.mean([0, 2, 3]), torch.zeros(3), atol: 1e-4) is false)
                return NotYet($"For {name} your channels do not have mean 0.", "Take the statistics per channel: over dims 0, 2 and 3, with keepdim: true so they broadcast.");
            return NotYet($"For {name} your values differ from BatchNorm2d's.", "(x − μ_c)/√(σ_c² + ε) per channel c, with the biased variance.");
        }
        return Correct("Your batch norm matches BatchNorm2d in training mode, constant channel included.");
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
