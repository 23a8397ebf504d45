using DlWorkbook.Data;
using TorchSharp;
using TorchSharp.Modules;
using static DlWorkbook.Exercises.Catalogue.Build;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>Notebook 01: linear regression on the Fish market data.</summary>
internal static class Exercises01
{
    public static IEnumerable<CatalogueEntry> All =>
    [
        Entry("01.1", ExerciseKind.CompleteCode, "the MSE gradient in matrix form",
            CodeAnswer.Function<Tensor, Tensor, Tensor, Tensor>("a function (Tensor A, Tensor w, Tensor y) → Tensor",
                "Write L as (1/n)·(Aw − y)ᵀ(Aw − y) and differentiate: the chain rule gives a factor 2 and a factor Aᵀ.",
                MseGradientAgainstAutograd),
            (Func<Tensor, Tensor, Tensor, Tensor>)((A, w, y) => A.T.mm(A.mm(w) - y) / A.shape[0]),
            (Func<Tensor, Tensor, Tensor, Tensor>)((A, w, y) => 2 * A.T.mm(A.mm(w) - y)),
            (Func<Tensor, Tensor, Tensor, Tensor>)((A, w, y) => 2.0 / A.shape[0] * (A.mm(w) - y))),

        Entry("01.2", ExerciseKind.Predict, "a label of the wrong shape",
            Inputs(20, r => r.Between(8, 64),
                n => Inv($"""
                    **Exercise 01.2 · Predict a shape: the label that does not match.** A minibatch of {n} predictions has shape
                    $[{n}, 1]$. By mistake the labels were left as a plain vector of shape $[{n}]$. What is the shape of
                    `prediction - labels`?
                    """),
                n => new ShapeAnswer(() => (torch.zeros(n, 1) - torch.zeros(n)).shape,
                    "The shapes differ, so broadcasting applies: line them up from the right and stretch every axis of length 1 or missing.",
                    (Shape(n, 1), Inv($"That would be right if the labels were [{n}, 1]. Line [{n}, 1] and [{n}] up from the right: what meets the 1?")),
                    (Shape(n), "Broadcasting never removes an axis: the result has as many axes as the longer shape.")),
                n => Shape(n, n)),
            new long[] { 20, 1 }, new long[] { 20 }),

        Entry("01.3", ExerciseKind.ComputeByHand, "minibatches per epoch",
            Inputs(new Batches(50, 16),
                r => new Batches(r.Between(20, 160), r.Pick(8, 10, 16, 20, 25, 32)),
                b => Inv($"""
                    **Exercise 01.3 · Compute by hand: batches per epoch.** A `DataLoader` over the {b.Count} test fish with batch size
                    {b.Size} (no shuffling; incomplete batches are kept). How many minibatches does one epoch have?
                    """),
                b => NumberAnswer.Whole(() =>
                {
                    using var data = torch.utils.data.TensorDataset(torch.zeros(b.Count, 2), torch.zeros(b.Count, 1));
                    using var loader = torch.utils.data.DataLoader(data, b.Size);
                    return loader.Count;
                }, Inv($"Count the full batches of {b.Size}, then ask whether fish are left over."),
                    (b.Count / b.Size, "Count the fish that are left after the full batches: they still form a batch."),
                    ((double)b.Count / b.Size, "A loader hands out whole batches: round up, the last batch is just smaller.")),
                b => (double)((b.Count + b.Size - 1) / b.Size)),
            3L, 3.125, 50L),

        Entry("01.4", ExerciseKind.ComputeByHand, "He initialisation",
            Inputs(new Layer(320, 64),
                r => new Layer(r.Pick(50, 100, 128, 200, 256, 320, 500, 800, 1000, 2000), r.Pick(10, 32, 50, 64, 100, 128)),
                l => Inv($$"""
                    **Exercise 01.4 · Compute by hand: He initialisation.** `Init.He` draws the weights of `nn.Linear({{l.In}}, {{l.Out}})`
                    from a normal distribution with variance $2/n_\text{in}$. What is their standard deviation? Give four decimals.
                    """),
                l => NumberAnswer.Decimals(() => nn.init.calculate_gain(nn.init.NonlinearityType.ReLU) / Math.Sqrt(l.In), 4,
                    "n_in is the number of inputs of the layer; the standard deviation is the square root of the variance.",
                    (2.0 / l.In, "That is the variance 2/n_in; the standard deviation is its square root."),
                    (Math.Sqrt(2.0 / (l.In + l.Out)), "That is Xavier's 2/(n_in + n_out); He uses the number of inputs only."),
                    (Math.Sqrt(2.0 / l.Out), "n_in is the number of inputs, the first argument of nn.Linear.")),
                l => Math.Sqrt(2.0 / l.In)),
            0.00625, 0.0722, 0.1768, 0.079),

        Entry("01.5", ExerciseKind.ComputeByHand, "an MSE by hand",
            Inputs(new Three(2, 5, 3, 3),
                r => new Three(r.Between(0, 9), r.Between(0, 9), r.Between(0, 9), r.Between(1, 8)),
                t => Inv($$"""
                    **Exercise 01.5 · Compute by hand: a mean squared error.** Three targets $y = [{{t.Y1}}, {{t.Y2}}, {{t.Y3}}]$ and a model that
                    predicts $\hat y = [{{t.Predicted}}, {{t.Predicted}}, {{t.Predicted}}]$. What is the MSE? Give three decimals.
                    """),
                t => NumberAnswer.Decimals(() => nn.functional.mse_loss(torch.tensor(new double[] { t.Predicted, t.Predicted, t.Predicted }),
                        torch.tensor(new double[] { t.Y1, t.Y2, t.Y3 })).item<double>(), 3,
                    "Square each error ŷᵢ − yᵢ, then average over the three examples.",
                    (t.Errors.Sum(e => e * e), "That is the sum of the squared errors; the mean divides by the number of examples."),
                    (t.Errors.Average(e => Math.Abs(e)), "That is the mean absolute error: the MSE squares each error before averaging.")),
                t => t.Errors.Average(e => (double)e * e)),
            5.0, 1.0, 2.5),

        Entry("01.6", ExerciseKind.CompleteCode, "one SGD step",
            CodeAnswer.Action<Linear, Tensor, Tensor, double>("a function (Linear net, Tensor X, Tensor y, double lr) that updates net's parameters",
                "w ← w − η·∂L/∂w: subtract lr times p.grad from p, in place (sub_).", OneSgdStep),
            (Action<Linear, Tensor, Tensor, double>)((net, X, y, lr) =>
            {
                var loss = (net.call(X) - y).pow(2).mean();
                net.zero_grad();
                loss.backward();
                using (torch.no_grad()) foreach (var p in net.parameters()) p.add_(lr * p.grad!);
            }),
            (Action<Linear, Tensor, Tensor, double>)((net, X, y, lr) =>
            {
                var loss = (net.call(X) - y).pow(2).mean();
                net.zero_grad();
                loss.backward();
                using (torch.no_grad()) foreach (var p in net.parameters()) p.sub_(p.grad!);
            })),

        Entry("01.7", ExerciseKind.Hyperparameter, "shuffling the loader",
            Choice('B', "in file order the last minibatches of every epoch (Pike, then Smelt) pull the weights towards "
                        + "those species; shuffled, no species has the last word every epoch, so the epoch-end weights sit near w*.",
                "Which fish does the model see last in every epoch, in file order? What changes when that is random?",
                ShuffleEvidence,
                ('A', "The order matters with a constant learning rate: the last few steps of an epoch decide where its weights end up."),
                ('C', "Shuffling does add noise to single steps, but what is its effect on where every epoch ends?"),
                ('D', "Neither the rate nor the data changes, and 0.1 is far below the limit where steps overshoot.")),
            'A', 'C'),

        Entry("01.8", ExerciseKind.Explain, "why z-score the features",
            Choice('A', "the curvatures of the MSE are the eigenvalues of (2/n) AᵀA; with raw features the largest is "
                        + "hundreds of times the smallest, and a rate below 2/κ_max moves the flattest direction hardly at all; "
                        + "z-scored, they are within a factor of about 10.",
                "The largest stable learning rate is set by the steepest direction. How fast does the flattest direction then move?",
                ZScoreEvidence,
                ('B', "Z-scoring only rescales and shifts the inputs: the best fit to the data is the same line, in other units."),
                ('C', "Nothing bounds the weights; the fitted weights for z-scored data need not lie in [−1, 1] either."),
                ('D', "A z-score keeps every fish, outliers included; it only changes the units.")),
            'B', 'C', 'D'),
    ];

    /// <summary>The ratio of the largest to the smallest curvature of the MSE, on raw and on z-scored features.</summary>
    static char ZScoreEvidence(DataCache? cache)
    {
        var frame = FishMarket.Load(cache);
        double Spread(Deedle.Frame<int, string> data)
        {
            var (X, _) = FishMarket.ToTensors(data, FishMarket.Weight, ["Height", "Width"]);
            var A = torch.cat([torch.ones(X.shape[0], 1), X], 1).to(float64);
            var curvatures = torch.linalg.eigvalsh(A.T.mm(A) * torch.tensor(2.0 / X.shape[0], float64));
            return curvatures.max().item<double>() / curvatures.min().item<double>();
        }
        var (raw, scored) = (Spread(frame), Spread(FishMarket.ZScore(frame)));
        return raw > 100 && scored < 20 ? 'A' : 'B';
    }

    sealed record Batches(int Count, int Size);

    sealed record Layer(int In, int Out);

    /// <summary>Three targets and one prediction for all of them.</summary>
    sealed record Three(int Y1, int Y2, int Y3, int Predicted)
    {
        public int[] Errors => [Predicted - Y1, Predicted - Y2, Predicted - Y3];
    }

    static Verdict OneSgdStep(Action<Linear, Tensor, Tensor, double> step)
    {
        var generator = Seeded(1);
        var X = torch.randn(20, 2, generator: generator);
        var y = torch.randn(20, 1, generator: generator);
        var start = torch.randn(1, 2, generator: generator);
        Linear Fresh()
        {
            var layer = nn.Linear(2, 1);
            using (torch.no_grad())
            {
                layer.weight!.copy_(start);
                layer.bias!.fill_(0.5);
            }
            return layer;
        }
        var mine = Fresh();
        var reference = Fresh();
        step(mine, X, y, 0.1);
        var sgd = torch.optim.SGD(reference.parameters(), 0.1);
        sgd.zero_grad();
        nn.functional.mse_loss(reference.call(X), y).backward();
        sgd.step();
        if (Close(mine.weight!, reference.weight!) && Close(mine.bias!, reference.bias!))
            return Correct("One step of your function lands on the same weights as torch.optim.SGD.");
        var gradient = start - reference.weight!.detach();   // lr · ∂L/∂W
        if (Close(mine.weight!.detach(), start))
            return NotYet("The weights did not change.", "Change p itself, in place: p.sub_(…). Assigning to p only changes the loop variable.");
        if (Close(mine.weight!.detach(), start + gradient))
            return NotYet("The weights moved uphill, in the direction of the gradient.", "Subtract, do not add: the gradient points to where the loss grows.");
        if (Close(mine.weight!.detach(), start - 10 * gradient))
            return NotYet("The weights moved 10 times too far.", "Scale the gradient by the learning rate lr.");
        return NotYet("The weights are not where one SGD step puts them.", "w ← w − lr·∂L/∂w for every parameter, with p.grad as ∂L/∂p.");
    }

    static Verdict MseGradientAgainstAutograd(Func<Tensor, Tensor, Tensor, Tensor> gradient)
    {
        var generator = Seeded(2);
        var A = torch.randn(7, 3, dtype: float64, generator: generator);
        var w = torch.randn(3, 1, dtype: float64, generator: generator);
        var y = torch.randn(7, 1, dtype: float64, generator: generator);
        var leaf = w.clone().requires_grad_();
        (A.mm(leaf) - y).pow(2).mean().backward();
        var autograd = leaf.grad!;
        var mine = gradient(A, w, y);
        if (WrongShape(mine, [3, 1], "gradient") is { } shape)
            return NotYet(shape.Message, "The gradient has the shape of w, [3, 1]: Aᵀ is [3, n] and Aw − y is [n, 1].");
        if (Close(mine, autograd)) return Correct("Your gradient equals autograd's: ∇L(w) = (2/n) Aᵀ(Aw − y).");
        if (Close(mine, autograd / 2)) return NotYet("Yours is half of autograd's.", "The derivative of a square u² is 2u.");
        if (Close(mine, autograd * 7)) return NotYet("Yours is n = 7 times autograd's.", "L is a mean over the n rows: divide by n.");
        if (Close(mine, -autograd)) return NotYet("Yours has the opposite sign of autograd's.", "The residual is Aw − y, prediction minus label.");
        return NotYet("Your gradient differs from autograd's.", "Differentiate (1/n)·(Aw − y)ᵀ(Aw − y) with respect to w: chain rule through Aw − y.");
    }

    /// <summary>Ten shuffled runs against the file-order run, on the notebook's data and settings.</summary>
    static char ShuffleEvidence(DataCache? cache)
    {
        var (X, y) = FishMarket.ToTensors(FishMarket.ZScore(FishMarket.Load(cache)), FishMarket.Weight, ["Height", "Width"]);
        var fileOrder = Train(X, y, shuffleSeed: null);
        var shuffled = Enumerable.Range(0, 10).Select(seed => Train(X, y, (ulong)seed)).Average();
        return fileOrder > 0.25 && shuffled < 0.22 ? 'B' : shuffled > fileOrder ? 'C' : 'A';
    }

    static double Train(Tensor X, Tensor y, ulong? shuffleSeed)
    {
        var generator = Seeded(42);
        var w = (torch.randn(2, 1, generator: generator) * Math.Sqrt(2.0 / 2)).requires_grad_();
        var b = torch.zeros(1).requires_grad_();
        var order = shuffleSeed is { } seed ? Seeded(seed) : null;
        for (var epoch = 0; epoch < 20; epoch++)
        {
            var rows = order is null ? torch.arange(159) : torch.randperm(159, generator: order);
            for (var start = 0; start < 159; start += 20)
            {
                var batch = rows[start..Math.Min(start + 20, 159)];
                (X.index_select(0, batch).mm(w) + b - y.index_select(0, batch)).pow(2).mean().backward();
                using (torch.no_grad())
                {
                    w.sub_(0.1 * w.grad!);
                    b.sub_(0.1 * b.grad!);
                    w.grad!.zero_();
                    b.grad!.zero_();
                }
            }
        }
        using (torch.no_grad()) return (X.mm(w) + b - y).pow(2).mean().item<float>();
    }
}
