using TorchSharp;
using static DlWorkbook.Exercises.Catalogue.Build;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>Notebook 03: multilayer perceptrons.</summary>
internal static class Exercises03
{
    public static IEnumerable<CatalogueEntry> All =>
    [
        Entry("03.1", ExerciseKind.ComputeByHand, "parameters of a deeper MLP",
            Inputs(new Widths(784, 128, 64, 10),
                r => new Widths(r.Pick(20, 64, 100, 784, 3072), r.Pick(32, 64, 128, 256, 512), r.Pick(16, 32, 64, 128), r.Pick(2, 5, 10, 100)),
                w => Inv($"""
                    **Exercise 03.1 · Compute by hand: parameters of an MLP.** How many parameters (weights and biases) does
                    `nn.Sequential(nn.Flatten(), nn.Linear({w.In}, {w.Hidden1}), nn.ReLU(), nn.Linear({w.Hidden1}, {w.Hidden2}), nn.ReLU(), nn.Linear({w.Hidden2}, {w.Out}))` have?
                    """),
                w => NumberAnswer.Whole(() =>
                {
                    using var net = nn.Sequential(nn.Flatten(), nn.Linear(w.In, w.Hidden1), nn.ReLU(), nn.Linear(w.Hidden1, w.Hidden2), nn.ReLU(),
                        nn.Linear(w.Hidden2, w.Out));
                    return net.parameters().Sum(p => p.numel());
                }, "Each Linear(in, out) has in·out weights and out biases; Flatten and ReLU have none.",
                    (w.Weights, "Those are the weights; every Linear layer also has one bias per output."),
                    (w.Weights + w.In + w.Hidden1 + w.Hidden2, "One bias per output of each layer, not per input.")),
                w => (double)(w.Weights + w.Hidden1 + w.Hidden2 + w.Out)),
            784L * 128 + 128 * 64 + 64 * 10, 203_530L),

        Entry("03.2", ExerciseKind.Predict, "the shape of a hidden layer",
            Inputs(new Hidden(64, 784, 128),
                r => new Hidden(r.Pick(8, 16, 32, 64, 100, 256), r.Pick(20, 64, 784, 3072), r.Pick(10, 32, 128, 256, 512)),
                h => Inv($"""
                    **Exercise 03.2 · Predict a shape: the hidden layer.** A batch `X` of shape $[{h.Batch}, {h.In}]$ goes through
                    `nn.Linear({h.In}, {h.Out})` and then `nn.ReLU()`. What is the shape of the result?
                    """),
                h => new ShapeAnswer(() => { using var layer = nn.Linear(h.In, h.Out); return nn.functional.relu(layer.call(torch.zeros(h.Batch, h.In))).shape; },
                    "Linear(in, out) replaces the last axis, in, by out; an activation works element by element.",
                    (Shape(h.Out, h.Batch), "The batch axis stays first: one row per example."),
                    (Shape(h.Batch, h.In), Inv($"The layer maps {h.In} inputs to {h.Out} outputs: the last axis changes."))),
                h => Shape(h.Batch, h.Out)),
            new long[] { 128, 64 }, new long[] { 64, 784 }, new long[] { 128 }),

        Entry("03.3", ExerciseKind.Predict, "two linear layers collapse",
            Inputs(new Collapse(6, 10, 2),
                r => new Collapse(r.Between(2, 12), r.Between(3, 16), r.Between(1, 9)),
                c => Inv($"""
                    **Exercise 03.3 · Predict a shape: the collapsed layer.** `nn.Linear({c.In}, {c.Hidden})` followed by `nn.Linear({c.Hidden}, {c.Out})`,
                    with no activation between them, computes the same as one single linear layer (§3.3 shows why). What is the
                    shape of that single layer's weight matrix, stored the way `nn.Linear` stores its weights?
                    """),
                c => new ShapeAnswer(() => torch.zeros(c.Out, c.Hidden).mm(torch.zeros(c.Hidden, c.In)).shape,
                    "Write down both weight matrices as nn.Linear stores them, [out, in], and multiply them in the order the layers apply.",
                    (Shape(c.In, c.Out), Inv($"nn.Linear stores its weights as [out, in]: this layer maps the {c.In} inputs to {c.Out} outputs.")),
                    (Shape(c.Out, c.Hidden), "That is the second layer's own weight. The single layer replaces both: where do its inputs come from?"),
                    (Shape(c.Hidden, c.In), "That is the first layer's own weight. The single layer replaces both: how many outputs does it have?")),
                c => Shape(c.Out, c.In)),
            new long[] { 6, 2 }, new long[] { 2, 10 }, new long[] { 10, 6 }),

        Entry("03.4", ExerciseKind.ComputeByHand, "XOR without ReLU",
            Inputs(new XorNet(1, -1, 0, -1, 1, 0, 1, 1), DrawXorNet,
                n => Inv($$"""
                    **Exercise 03.4 · Compute by hand: XOR without the ReLU.** Another network with two hidden units solves XOR:
                    $h_1 = \mathrm{ReLU}({{n.Hidden1}})$, $h_2 = \mathrm{ReLU}({{n.Hidden2}})$ and $o = {{n.Output}}$. Leave out the ReLU, so
                    that $h_1 = {{n.Hidden1}}$ and $h_2 = {{n.Hidden2}}$, and keep the rest. On how many of the four XOR examples is the
                    output then wrong (not equal to the target)?
                    """),
                n => NumberAnswer.Whole(() => XorWithoutRelu(
                        torch.tensor(new float[,] { { n.A1, n.B1 }, { n.A2, n.B2 } }), torch.tensor(new float[] { n.C1, n.C2 }), torch.tensor(new float[] { n.V1, n.V2 })),
                    "Work out h₁, h₂ and o for each of the four rows (0, 0), (0, 1), (1, 0), (1, 1) and compare o with the target 0, 1, 1, 0.",
                    (0, "Without the ReLU the network is linear, and no linear model gets all four XOR examples right."),
                    (4, "Some rows do come out right: work out all four outputs.")),
                n => (double)n.WrongWithout()),
            0L, 4L, 1L, 3L),

        Entry("03.5", ExerciseKind.ComputeByHand, "one update of PReLU's slope",
            Inputs(new PreluStep(-1, -2, 3, 0.25, 0.5),
                r =>
                {
                    while (true)
                        if (new PreluStep(r.Between(-3, 3), r.Between(-3, 3), r.Between(-3, 3), r.Pick(0.1, 0.2, 0.25, 0.3), r.Pick(0.1, 0.2, 0.5))
                            is var p && p.Gradient != 0 && p.Inputs.Any(z => z > 0)) return p;
                },
                p => Inv($$"""
                    **Exercise 03.5 · Compute by hand: PReLU learns its slope.** `nn.PReLU(1, {{p.Alpha}})` starts with $\alpha = {{p.Alpha}}$.
                    For the inputs $[{{p.Z1}}, {{p.Z2}}, {{p.Z3}}]$ and the loss $L = \sum_i \mathrm{PReLU}(h_i)$, one SGD step with learning rate
                    {{p.Lr}} updates $\alpha$. What is $\alpha$ after the step? Give two decimals.
                    """),
                p => NumberAnswer.Decimals(() =>
                {
                    using var prelu = nn.PReLU(1, p.Alpha);
                    var sgd = torch.optim.SGD(prelu.parameters(), p.Lr);
                    prelu.call(torch.tensor(p.Inputs.Select(z => (float)z).ToArray())).sum().backward();
                    sgd.step();
                    return prelu.weight.item<float>();
                }, 2, "∂PReLU(z)/∂α is min(z, 0); add it up over the inputs, then α ← α − lr·∂L/∂α.",
                    (p.Alpha + p.Lr * p.Gradient, "Mind the sign: SGD subtracts lr times ∂L/∂α."),
                    (p.Alpha, "α did not move, but ∂L/∂α is not 0: each negative input z adds ∂PReLU(z)/∂α = z, "
                              + "and a positive input adds nothing (it passes unchanged, whatever α is)."),
                    (p.Alpha - p.Gradient, "SGD moves by the learning rate times the gradient, not by the gradient itself."),
                    (p.Alpha - p.Lr * p.Gradient / 3, "L is the sum of the outputs, not their mean: do not divide the gradient by 3.")),
                p => p.Alpha - p.Lr * p.Inputs.Where(z => z < 0).Sum()),
            -1.25, 0.25, 3.25, 0.75, 1.0),

        Entry("03.6", ExerciseKind.ComputeByHand, "vanishing gradients through sigmoids",
            Inputs(6, r => r.Between(3, 12),
                layers => Inv($$"""
                    **Exercise 03.6 · Compute by hand: a vanishing gradient.** The derivative of the sigmoid is at most
                    $\sigma'(0)$. Back-propagation through {{layers}} sigmoid layers multiplies {{layers}} such factors. What is the largest
                    value their product can have? (Three significant digits are enough.)
                    """),
                layers => NumberAnswer.Relative(() =>
                {
                    var z = torch.zeros(1).requires_grad_();
                    torch.sigmoid(z).sum().backward();
                    return Math.Pow(z.grad!.item<float>(), layers);
                }, 0.005, Inv($"σ'(z) = σ(z)(1 − σ(z)) is largest at z = 0; the chain rule multiplies the {layers} factors."),
                    (layers * 0.25, "The chain rule multiplies the factors of the layers; it does not add them."),
                    (0.25, Inv($"That is one layer's factor; there are {layers}."))),
                layers => Math.Pow(0.25, layers)),
            1.5, 0.25, 0.5),

        Entry("03.7", ExerciseKind.CompleteCode, "an MLP of any depth",
            CodeAnswer.Function<Tensor, Tensor[], Tensor[], Tensor>("a function (Tensor X, Tensor[] Ws, Tensor[] bs) → Tensor",
                "Loop over the layers: H ← H Wᵢᵀ + bᵢ, then ReLU, except after the last layer.", ForwardCases),
            (Func<Tensor, Tensor[], Tensor[], Tensor>)((X, Ws, bs) =>
            {
                var H = X;
                for (var i = 0; i < Ws.Length; i++) H = H.mm(Ws[i].T) + bs[i];
                return H;
            }),
            (Func<Tensor, Tensor[], Tensor[], Tensor>)((X, Ws, bs) =>
            {
                var H = X;
                for (var i = 0; i < Ws.Length; i++) H = nn.functional.relu(H.mm(Ws[i].T) + bs[i]);
                return H;
            }),
            (Func<Tensor, Tensor[], Tensor[], Tensor>)((X, Ws, bs) => nn.functional.relu(X.mm(Ws[0].T) + bs[0]).mm(Ws[^1].T) + bs[^1])),

        Entry("03.8", ExerciseKind.Explain, "why deep sigmoid stacks train slowly",
            Choice('A', "back-propagation multiplies one activation derivative per layer; σ'(z) = σ(z)(1 − σ(z)) is at most "
                        + "0.25, so ten of them shrink the gradient by 0.25¹⁰ ≈ 10⁻⁶ or more, while ReLU' = 1 wherever a unit is active.",
                "The chain rule multiplies one factor per layer. What is the largest value of each activation's derivative?",
                SigmoidStackEvidence,
                ('B', "The speed of a step does not change the size of the gradient a step computes."),
                ('C', "The sigmoid is never negative: its outputs lie between 0 and 1."),
                ('D', "An activation has no parameters; the two stacks have exactly the same weights.")),
            'B', 'C', 'D'),
    ];

    sealed record Widths(int In, int Hidden1, int Hidden2, int Out)
    {
        public long Weights => (long)In * Hidden1 + (long)Hidden1 * Hidden2 + (long)Hidden2 * Out;
    }

    sealed record Hidden(int Batch, int In, int Out);

    sealed record Collapse(int In, int Hidden, int Out);

    /// <summary>h₁ = ReLU(a₁x₁ + b₁x₂ + c₁), h₂ = ReLU(a₂x₁ + b₂x₂ + c₂), o = v₁h₁ + v₂h₂, with whole-number weights.</summary>
    sealed record XorNet(int A1, int B1, int C1, int A2, int B2, int C2, int V1, int V2)
    {
        static readonly (int X1, int X2, int Target)[] Rows = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)];

        public string Hidden1 => Linear((A1, "x_1"), (B1, "x_2"), (C1, ""));

        public string Hidden2 => Linear((A2, "x_1"), (B2, "x_2"), (C2, ""));

        public string Output => Linear((V1, "h_1"), (V2, "h_2"));

        int Out(int x1, int x2, bool relu)
        {
            int Act(int z) => relu ? Math.Max(z, 0) : z;
            return V1 * Act(A1 * x1 + B1 * x2 + C1) + V2 * Act(A2 * x1 + B2 * x2 + C2);
        }

        public bool SolvesXor => Rows.All(r => Out(r.X1, r.X2, relu: true) == r.Target);

        public int WrongWithout() => Rows.Count(r => Out(r.X1, r.X2, relu: false) != r.Target);

        /// <summary>A sum of terms as LaTeX: (1, "x_1"), (−1, "x_2"), (0, "") → "x_1 - x_2".</summary>
        static string Linear(params (int Coefficient, string Name)[] terms)
        {
            var text = "";
            foreach (var (c, name) in terms.Where(t => t.Coefficient != 0))
            {
                var size = Math.Abs(c) == 1 && name.Length > 0 ? "" : Math.Abs(c).ToString(System.Globalization.CultureInfo.InvariantCulture);
                text += text.Length == 0 ? (c < 0 ? "-" : "") + size + name : (c < 0 ? " - " : " + ") + size + name;
            }
            return text.Length == 0 ? "0" : text;
        }
    }

    /// <summary>Small whole-number weights, drawn until the network with its ReLU gets all four XOR rows right.</summary>
    static XorNet DrawXorNet(Random r)
    {
        while (true)
        {
            var net = new XorNet(r.Between(-2, 2), r.Between(-2, 2), r.Between(-2, 1), r.Between(-2, 2), r.Between(-2, 2), r.Between(-2, 1),
                r.Between(-2, 2), r.Between(-2, 2));
            if (net.SolvesXor) return net;
        }
    }

    /// <summary>SGD on PReLU's α for three inputs and the loss Σ PReLU(zᵢ).</summary>
    sealed record PreluStep(int Z1, int Z2, int Z3, double Alpha, double Lr)
    {
        public int[] Inputs => [Z1, Z2, Z3];

        public double Gradient => Inputs.Where(z => z < 0).Sum();
    }

    /// <summary>How many of the four XOR rows a network without its ReLU gets wrong: o = (X Whᵀ + bh) wo.</summary>
    internal static long XorWithoutRelu(Tensor Wh, Tensor bh, Tensor wo)
    {
        var X = torch.tensor(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var target = torch.tensor(new float[] { 0, 1, 1, 0 });
        var output = (X.mm(Wh.T) + bh).mv(wo);
        return output.ne(target).sum().item<long>();
    }

    static Verdict ForwardCases(Func<Tensor, Tensor[], Tensor[], Tensor> forward)
    {
        var generator = Seeded(4);
        var X = torch.randn(4, 5, generator: generator);
        foreach (var widths in new[] { new long[] { 5, 3 }, [5, 6, 3], [5, 6, 4, 3] })
        {
            var Ws = widths.Zip(widths.Skip(1)).Select(p => torch.randn(p.Second, p.First, generator: generator)).ToArray();
            var bs = widths.Skip(1).Select(w => torch.randn(w, generator: generator)).ToArray();
            var layers = new List<nn.Module<Tensor, Tensor>>();
            for (var i = 0; i < Ws.Length; i++)
            {
                var linear = nn.Linear(widths[i], widths[i + 1]);
                using (torch.no_grad()) { linear.weight!.copy_(Ws[i]); linear.bias!.copy_(bs[i]); }
                layers.Add(linear);
                if (i < Ws.Length - 1) layers.Add(nn.ReLU());
            }
            using var mlp = nn.Sequential(layers);
            var want = mlp.call(X);
            var got = forward(X, Ws, bs);
            var name = $"{Ws.Length} layer{(Ws.Length == 1 ? "" : "s")} ({string.Join(" → ", widths)})";
            if (WrongShape(got, [4, 3], $"output for {name}") is { } shape) return shape;
            if (Close(got, want)) continue;
            var linearOnly = Ws.Zip(bs).Aggregate(X, (h, layer) => h.mm(layer.First.T) + layer.Second);
            if (Ws.Length > 1 && Close(got, linearOnly))
                return NotYet($"For {name} your output is a linear function of X.", "Apply ReLU after every layer but the last, or the layers collapse into one.");
            if (Close(got, nn.functional.relu(want)))
                return NotYet($"For {name} your logits are never negative.", "No activation after the last layer: logits may be any number.");
            return NotYet($"Your logits for {name} differ from nn.Sequential's.",
                "H ← ReLU(H Wᵢᵀ + bᵢ) for every layer but the last, which is H Wᵢᵀ + bᵢ alone; the weights are [out, in], hence the transposes.");
        }
        return Correct("Your forward pass gives the same logits as nn.Sequential with one, two and three Linear layers and ReLU between them.");
    }

    /// <summary>Ten layers with identity weights: the gradient at the input through sigmoids and through ReLUs.</summary>
    static char SigmoidStackEvidence(DlWorkbook.Data.DataCache? _)
    {
        var start = torch.rand(1, 16, generator: Seeded(9)) + torch.tensor(0.1f);   // positive, so every ReLU unit is active
        double Norm(Func<Tensor, Tensor> activation)
        {
            var x = start.clone().requires_grad_();
            var h = x;
            for (var layer = 0; layer < 10; layer++) h = activation(h.mm(torch.eye(16)));
            h.sum().backward();
            return x.grad!.abs().max().item<float>();
        }
        var (sigmoid, relu) = (Norm(t => torch.sigmoid(t)), Norm(t => nn.functional.relu(t)));
        return sigmoid <= Math.Pow(0.25, 10) && Math.Abs(relu - 1) < 1e-6 ? 'A' : 'D';
    }
}
