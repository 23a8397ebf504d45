using DlWorkbook.Data;
using DlWorkbook.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static DlWorkbook.Exercises.Catalogue.Build;
using static TorchSharp.torch;
using Kind = DlWorkbook.Exercises.ExerciseKind;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>
/// Notebook 08: the mock exam. Every number in it is exact, computed by hand in the worked solutions and by
/// TorchSharp in the checks, never a training result.
/// </summary>
internal static class MockExam08
{
    static readonly Lazy<IReadOnlyList<ExamQuestion>> questions = new(() =>
    [
        Q1(), Q2(), Q3(), Q4(), Q5(), Q6(), Q7(), Q8(), Q9(), Q10(), Q11(), Q12(), Q13(), Q14(), Q15(), Q16(), Q17(), Q18(), Q19(), Q20(),
        Q21(), Q22(), Q23(),
    ]);

    public static IReadOnlyList<ExamQuestion> Questions => questions.Value;

    static ExamQuestionBuilder<T> Question<T>(int number, int topic, string heading, T shipped, Func<Random, T> draw, Func<T, string> stem)
        where T : notnull => new(number, topic, heading, shipped, draw, stem);

    static double Value(Tensor t) => t.to_type(ScalarType.Float64).item<double>();

    // ── Topic 0: tensors and training ───────────────────────────────────────────────────────────────────────────────

    sealed record Grid(int Rows, int Columns);

    static ExamQuestion Q1() => Question(1, 0, "Tensors and broadcasting", new Grid(3, 4),
            r => new Grid(r.Between(2, 6), r.Between(3, 7)),
            g => Inv($"`A = torch.arange({g.Rows * g.Columns}).reshape({g.Rows}, {g.Columns})` and `b = torch.arange({g.Columns})`: both hold whole numbers."))
        .Ask(1, Kind.Predict, "§0.2", g => "What is the shape of `A + b`?",
            g => new ShapeAnswer(() => (torch.arange(g.Rows * g.Columns).reshape(g.Rows, g.Columns) + torch.arange(g.Columns)).shape,
                "Line the shapes up from the right; a missing axis counts as length 1 and is stretched.",
                (Shape(g.Columns), "Broadcasting stretches b to every row of A: the result has A's shape."),
                (Shape(g.Rows), "Line the shapes up from the right: b's length meets A's last axis.")),
            g => Shape(g.Rows, g.Columns),
            new long[] { 4 }, new long[] { 4, 3 })
        .Ask(1, Kind.Predict, "§0.2", g => "What is the shape of `A.T.mm(A)`?",
            g => new ShapeAnswer(() => { var A = torch.arange(g.Rows * g.Columns, dtype: float32).reshape(g.Rows, g.Columns); return A.T.mm(A).shape; },
                "Aᵀ swaps the two axes; [a, b] × [b, c] gives [a, c].",
                (Shape(g.Rows, g.Rows), "That is A Aᵀ. Aᵀ comes first here: write down its shape, then multiply."),
                (Shape(g.Columns, g.Rows), "That is the shape of Aᵀ alone; the product with A has the outer lengths of both.")),
            g => Shape(g.Columns, g.Columns),
            new long[] { 3, 3 }, new long[] { 3, 4 })
        .Ask(2, Kind.ComputeByHand, "§0.2", g => Inv($"What is the value of `(A + b)[{g.Rows - 1}, {g.Columns - 1}]`?"),
            g => NumberAnswer.Whole(() =>
                    Value((torch.arange(g.Rows * g.Columns).reshape(g.Rows, g.Columns) + torch.arange(g.Columns))[g.Rows - 1, g.Columns - 1]),
                "A holds 0, 1, 2, … row by row, so A[i, j] = i·columns + j; b[j] = j is added to column j.",
                (g.Rows * g.Columns - 1, "That is A's entry alone: b is added to it."),
                ((g.Rows - 1) * g.Columns + g.Columns - 1 + g.Rows - 1, "b is indexed by the column, not by the row.")),
            g => (double)((g.Rows - 1) * g.Columns + 2 * (g.Columns - 1)),
            11L, 13L, 20L)
        .Explain("§0.2",
            "Broadcasting lines the shapes up from the right: b's length 4 meets A's last axis of 4. The axis b lacks counts as "
            + "length 1 and is stretched to A's 3 rows, so b is added to every row of A.",
            ("lines the shapes up from the right, so b's length meets A's last axis", 1),
            ("the missing axis counts as length 1 and is stretched (repeated), so b is added to every row", 1))
        .Done();

    sealed record Descent(int X, int Y, double W, double Lr)
    {
        public double Gradient => 2 * (W * X - Y) * X;

        public double Next => W - Lr * Gradient;
    }

    static ExamQuestion Q2() => Question(2, 0, "Gradient descent by hand", new Descent(2, 6, 1, 0.1),
            r =>
            {
                while (true)
                    if (new Descent(r.Between(1, 3), r.Between(1, 9), r.Between(-2, 3), r.Pick(0.01, 0.02, 0.05)) is var d && d.W * d.X != d.Y) return d;
            },
            d => Inv($$"""
                For one example with $x = {{d.X}}$ and $y = {{d.Y}}$ the loss is $L(w) = (wx - y)^2$. Gradient descent starts at
                $w = {{d.W}}$ with learning rate $\eta = {{d.Lr}}$.
                """))
        .Ask(2, Kind.ComputeByHand, "§0.3", d => "What is $\\frac{dL}{dw}$ at the start?",
            d => NumberAnswer.Decimals(() =>
            {
                var w = torch.tensor(d.W, float64).requires_grad_();
                (w * torch.tensor((double)d.X) - torch.tensor((double)d.Y)).square().backward();
                return Value(w.grad!);
            }, 2, "Chain rule: the derivative of u² is 2u, and u = wx − y has derivative x.",
                (2.0 * (d.W * d.X - d.Y), "Multiply by the inner derivative too: d(wx − y)/dw = x."),
                (-d.Gradient, "Mind the sign of wx − y at the start.")),
            d => d.Gradient,
            -8.0, 16.0)
        .Ask(2, Kind.ComputeByHand, "§0.3", d => "What is $w$ after one step? Give two decimals.",
            d => NumberAnswer.Decimals(() =>
            {
                var w = new Parameter(torch.tensor(new[] { d.W }));
                var sgd = torch.optim.SGD([w], d.Lr);
                (w * torch.tensor((double)d.X) - torch.tensor((double)d.Y)).square().sum().backward();
                sgd.step();
                return Value(w[0]);
            }, 2, "w ← w − η·dL/dw.",
                (d.W + d.Lr * d.Gradient, "Step against the gradient: subtract η times it."),
                (d.W - d.Gradient, "Scale the gradient by the learning rate.")),
            d => d.Next,
            -0.6, 17.0)
        .Ask(2, Kind.ComputeByHand, "§0.3", d => "What is the loss after that step? Give two decimals.",
            d => NumberAnswer.Decimals(() => Value((torch.tensor(d.Next, float64) * torch.tensor((double)d.X) - torch.tensor((double)d.Y)).square()), 2,
                "Put the new w into L(w) = (wx − y)².",
                ((d.W * d.X - d.Y) * (d.W * d.X - d.Y), "That is the loss before the step."),
                (d.Next * d.X - d.Y, "Square the error: L is (wx − y)².")),
            d => (d.Next * d.X - d.Y) * (d.Next * d.X - d.Y),
            16.0, -0.8)
        .Choose(2, Kind.Hyperparameter, "§0.3, §4.7",
            Choice('C', "the curvature is d²L/dw² = 2x² = 8, so steps are stable only for η < 2/8 = 0.25; with η = 0.3 each step "
                        + "multiplies the distance to the minimum by 1 − 0.3 · 8 = −1.4.",
                "How does one step change the distance to the minimum? Work out the curvature d²L/dw² first.",
                _ =>
                {
                    var (w, steps) = (1.0, new List<double>());
                    for (var i = 0; i < 20; i++) { w -= 0.3 * 2 * (2 * w - 6) * 2; steps.Add(Math.Abs(w - 3)); }
                    return steps.Zip(steps.Skip(1)).All(p => p.Second > p.First) ? 'C' : steps[^1] < 1e-6 ? 'A' : 'B';
                },
                ('A', "Below the limit 2/curvature a larger rate is faster. Is 0.3 below it?"),
                ('B', "That is what happens between 1/curvature and 2/curvature. Where is 0.3?"),
                ('D', "One step lands exactly on the minimum only for η = 1/curvature.")),
            'A', 'B')
        .Done();

    // ── Topic 1: linear regression ─────────────────────────────────────────────────────────────────────────────────

    /// <summary>Targets at x = 0, 1, 2 and their least-squares line.</summary>
    sealed record Line(int Y0, int Y1, int Y2)
    {
        public double Slope => (Y2 - Y0) / 2.0;

        public double Intercept => (Y0 + Y1 + Y2) / 3.0 - Slope;

        public double Mse => new[] { Y0 - Intercept, Y1 - Intercept - Slope, Y2 - Intercept - 2 * Slope }.Average(r => r * r);
    }

    /// <summary>w = (AᵀA)⁻¹Aᵀy, from the normal equations.</summary>
    static Tensor Fit(Line l)
    {
        var A = torch.tensor(new double[,] { { 1, 0 }, { 1, 1 }, { 1, 2 } });
        var y = torch.tensor(new double[,] { { l.Y0 }, { l.Y1 }, { l.Y2 } });
        return torch.linalg.solve(A.T.mm(A), A.T.mm(y));
    }

    static ExamQuestion Q3() => Question(3, 1, "Least squares", new Line(1, 3, 4),
            r =>
            {
                while (true)
                    if (new Line(r.Between(0, 9), r.Between(0, 9), r.Between(0, 9)) is var l && l.Mse > 0.01 && l.Slope != 0) return l;
            },
            l => Inv($$"""
                Three points $(x, y)$: $(0, {{l.Y0}})$, $(1, {{l.Y1}})$ and $(2, {{l.Y2}})$. The model is $\hat y = w_0 + w_1 x$, fitted by least
                squares with the design matrix $A = [\mathbf 1, \mathbf x]$.
                """))
        .Ask(1, Kind.Predict, "§1.3", l => "What is the shape of $A$?",
            l => new ShapeAnswer(() => torch.stack([torch.ones(3), torch.tensor(new float[] { 0, 1, 2 })], 1).shape,
                "One row per example, one column per weight.",
                (Shape(2, 3), "One row per example: the examples run down the rows."),
                (Shape(3), "A has a column of ones and a column of x: two columns.")),
            l => Shape(3, 2),
            new long[] { 2, 3 }, new long[] { 3 })
        .Ask(2, Kind.ComputeByHand, "§1.3", l => "What is the fitted slope $w_1$? Give two decimals.",
            l => NumberAnswer.Decimals(() => Value(Fit(l)[1, 0]), 2,
                "Solve the normal equations AᵀA w = Aᵀy, or use w₁ = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)².",
                (l.Y2 - l.Y0, "Divide by Σ(x − x̄)² = 2."),
                (l.Y1 - l.Y0, "That is the slope through the first two points only; least squares uses all three.")),
            l => l.Slope,
            3.0, 2.0)
        .Ask(2, Kind.ComputeByHand, "§1.3", l => "What is the fitted intercept $w_0$? Give two decimals.",
            l => NumberAnswer.Decimals(() => Value(Fit(l)[0, 0]), 2,
                "The least-squares line passes through the mean point (x̄, ȳ): w₀ = ȳ − w₁x̄.",
                (l.Y0, "The line need not pass through the first point; it passes through the mean point (x̄, ȳ)."),
                ((l.Y0 + l.Y1 + l.Y2) / 3.0, "That is ȳ; subtract w₁x̄.")),
            l => l.Intercept,
            1.0, 2.67)
        .Ask(2, Kind.ComputeByHand, "§1.8", l => "What is the mean squared error of the fitted line on the three points? Give three decimals.",
            l => NumberAnswer.Decimals(() =>
            {
                var A = torch.tensor(new double[,] { { 1, 0 }, { 1, 1 }, { 1, 2 } });
                var y = torch.tensor(new double[,] { { l.Y0 }, { l.Y1 }, { l.Y2 } });
                return Value(nn.functional.mse_loss(A.mm(Fit(l)), y));
            }, 3, "Work out the three residuals y − ŷ, square them and average.",
                (3 * l.Mse, "That is the sum of the squared residuals; the mean divides by 3."),
                (Math.Sqrt(l.Mse), "That is the root of the MSE.")),
            l => l.Mse,
            0.167, 0.236)
        .Done();

    sealed record Loader(int Count, int Batch, int Epochs)
    {
        public int Batches => (Count + Batch - 1) / Batch;
    }

    static ExamQuestion Q4() => Question(4, 1, "Minibatches", new Loader(1000, 64, 5),
            r =>
            {
                while (true)
                    if (new Loader(r.Between(100, 2000), r.Pick(16, 32, 50, 64, 100, 128), r.Between(2, 10)) is var l && l.Count % l.Batch != 0) return l;
            },
            l => Inv($"A `DataLoader` hands out {l.Count:N0} training examples in minibatches of {l.Batch}, shuffled, keeping the last, smaller batch."))
        .Ask(1, Kind.ComputeByHand, "§1.5", l => "How many minibatches does one epoch have?",
            l => NumberAnswer.Whole(() =>
            {
                using var data = torch.utils.data.TensorDataset(torch.zeros(l.Count, 1));
                using var loader = torch.utils.data.DataLoader(data, l.Batch);
                return loader.Count;
            }, "Count the full batches, then the examples left over.",
                (l.Count / l.Batch, "The examples left after the full batches form one more, smaller batch."),
                ((double)l.Count / l.Batch, "Batches are whole: round up.")),
            l => (double)l.Batches,
            15L, 15.625)
        .Ask(1, Kind.ComputeByHand, "§1.5", l => "How many examples does the last minibatch of an epoch hold?",
            l => NumberAnswer.Whole(() =>
            {
                using var data = torch.utils.data.TensorDataset(torch.zeros(l.Count, 1));
                using var loader = torch.utils.data.DataLoader(data, l.Batch);
                return l.Count - (loader.Count - 1) * l.Batch;
            }, "Subtract the examples of the full batches from all the examples.",
                (l.Batch, "The last batch holds what is left after the full ones.")),
            l => (double)(l.Count % l.Batch),
            64L, 24L)
        .Ask(2, Kind.ComputeByHand, "§1.6", l => Inv($"How many SGD updates does training for {l.Epochs} epochs make?"),
            l => NumberAnswer.Whole(() =>
            {
                using var data = torch.utils.data.TensorDataset(torch.zeros(l.Count, 1));
                using var loader = torch.utils.data.DataLoader(data, l.Batch);
                return l.Epochs * loader.Count;
            }, "One update per minibatch.",
                (l.Epochs * (l.Count / l.Batch), "The last, smaller minibatch makes an update too."),
                (l.Epochs * l.Count, "One update per minibatch, not per example.")),
            l => (double)(l.Epochs * l.Batches),
            75L, 5000L)
        .Explain("§1.9–§1.10",
            "In file order (the Fish data is sorted by species) the same examples come last in every epoch, and the last "
            + "minibatches pull the weights towards them, so each epoch ends biased. Shuffled, every minibatch is a random "
            + "sample, whose gradient is an unbiased estimate of the full gradient, and no group has the last word every epoch.",
            ("in file order the same examples come last every epoch and pull the weights towards them", 1),
            ("a shuffled minibatch is a random sample: its gradient estimates the full gradient without bias", 1))
        .Done();

    // ── Topic 2: softmax regression ─────────────────────────────────────────────────────────────────────────────────

    sealed record Logits(int O0, int O1, int O2, int Label)
    {
        public double[] Values => [O0, O1, O2];

        public double P(int j) => Math.Exp(Values[j]) / Values.Sum(Math.Exp);
    }

    static Tensor Row(Logits l) => torch.tensor(l.Values).reshape(1, 3);

    static ExamQuestion Q5() => Question(5, 2, "Softmax and cross-entropy", new Logits(2, 1, 0, 0),
            r =>
            {
                while (true)
                    if (new Logits(r.Between(-2, 3), r.Between(-2, 3), r.Between(-2, 3), r.Between(0, 2)) is var l && l.Values.Distinct().Count() == 3) return l;
            },
            l => Inv($"A classifier gives one example the logits $\\mathbf o = [{l.O0}, {l.O1}, {l.O2}]$. The example is of class {l.Label}."))
        .Ask(2, Kind.ComputeByHand, "§2.4", l => Inv($"What probability does softmax give class {l.Label}? Give four decimals."),
            l => NumberAnswer.Decimals(() => Value(torch.softmax(Row(l), 1)[0, l.Label]), 4,
                "exp of the class's logit, divided by the sum of the exps of all three.",
                (l.Values[l.Label] / l.Values.Sum(), "Softmax exponentiates the logits before dividing by their sum."),
                (1 - l.P(l.Label), "That is the probability of the other two classes together.")),
            l => l.P(l.Label),
            0.5, 0.3348)
        .Ask(2, Kind.ComputeByHand, "§2.5–§2.6", l => "What is the example's cross-entropy loss (natural logarithm)? Give four decimals.",
            l => NumberAnswer.Decimals(() => Value(nn.functional.cross_entropy(Row(l), torch.tensor(new long[] { l.Label }))), 4,
                "The loss is −log of the probability of the true class.",
                (l.P(l.Label), "That is the probability; the loss is −log of it."),
                (-Math.Log10(l.P(l.Label)), "Use the natural logarithm, ln, not log₁₀.")),
            l => -Math.Log(l.P(l.Label)),
            0.6652, 0.1770)
        .Ask(2, Kind.ComputeByHand, "§2.6", l => Inv($"What is $\\partial L/\\partial o_{l.Label}$, the loss's derivative with respect to the true class's logit? Give four decimals."),
            l => NumberAnswer.Decimals(() =>
            {
                var o = Row(l).requires_grad_();
                nn.functional.cross_entropy(o, torch.tensor(new long[] { l.Label })).backward();
                return Value(o.grad![0, l.Label]);
            }, 4, "For softmax with cross-entropy, ∂L/∂oⱼ = softmax(o)ⱼ − yⱼ, with y the one-hot label.",
                (l.P(l.Label), "Subtract the one-hot label: y is 1 for the true class."),
                (1 - l.P(l.Label), "Mind the sign: raising the true class's logit lowers the loss.")),
            l => l.P(l.Label) - 1,
            0.6652, 0.3348)
        .Explain("§2.7",
            "exp of a large logit overflows float32 (e^89 is already infinite), and infinity divided by infinity is NaN. "
            + "Subtracting the same number c from every logit multiplies every exp by e^(−c), which cancels between the numerator "
            + "and the sum, so the probabilities are unchanged, and now the largest exp is e⁰ = 1.",
            ("exp of large logits overflows float32 to infinity, giving NaN", 1),
            ("subtracting the same number from every logit leaves softmax unchanged, because the factor cancels", 1))
        .Done();

    sealed record Images(int Side, int Channels, int Classes, int Batch);

    static ExamQuestion Q6() => Question(6, 2, "Softmax regression on images", new Images(28, 1, 10, 256),
            r => new Images(r.Pick(16, 28, 32, 64), r.Pick(1, 3), r.Pick(2, 5, 10, 100), r.Pick(32, 64, 128, 256)),
            i => Inv($$"""
                Softmax regression classifies ${{i.Side}} \times {{i.Side}}$ images with {{i.Channels}} channel{{(i.Channels == 1 ? "" : "s")}} into {{i.Classes}} classes:
                `nn.Sequential(nn.Flatten(), nn.Linear(d, q))`, in minibatches of {{i.Batch}}.
                """))
        .Ask(1, Kind.Predict, "§2.3", i => "What is the shape of the weight matrix of the `Linear` layer?",
            i => new ShapeAnswer(() => { using var layer = nn.Linear(i.Channels * i.Side * i.Side, i.Classes); return layer.weight!.shape; },
                "nn.Linear stores its weight as [out, in]; d is the number of values in one flattened image.",
                (Shape(i.Channels * i.Side * i.Side, i.Classes), "nn.Linear stores [out, in]: one row per class."),
                (Shape(i.Classes, i.Side, i.Side), "Flatten turns each image into one vector of d values: the weight has two axes.")),
            i => Shape(i.Classes, i.Channels * i.Side * i.Side),
            new long[] { 784, 10 }, new long[] { 10, 28, 28 })
        .Ask(1, Kind.ComputeByHand, "§2.3", i => "How many parameters does the model have?",
            i => NumberAnswer.Whole(() =>
            {
                using var net = nn.Sequential(nn.Flatten(), nn.Linear(i.Channels * i.Side * i.Side, i.Classes));
                return net.parameters().Sum(p => p.numel());
            }, "d·q weights and q biases.",
                ((double)i.Channels * i.Side * i.Side * i.Classes, "The layer has one bias per class too.")),
            i => (double)(i.Channels * i.Side * i.Side + 1) * i.Classes,
            7840L)
        .Ask(1, Kind.Predict, "§2.3", i => "What is the shape of the logits of one minibatch?",
            i => new ShapeAnswer(() =>
            {
                using var net = nn.Sequential(nn.Flatten(), nn.Linear(i.Channels * i.Side * i.Side, i.Classes));
                return net.call(torch.zeros(i.Batch, i.Channels, i.Side, i.Side)).shape;
            }, "One row per example, one column per class.",
                (Shape(i.Classes, i.Batch), "One row per example: [batch, classes]."),
                (Shape(i.Batch, i.Channels * i.Side * i.Side), "The layer maps the d pixel values to q class scores.")),
            i => Shape(i.Batch, i.Classes),
            new long[] { 10, 256 })
        .Choose(2, Kind.Predict, "§2.4, §2.8",
            Choice('B', "doubling keeps the order of the logits in each row, so the predicted class, and the accuracy, stay; "
                        + "softmax does depend on their differences, which double, so the probabilities and the loss change.",
                "Which class has the largest logit after doubling? And does softmax see differences between logits?",
                _ =>
                {
                    var logits = torch.tensor(new float[,] { { 0.5f, 1.5f, -1f }, { 2f, 0f, 1f } });
                    var labels = torch.tensor(new long[] { 1, 2 });
                    var doubled = logits * torch.tensor(2f);
                    var sameClasses = logits.argmax(1).eq(doubled.argmax(1)).all().item<bool>();
                    var (before, after) = (nn.functional.cross_entropy(logits, labels).item<float>(), nn.functional.cross_entropy(doubled, labels).item<float>());
                    return sameClasses && Math.Abs(after - before) > 1e-3 ? (Math.Abs(after - 2 * before) < 1e-3 ? 'D' : 'B') : 'C';
                },
                ('A', "The predicted class is the largest logit. Does doubling change which one is largest?"),
                ('C', "Softmax does not change when the same number is added to every logit; multiplying changes their differences."),
                ('D', "The loss is −log of a probability; work one example out before and after.")),
            'C', 'A')
        .Done();

    // ── Topic 3: multilayer perceptrons ──────────────────────────────────────────────────────────────────────────────

    /// <summary>h = ReLU(w₁x + b₁), o = w₂h + b₂, L = (o − y)².</summary>
    sealed record Tiny(double X, double W1, double B1, double W2, double B2, double Y)
    {
        public double Z => W1 * X + B1;

        public double H => Math.Max(Z, 0);

        public double O => W2 * H + B2;

        public double DLdO => 2 * (O - Y);
    }

    static (Tensor W1, Tensor W2, Tensor Loss) Forward(Tiny t)
    {
        var w1 = torch.tensor(t.W1, float64).requires_grad_();
        var w2 = torch.tensor(t.W2, float64).requires_grad_();
        var h = nn.functional.relu(w1 * torch.tensor(t.X, float64) + torch.tensor(t.B1, float64));
        var o = w2 * h + torch.tensor(t.B2, float64);
        var loss = (o - torch.tensor(t.Y, float64)).square();
        loss.backward();
        return (w1, w2, o);
    }

    static ExamQuestion Q7() => Question(7, 3, "Back-propagation by hand", new Tiny(2, 1.5, -1, -2, 0.5, 1),
            r =>
            {
                while (true)
                    if (new Tiny(r.Between(1, 3), r.Step(-2, 2, 0.5), r.Step(-2, 2, 0.5), r.Step(-2, 2, 0.5), r.Step(-1, 1, 0.5), r.Between(-2, 2)) is var t
                        && t.Z > 0 && t.W2 != 0 && t.O != t.Y) return t;
            },
            t => Inv($$"""
                A network with one hidden unit, `nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 1))`, computes
                $h = \mathrm{ReLU}(w_1 x + b_1)$ and $o = w_2 h + b_2$; the loss of one example is $L = (o - y)^2$. Its parameters are
                $w_1 = {{t.W1}}$, $b_1 = {{t.B1}}$, $w_2 = {{t.W2}}$ and $b_2 = {{t.B2}}$; the example is $x = {{t.X}}$ with target $y = {{t.Y}}$.
                """))
        .Ask(1, Kind.Predict, "§3.2", t => "What is the shape of the network's output for a minibatch of 8 examples, `torch.zeros(8, 1)`?",
            t => new ShapeAnswer(() =>
            {
                using var net = nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 1));
                return net.call(torch.zeros(8, 1)).shape;
            }, "Each Linear(in, out) maps [batch, in] to [batch, out]; the batch axis stays.",
                (Shape(8), "nn.Linear keeps the feature axis: one feature per example in, one out."),
                (Shape(1, 8), "The batch axis stays first: one row per example.")),
            t => Shape(8, 1),
            new long[] { 8 }, new long[] { 1, 8 })
        .Ask(1, Kind.ComputeByHand, "§3.2", t => "How many parameters does the network have?",
            t => NumberAnswer.Whole(() =>
            {
                using var net = nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 1));
                return net.parameters().Sum(p => p.numel());
            }, "Each Linear(in, out) has in·out weights and out biases; ReLU has none.",
                (2, "Each Linear layer has a bias too."),
                (5, "ReLU has no parameters.")),
            t => 4.0,
            2L, 5L)
        .Ask(1, Kind.ComputeByHand, "§3.6", t => "What is the output $o$ for the example? Give two decimals.",
            t => NumberAnswer.Decimals(() => Value(Forward(t).Loss), 2, "Forward: z = w₁x + b₁, h = ReLU(z), o = w₂h + b₂.",
                (t.W2 * t.H, "Add the output bias b₂."),
                (t.W2 * t.W1 * t.X + t.B2, "Add b₁ inside the ReLU.")),
            t => t.O,
            -4.0, -5.5, 1.0)
        .Ask(2, Kind.ComputeByHand, "§3.6", t => "What is $\\partial L/\\partial w_2$? Give two decimals.",
            t => NumberAnswer.Decimals(() => Value(Forward(t).W2.grad!), 2, "∂L/∂w₂ = ∂L/∂o · ∂o/∂w₂ = 2(o − y) · h.",
                (t.DLdO, "Multiply by ∂o/∂w₂ = h."),
                (t.DLdO * t.W2, "That is ∂L/∂h; the weight's derivative multiplies by h, ∂o/∂w₂ = h.")),
            t => t.DLdO * t.H,
            -9.0, 18.0)
        .Ask(3, Kind.ComputeByHand, "§3.6", t => "What is $\\partial L/\\partial w_1$? Give two decimals.",
            t => NumberAnswer.Decimals(() => Value(Forward(t).W1.grad!), 2,
                "Chain rule back through every step: ∂L/∂o · ∂o/∂h · ∂h/∂z · ∂z/∂w₁ = 2(o − y) · w₂ · ReLU'(z) · x.",
                (t.DLdO * t.W2, "Multiply by ∂z/∂w₁ = x as well."),
                (t.DLdO * t.X, "The path from w₁ to o passes through w₂: multiply by ∂o/∂h = w₂."),
                (-t.DLdO * t.W2 * t.X, "Mind the signs of o − y and of w₂.")),
            t => t.DLdO * t.W2 * t.X,
            18.0, -18.0)
        .Explain("§3.4, §3.6",
            "Then z = w₁x + b₁ = 1.5 · 2 − 4 = −1 is negative, so the ReLU outputs h = 0 and its derivative there is 0. Every "
            + "path from L back to w₁ (and b₁) passes through that derivative, so ∂L/∂w₁ = 0: this example gives the hidden "
            + "unit no gradient at all (a dead ReLU for this input).",
            ("z = w₁x + b₁ = −1 is negative, so h = 0", 1),
            ("ReLU's derivative is 0 there, so ∂L/∂w₁ = 0: no gradient flows back to w₁", 1))
        .Done();

    sealed record Colour(int Batch, int Side, int Hidden, int Classes)
    {
        public int Inputs => 3 * Side * Side;
    }

    static ExamQuestion Q8() => Question(8, 3, "An MLP on colour images", new Colour(32, 32, 512, 10),
            r => new Colour(r.Pick(8, 16, 32, 64), r.Pick(16, 24, 32), r.Pick(64, 128, 256, 512), r.Pick(2, 10, 100)),
            c => Inv($"A minibatch of colour images, $[{c.Batch}, 3, {c.Side}, {c.Side}]$, goes through ")
                     + Inv($"`nn.Sequential(nn.Flatten(), nn.Linear({c.Inputs}, {c.Hidden}), nn.ReLU(), nn.Linear({c.Hidden}, {c.Classes}))`."))
        .Ask(1, Kind.Predict, "§3.5", c => "What is the shape of the minibatch after `nn.Flatten()`?",
            c => new ShapeAnswer(() => nn.Flatten().call(torch.zeros(c.Batch, 3, c.Side, c.Side)).shape,
                "Flatten keeps the first (batch) axis and joins all the others.",
                (Shape(c.Batch * 3, c.Side * c.Side), "Flatten joins every axis after the first, channels included."),
                (Shape(c.Inputs), "The batch axis stays.")),
            c => Shape(c.Batch, c.Inputs),
            new long[] { 96, 1024 }, new long[] { 3072 })
        .Ask(2, Kind.ComputeByHand, "§3.5", c => "How many parameters does the network have?",
            c => NumberAnswer.Whole(() =>
            {
                using var net = nn.Sequential(nn.Flatten(), nn.Linear(c.Inputs, c.Hidden), nn.ReLU(), nn.Linear(c.Hidden, c.Classes));
                return net.parameters().Sum(p => p.numel());
            }, "Each Linear(in, out) has in·out weights and out biases; Flatten and ReLU have none.",
                ((double)c.Inputs * c.Hidden + (double)c.Hidden * c.Classes, "Add the biases: one per output of each Linear layer."),
                ((double)c.Inputs * c.Hidden + c.Inputs + (double)c.Hidden * c.Classes + c.Hidden, "One bias per output, not per input.")),
            c => (double)c.Inputs * c.Hidden + c.Hidden + (double)c.Hidden * c.Classes + c.Classes,
            1_577_984L, 1_581_568L)
        .Ask(1, Kind.Predict, "§3.3", c => "Without the ReLU the two layers compute the same as one `Linear` layer. What is the shape of its weight?",
            c => new ShapeAnswer(() => torch.zeros(c.Classes, c.Hidden).mm(torch.zeros(c.Hidden, c.Inputs)).shape,
                "W = W₂W₁, with each weight stored as [out, in].",
                (Shape(c.Inputs, c.Classes), "Weights are stored as [out, in]."),
                (Shape(c.Hidden, c.Hidden), "The inner lengths of W₂W₁ cancel; the outer ones remain.")),
            c => Shape(c.Classes, c.Inputs),
            new long[] { 3072, 10 })
        .Explain("§3.3",
            "Two linear layers compose to one: (XW₁ᵀ + b₁)W₂ᵀ + b₂ = X(W₂W₁)ᵀ + (b₁W₂ᵀ + b₂), a single linear map. So the stack "
            + "can only draw the straight (linear) class boundaries softmax regression draws; the hidden layer adds parameters "
            + "but no expressive power. The nonlinearity between the layers is what lets an MLP bend them.",
            ("the composition of the two linear layers is one linear layer, W = W₂W₁ and b = b₁W₂ᵀ + b₂", 1),
            ("so it can only represent what one linear layer (softmax regression) can: linear boundaries", 1))
        .Done();

    static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    sealed record Saturation(double Z, int Layers);

    static ExamQuestion Q9() => Question(9, 3, "Activation functions", new Saturation(2, 8),
            r => new Saturation(r.Step(0.5, 4, 0.5), r.Between(4, 12)),
            s => Inv($"The sigmoid is $\\sigma(z) = 1/(1 + e^{{-z}})$; a deep network stacks {s.Layers} sigmoid layers."))
        .Ask(2, Kind.ComputeByHand, "§3.4", s => Inv($"What is $\\sigma'({s.Z})$, the sigmoid's derivative at $z = {s.Z}$? Give four decimals."),
            s => NumberAnswer.Decimals(() =>
            {
                var z = torch.tensor(s.Z, float64).requires_grad_();
                torch.sigmoid(z).backward();
                return Value(z.grad!);
            }, 4, "σ'(z) = σ(z)(1 − σ(z)).",
                (Sigmoid(s.Z), "That is σ(z) itself; its derivative is σ(z)(1 − σ(z))."),
                (1 - Sigmoid(s.Z), "Multiply by σ(z): σ'(z) = σ(z)(1 − σ(z)).")),
            s => Sigmoid(s.Z) * (1 - Sigmoid(s.Z)),
            0.8808, 0.1192)
        .Ask(2, Kind.ComputeByHand, "§3.4", s => Inv($"Back-propagation through the {s.Layers} sigmoid layers multiplies one factor $\\sigma'(z)$ per layer. ")
                                                     + "What is the largest value the product of these factors can have? Three significant digits.",
            s => NumberAnswer.Relative(() =>
            {
                var z = torch.zeros(1, float64).requires_grad_();
                torch.sigmoid(z).sum().backward();
                return Math.Pow(Value(z.grad![0]), s.Layers);
            }, 0.005, "The largest value of σ' is at z = 0; the chain rule multiplies the factors.",
                (0.25 * s.Layers, "The chain rule multiplies the factors; it does not add them."),
                (0.25, "That is one layer's factor.")),
            s => Math.Pow(0.25, s.Layers),
            2.0, 0.25)
        .Explain("§3.4",
            "ReLU's derivative is 1 wherever the unit is active (z > 0), so along active units the gradient passes through each "
            + "layer unchanged instead of being multiplied by at most 0.25. Only inactive units (z < 0) stop it, rather than "
            + "every layer shrinking it.",
            ("ReLU'(z) = 1 for active units (z > 0): the gradient passes unchanged", 1),
            ("only inactive units block it; there is no factor below 1 at every layer as with σ' ≤ 0.25", 1))
        .Done();

    // ── Topic 4: generalisation and regularisation ─────────────────────────────────────────────────────────────────

    sealed record Decay(double Lambda, double Lr, double Weight, int Steps)
    {
        public double Factor => 1 - 2 * Lr * Lambda;
    }

    static double Decayed(Decay d, int steps)
    {
        var w = new Parameter(torch.tensor(new[] { d.Weight }));
        var sgd = torch.optim.SGD([w], d.Lr, weight_decay: 2 * d.Lambda);   // the penalty λ‖w‖² has the gradient 2λw
        for (var i = 0; i < steps; i++)
        {
            sgd.zero_grad();
            (w * torch.zeros(1, float64)).sum().backward();   // a data loss with zero gradient: only the decay acts
            sgd.step();
        }
        return Value(w[0]);
    }

    static ExamQuestion Q10() => Question(10, 4, "Weight decay", new Decay(0.01, 0.5, 2, 10),
            r => new Decay(r.Pick(0.001, 0.005, 0.01, 0.02, 0.05), r.Pick(0.1, 0.2, 0.5, 1.0), r.Between(1, 5), r.Pick(5, 10, 20)),
            d => Inv($"Training adds the penalty $\\lambda \\lVert \\mathbf w \\rVert^2$ with $\\lambda = {d.Lambda}$ to the loss, and SGD uses the learning rate $\\eta = {d.Lr}$."))
        .Ask(2, Kind.ComputeByHand, "§4.4", d => "By what factor does each SGD step multiply every weight, before the data's gradient step? Give four decimals.",
            d => NumberAnswer.Decimals(() => Decayed(d, 1) / d.Weight, 4, "The penalty's gradient 2λw joins the step: w ← w − η·2λw.",
                (1 - d.Lr * d.Lambda, "The gradient of λw² is 2λw."),
                (1 - 2 * d.Lambda, "The decay is part of the SGD step, so it is scaled by η.")),
            d => d.Factor,
            0.995, 0.98)
        .Ask(2, Kind.ComputeByHand, "§4.4", d => Inv($"A weight of {d.Weight} gets no gradient from the data. What is it after {d.Steps} steps? Give four decimals."),
            d => NumberAnswer.Decimals(() => Decayed(d, d.Steps), 4, "Each step multiplies by the same factor: after n steps, by the factor to the power n.",
                (d.Weight * (1 - d.Steps * 2 * d.Lr * d.Lambda), "The factors multiply, step after step; they do not add up."),
                (d.Weight * d.Factor, "That is one step.")),
            d => d.Weight * Math.Pow(d.Factor, d.Steps),
            1.8, 1.98)
        .Explain("§4.4",
            "The penalty makes large weights expensive, so training prefers small-weight, smoother functions whose output changes "
            + "little for small changes of the input. Fitting the noise of particular training examples usually needs large weights, "
            + "so the model fits less of it, and the gap between training and test error shrinks.",
            ("it penalises large weights, so the fit prefers smoother, simpler functions", 1),
            ("large weights are what fitting noise in the training set needs, so the model overfits less", 1))
        .Done();

    sealed record Drop(double P, int H);

    static ExamQuestion Q11() => Question(11, 4, "Dropout", new Drop(0.25, 6),
            r => new Drop(r.Pick(0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75), r.Between(1, 9)),
            d => Inv($"`nn.Dropout({d.P})` receives a hidden unit with the value $h = {d.H}$."))
        .Ask(1, Kind.ComputeByHand, "§4.5", d => "In training mode, what does the unit become when it is kept? Give two decimals.",
            d => NumberAnswer.Decimals(() =>
            {
                using var dropout = nn.Dropout(d.P);
                dropout.train();
                return dropout.call(torch.ones(1000, float64) * torch.tensor((double)d.H)).max().item<double>();
            }, 2, "Kept units are divided by the probability of being kept.",
                (d.H * (1 - d.P), "Divide by 1 − p, do not multiply."),
                (d.H / d.P, "Divide by the probability of being kept, 1 − p.")),
            d => d.H / (1 - d.P),
            4.5, 24.0)
        .Ask(1, Kind.ComputeByHand, "§4.5", d => "In training mode, what is the expected value of the unit's output? Give two decimals.",
            d => NumberAnswer.Decimals(() =>
            {
                using var dropout = nn.Dropout(d.P);
                dropout.train();
                var kept = Value(dropout.call(torch.ones(1000, float64) * torch.tensor((double)d.H)).max());
                return (1 - d.P) * kept;   // kept with probability 1 − p, else 0
            }, 2, "With probability 1 − p the unit passes h/(1 − p), otherwise 0.",
                (d.H / (1 - d.P), "That is the kept value; it is kept only with probability 1 − p."),
                (d.H * (1 - d.P), "Kept units are rescaled by 1/(1 − p).")),
            d => (double)d.H,
            8.0, 4.5)
        .Choose(2, Kind.Predict, "§4.5",
            Choice('B', "in evaluation mode dropout is the identity: nothing is dropped and nothing rescaled, and since training "
                        + "rescaled the kept units, 6 is exactly the value the next layer saw on average.",
                "What does dropout do when the network is not training?",
                _ =>
                {
                    using var dropout = nn.Dropout(0.25);
                    dropout.eval();
                    var output = dropout.call(torch.ones(100) * torch.tensor(6f));
                    return output.eq(torch.tensor(6f)).all().item<bool>() ? 'B' : 'A';
                },
                ('A', "That is training mode."),
                ('C', "Rescaling belongs to training, where some units are dropped."),
                ('D', "Nothing is scaled down in evaluation mode.")),
            'A', 'C')
        .Explain("§4.5",
            "A unit is kept with probability 1 − p, so without rescaling its expected output in training would be (1 − p)h, smaller "
            + "than the h it outputs in evaluation mode, where nothing is dropped. Dividing the kept units by 1 − p keeps the expected "
            + "value at h, so the next layer sees activations of the same scale in training and in evaluation.",
            ("it keeps the expected value of each unit equal to h in training", 1),
            ("so training and evaluation (no dropout) give the next layer activations of the same scale", 1))
        .Done();

    sealed record Fan(int In, int Out);

    static ExamQuestion Q12() => Question(12, 4, "Initialisation", new Fan(300, 100),
            r => new Fan(r.Pick(50, 100, 200, 300, 500, 800), r.Pick(10, 50, 100, 200)),
            f => Inv($"A layer `nn.Linear({f.In}, {f.Out})` is initialised with normally distributed weights."))
        .Ask(2, Kind.ComputeByHand, "§4.2", f => "With Xavier (Glorot) initialisation, variance $2/(n_\\text{in} + n_\\text{out})$, what is the weights' standard deviation? Give four decimals.",
            f => NumberAnswer.Decimals(() => nn.init.calculate_gain(nn.init.NonlinearityType.Linear) * Math.Sqrt(2.0 / (f.In + f.Out)), 4,
                "The standard deviation is the square root of the variance.",
                (2.0 / (f.In + f.Out), "That is the variance; take its square root."),
                (Math.Sqrt(2.0 / f.In), "That is He's rule; Xavier uses n_in + n_out.")),
            f => Math.Sqrt(2.0 / (f.In + f.Out)),
            0.005, 0.0816)
        .Ask(2, Kind.ComputeByHand, "§4.2", f => "With He (Kaiming) initialisation, variance $2/n_\\text{in}$, what is it? Give four decimals.",
            f => NumberAnswer.Decimals(() => nn.init.calculate_gain(nn.init.NonlinearityType.ReLU) / Math.Sqrt(f.In), 4,
                "n_in is the layer's number of inputs.",
                (Math.Sqrt(2.0 / f.Out), "n_in is the number of inputs, the first argument of nn.Linear."),
                (2.0 / f.In, "That is the variance; take its square root.")),
            f => Math.Sqrt(2.0 / f.In),
            0.1414, 0.0067)
        .Explain("§4.2",
            "ReLU sets the negative half of its inputs to 0, so it halves the mean square of the signal passing through each layer. "
            + "Doubling the weights' variance makes up for that halving, so the size of the signal (and of the gradient) stays about "
            + "constant from layer to layer instead of shrinking geometrically with depth.",
            ("ReLU zeroes about half of its inputs, halving the signal's mean square at every layer", 1),
            ("the factor 2 compensates, keeping the signal's scale constant through many layers", 1))
        .Done();

    /// <summary>Validation losses, as written, and the patience.</summary>
    sealed record Curve(string Losses, int Patience)
    {
        public double[] Values => [.. Losses.Split(", ").Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
    }

    static ExamQuestion Q13() => Question(13, 4, "Early stopping", new Curve("0.80, 0.62, 0.55, 0.57, 0.53, 0.56, 0.58, 0.60", 2),
            r =>
            {
                while (true)
                {
                    var bottom = r.Between(3, 6);
                    var values = Enumerable.Range(1, 8).Select(e => Math.Round(0.5 + 0.05 * Math.Abs(e - bottom) + 0.04 * (r.NextDouble() - 0.5), 2)).ToArray();
                    var curve = new Curve(string.Join(", ", values.Select(v => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))), r.Between(2, 3));
                    var (restored, stopped) = Exercises04.EarlyStopping(curve.Values, curve.Patience);
                    if (curve.Values.Count(v => v == curve.Values.Min()) == 1 && stopped < 8 && restored == Array.IndexOf(curve.Values, curve.Values.Min()) + 1)
                        return curve;
                }
            },
            c => Inv($"The validation losses after epochs 1, 2, … are ${c.Losses}$. Training uses early stopping with `patience` {c.Patience}, as in §4.3."))
        .Ask(2, Kind.ComputeByHand, "§4.3", c => "Whose weights are put back at the end: which epoch's?",
            c => NumberAnswer.Whole(() => Exercises04.EarlyStopping(c.Values, c.Patience).Restored,
                "Track the best loss so far; stop after `patience` epochs without a new best and restore the best.",
                (Enumerable.Range(1, c.Values.Length - 1).First(e => c.Values[e] > c.Values[e - 1]), "That epoch's loss is beaten later."),
                (Exercises04.EarlyStopping(c.Values, c.Patience).Stopped, "That is where training stops, not the epoch whose weights are kept.")),
            c => (double)Array.IndexOf(c.Values, c.Values.Min()) + 1,
            3L, 7L)
        .Ask(1, Kind.ComputeByHand, "§4.3", c => "After which epoch does training stop?",
            c => NumberAnswer.Whole(() => Exercises04.EarlyStopping(c.Values, c.Patience).Stopped,
                "Count the epochs without a new best after the best one; stop when they reach `patience`.",
                (c.Values.Length, "Patience runs out before the last epoch."),
                (Exercises04.EarlyStopping(c.Values, c.Patience).Restored, "That is the best epoch; training goes on for `patience` more.")),
            c => (double)Exercises04.EarlyStopping(c.Values, c.Patience).Restored + c.Patience,
            8L, 5L)
        .Explain("§4.3",
            "The last `patience` epochs were already worse on the validation set: the network had begun to overfit. The validation "
            + "loss estimates the error on new data, so the best epoch's weights are the ones expected to generalise best; the last "
            + "weights are only where training happened to stop.",
            ("the last epochs were worse on validation: the model had started to overfit", 1),
            ("the best validation epoch estimates the best error on new data, so its weights are kept", 1))
        .Done();

    // ── Topic 5: convolutional networks ─────────────────────────────────────────────────────────────────────────────

    sealed record Conv(int Batch, int In, int Out, int Side, int K, int P, int S)
    {
        public int Output => (Side - K + 2 * P) / S + 1;
    }

    static ExamQuestion Q14() => Question(14, 5, "A convolutional layer", new Conv(16, 3, 32, 64, 5, 2, 2),
            r =>
            {
                while (true)
                    if (new Conv(r.Pick(4, 8, 16), r.Pick(1, 3, 8), r.Pick(8, 16, 32), r.Pick(16, 28, 32, 64), r.Pick(3, 5, 7), r.Between(0, 3), r.Between(1, 2))
                        is var c && c.P < c.K && c.In != c.Out) return c;
            },
            c => Inv($"A minibatch $[{c.Batch}, {c.In}, {c.Side}, {c.Side}]$ goes through `nn.Conv2d({c.In}, {c.Out}, kernel_size: {c.K}, padding: {c.P}, stride: {c.S})`."))
        .Ask(2, Kind.Predict, "§5.3–§5.6", c => "What is the output shape?",
            c => new ShapeAnswer(() =>
            {
                using var conv = nn.Conv2d(c.In, c.Out, c.K, stride: c.S, padding: c.P);
                return conv.call(torch.zeros(c.Batch, c.In, c.Side, c.Side)).shape;
            }, "[batch, c_out, n′, n′] with n′ = ⌊(n − k + 2p)/s⌋ + 1.",
                (Shape(c.Batch, c.Out, c.Side, c.Side), "Work the height and width out: ⌊(n − k + 2p)/s⌋ + 1."),
                (Shape(c.Batch, c.In, c.Output, c.Output), "The layer changes the channels to c_out."),
                (Shape(c.Batch, c.Out, (c.Side - c.K) / c.S + 1, (c.Side - c.K) / c.S + 1), "Padding adds p pixels on both sides.")),
            c => Shape(c.Batch, c.Out, c.Output, c.Output),
            new long[] { 16, 32, 64, 64 }, new long[] { 16, 32, 30, 30 })
        .Ask(2, Kind.ComputeByHand, "§5.6", c => "How many parameters does the layer have?",
            c => NumberAnswer.Whole(() => { using var conv = nn.Conv2d(c.In, c.Out, c.K); return conv.parameters().Sum(p => p.numel()); },
                "The kernel is [c_out, c_in, k, k]; plus one bias per output channel.",
                ((double)c.Out * c.In * c.K * c.K, "Add one bias per output channel."),
                ((double)c.Out * c.K * c.K + c.Out, "Each output channel has one k×k slice per input channel.")),
            c => (double)c.Out * c.In * c.K * c.K + c.Out,
            2400L, 832L)
        .Ask(1, Kind.ComputeByHand, "§5.5", c => "How many multiplications does one output value take?",
            c => NumberAnswer.Whole(() => { using var conv = nn.Conv2d(c.In, 1, c.K, bias: false); return conv.weight!.numel(); },
                "One output value is one k×k window in every input channel, multiplied entry by entry and summed.",
                (c.K * c.K, "The window covers every input channel."),
                ((double)c.Out * c.In * c.K * c.K, "One output value belongs to one output channel.")),
            c => (double)c.In * c.K * c.K,
            25L, 2400L)
        .Ask(2, Kind.ComputeByHand, "§5.1", c => "A fully connected layer from the same flattened input to the same flattened output: how many weights (biases excluded) would it need?",
            c => NumberAnswer.Whole(() =>
            {
                using var conv = nn.Conv2d(c.In, c.Out, c.K, stride: c.S, padding: c.P);
                var (inputs, outputs) = ((double)c.In * c.Side * c.Side, (double)conv.call(torch.zeros(1, c.In, c.Side, c.Side)).numel());
                return inputs * outputs;
            }, "One weight for every pair of an input value and an output value.",
                ((double)c.In * c.Side * c.Side * c.Out, "Every output value, at every position of every channel, has its own weights."),
                ((double)c.Side * c.Side * c.Output * c.Output, "Count the channels of the input and of the output too.")),
            c => (double)c.In * c.Side * c.Side * c.Out * c.Output * c.Output,
            12_288L * 32, 4096L * 1024)
        .Explain("§5.1",
            "Each output value looks only at a small local window (5×5 in every channel), not at every input value; and the same "
            + "kernel is used at every position of the image, so its weights are shared and counted once, whatever the image size.",
            ("locality: each output depends only on a small window of the input", 1),
            ("weight sharing: one kernel serves every position, so its weights are counted once", 1))
        .Done();

    sealed record Patch(int X00, int X01, int X02, int X10, int X11, int X12, int X20, int X21, int X22, int K00, int K01, int K10, int K11)
    {
        public int[,] X => new[,] { { X00, X01, X02 }, { X10, X11, X12 }, { X20, X21, X22 } };

        public int[,] K => new[,] { { K00, K01 }, { K10, K11 } };

        public int Y(int i, int j) => X[i, j] * K00 + X[i, j + 1] * K01 + X[i + 1, j] * K10 + X[i + 1, j + 1] * K11;
    }

    static Tensor Correlate(Patch p) => nn.functional.conv2d(
        torch.tensor(new float[,] { { p.X00, p.X01, p.X02 }, { p.X10, p.X11, p.X12 }, { p.X20, p.X21, p.X22 } }).reshape(1, 1, 3, 3),
        torch.tensor(new float[,] { { p.K00, p.K01 }, { p.K10, p.K11 } }).reshape(1, 1, 2, 2)).reshape(2, 2);

    static ExamQuestion Q15() => Question(15, 5, "Cross-correlation and pooling", new Patch(1, 0, 2, 3, 1, 0, 0, 2, 1, 1, -1, 0, 2),
            r =>
            {
                while (true)
                {
                    int D() => r.Between(0, 3);
                    int W() => r.Between(-1, 2);
                    var p = new Patch(D(), D(), D(), D(), D(), D(), D(), D(), D(), W(), W(), W(), W());
                    if (p.Y(0, 1) != p.Y(1, 0) && p.Y(0, 1) != p.Y(1, 1) && p.Y(1, 0) != p.Y(0, 0)) return p;
                }
            },
            p => Inv($$"""
                The input is $X = \begin{bmatrix}{{p.X00}}&{{p.X01}}&{{p.X02}}\\{{p.X10}}&{{p.X11}}&{{p.X12}}\\{{p.X20}}&{{p.X21}}&{{p.X22}}\end{bmatrix}$ and
                the kernel $K = \begin{bmatrix}{{p.K00}}&{{p.K01}}\\{{p.K10}}&{{p.K11}}\end{bmatrix}$; $Y$ is their cross-correlation (stride 1, no padding),
                rows and columns counted from 0.
                """))
        .Ask(1, Kind.Predict, "§5.2", p => "What is the shape of $Y$?",
            p => new ShapeAnswer(() => Correlate(p).shape, "n − k + 1 along each axis.",
                (Shape(3, 3), "Without padding the window fits at fewer positions than the input has pixels."),
                (Shape(1, 1), "The 2×2 window fits at n − k + 1 = 2 positions in each direction.")),
            p => Shape(2, 2),
            new long[] { 3, 3 }, new long[] { 1, 1 })
        .Ask(2, Kind.ComputeByHand, "§5.2", p => "What is $Y[0, 1]$?",
            p => NumberAnswer.Whole(() => Value(Correlate(p)[0, 1]),
                "Put the kernel's top-left corner on X[0, 1], multiply the overlapping entries and add them up.",
                (p.Y(1, 0), "That is Y[1, 0]: the first index is the row."),
                (p.X[0, 1] * p.K11 + p.X[0, 2] * p.K10 + p.X[1, 1] * p.K01 + p.X[1, 2] * p.K00, "You flipped the kernel: no flip in a cross-correlation.")),
            p => (double)p.Y(0, 1),
            6L, 2L)
        .Ask(2, Kind.ComputeByHand, "§5.2", p => "What is $Y[1, 0]$?",
            p => NumberAnswer.Whole(() => Value(Correlate(p)[1, 0]),
                "Put the kernel's top-left corner on X[1, 0], multiply the overlapping entries and add them up.",
                (p.Y(0, 1), "That is Y[0, 1]: the first index is the row."),
                (p.X[1, 0] * p.K11 + p.X[1, 1] * p.K10 + p.X[2, 0] * p.K01 + p.X[2, 1] * p.K00, "You flipped the kernel: no flip in a cross-correlation.")),
            p => (double)p.Y(1, 0),
            -2L, 4L)
        .Ask(1, Kind.ComputeByHand, "§5.9", p => "What does $2\\times2$ average pooling make of the whole of $Y$? Give two decimals.",
            p => NumberAnswer.Decimals(() => Value(nn.functional.avg_pool2d(Correlate(p).reshape(1, 1, 2, 2), 2)), 2,
                "Average pooling over the 2×2 window: the mean of Y's four entries.",
                (Enumerable.Range(0, 4).Max(i => p.Y(i / 2, i % 2)), "That is max pooling; average pooling takes the mean."),
                (Enumerable.Range(0, 4).Sum(i => p.Y(i / 2, i % 2)), "Divide the sum by the 4 entries of the window.")),
            p => Enumerable.Range(0, 4).Average(i => p.Y(i / 2, i % 2)),
            6.0, 10.0)
        .Done();

    sealed record Field(int Convs, int K, int Pool, int After);

    static ExamQuestion Q16() => Question(16, 5, "Receptive fields", new Field(3, 3, 2, 1),
            r => new Field(r.Between(2, 4), r.Pick(3, 5), 2, r.Between(1, 2)),
            f => Inv($"A stack has {f.Convs} convolutions with ${f.K}\\times{f.K}$ kernels and stride 1, then ${f.Pool}\\times{f.Pool}$ max pooling with stride {f.Pool}, ")
                     + Inv($"then {f.After} more ${f.K}\\times{f.K}$ convolution{(f.After == 1 ? "" : "s")} with stride 1."))
        .Ask(2, Kind.ComputeByHand, "§5.8", f => Inv($"How many input pixels wide is the receptive field of one unit after the first {f.Convs} convolutions?"),
            f => NumberAnswer.Whole(() => MeasuredField(f, pooled: false),
                "One layer sees k pixels; each further stride-1 layer adds k − 1.",
                (f.Convs * f.K, "Neighbouring windows overlap: each layer adds k − 1, not k."),
                (f.Convs * (f.K - 1), "Start from one pixel: r = 1 + L(k − 1).")),
            f => 1.0 + f.Convs * (f.K - 1),
            9L, 6L)
        .Ask(3, Kind.ComputeByHand, "§5.8–§5.9", f => "And after the last convolution?",
            f => NumberAnswer.Whole(() => MeasuredField(f, pooled: true),
                "Pooling adds pool − 1 at the current spacing of 1; after a stride-2 pool, each further layer adds (k − 1)·2.",
                (1.0 + (f.Convs + f.After) * (f.K - 1), "After pooling with stride 2, neighbouring units are 2 input pixels apart: each later layer adds (k − 1)·2."),
                (1.0 + f.Convs * (f.K - 1) + f.Pool - 1 + f.After * (f.K - 1), "After the stride-2 pooling a step of one unit is 2 input pixels.")),
            f => 1.0 + f.Convs * (f.K - 1) + (f.Pool - 1) + f.After * (f.K - 1) * f.Pool,
            9L, 10L)
        .Explain("§5.8",
            "Three 3×3 layers have the same 7×7 receptive field with fewer weights, 3 · 9 = 27 against 49 per pair of input and "
            + "output channels, and they put a nonlinearity after each layer, three instead of one, so the stack can represent "
            + "more complex functions of the same window.",
            ("fewer weights for the same receptive field: 27 against 49 per channel pair", 1),
            ("more nonlinearities (three instead of one), so more expressive", 1))
        .Done();

    /// <summary>The receptive field of the stack of question 16, measured with autograd.</summary>
    static double MeasuredField(Field f, bool pooled)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (var i = 0; i < f.Convs; i++) layers.Add(nn.Conv2d(1, 1, f.K, bias: false));
        if (pooled)
        {
            layers.Add(nn.AvgPool2d(f.Pool, f.Pool));   // average pooling: every input of the window gets a gradient
            for (var i = 0; i < f.After; i++) layers.Add(nn.Conv2d(1, 1, f.K, bias: false));
        }
        using var stack = nn.Sequential(layers);
        using var one = 1f.ToScalar();
        using (torch.no_grad())
            foreach (var p in stack.parameters()) p.fill_(one);
        var input = torch.rand(1, 1, 64, 64).requires_grad_();
        var output = stack.call(input);
        output[0, 0, output.shape[2] / 2, output.shape[3] / 2].backward();
        return input.grad![0, 0].ne(0).sum(dim: 0).gt(0).sum().item<long>();
    }

    // ── Topic 6: ResNet and batch normalisation ─────────────────────────────────────────────────────────────────────

    sealed record Channel(int A, int B, int C, int D, double Gamma, double Beta)
    {
        public double[] Values => [A, B, C, D];

        public double Mean => Values.Average();

        public double Variance => Values.Average(v => (v - Mean) * (v - Mean));
    }

    static Tensor Normalised(Channel c)
    {
        using var bn = nn.BatchNorm2d(1, eps: 1e-5);
        bn.train();
        using (torch.no_grad()) { bn.weight!.copy_(torch.tensor(new[] { (float)c.Gamma })); bn.bias!.copy_(torch.tensor(new[] { (float)c.Beta })); }
        return bn.call(torch.tensor(c.Values.Select(v => (float)v).ToArray()).reshape(4, 1, 1, 1)).detach();
    }

    static ExamQuestion Q17() => Question(17, 6, "Batch normalisation by hand", new Channel(2, 4, 6, 8, 2, 1),
            r =>
            {
                while (true)
                    if (new Channel(r.Between(0, 9), r.Between(0, 9), r.Between(0, 9), r.Between(0, 9), r.Pick(0.5, 1.5, 2, 3), r.Pick(-1, 0.5, 1, 2)) is var c
                        && c.Values.Distinct().Count() == 4 && c.D == c.Values.Max()) return c;
            },
            c => Inv($$"""
                One channel of a batch holds the values ${{c.A}}, {{c.B}}, {{c.C}}, {{c.D}}$ (four $1\times1$ images). `BatchNorm2d` in training mode, with
                $\epsilon = 10^{-5}$ and the learned $\gamma = {{c.Gamma}}$ and $\beta = {{c.Beta}}$, normalises them.
                """))
        .Ask(1, Kind.ComputeByHand, "§6.2", c => "What is the mean $\\mu$ the layer uses? Give two decimals.",
            c => NumberAnswer.Decimals(() => Value(torch.tensor(c.Values).mean()), 2, "The mean over the batch (and positions) of the channel.",
                (c.Values.Sum(), "Divide the sum by the number of values.")),
            c => c.Mean,
            20.0)
        .Ask(2, Kind.ComputeByHand, "§6.2", c => "What is the variance $\\sigma^2$ the layer uses? Give two decimals.",
            c => NumberAnswer.Decimals(() => { var x = torch.tensor(c.Values); return Value((x - x.mean()).square().mean()); }, 2,
                "Batch norm uses the biased variance: the mean of the squared deviations, dividing by m.",
                (c.Variance * 4 / 3, "That divides by m − 1 (the sample variance); batch norm divides by m."),
                (Math.Sqrt(c.Variance), "That is the standard deviation; the question asks for its square, the variance.")),
            c => c.Variance,
            6.67, 2.24)
        .Ask(2, Kind.ComputeByHand, "§6.2", c => Inv($"What does the value {c.D} become? Give four decimals."),
            c => NumberAnswer.Decimals(() => Value(Normalised(c)[3, 0, 0, 0]), 4, "γ·(x − μ)/√(σ² + ε) + β.",
                ((c.D - c.Mean) / Math.Sqrt(c.Variance + 1e-5), "Scale by γ and shift by β after normalising."),
                (c.Gamma * (c.D - c.Mean) / Math.Sqrt(c.Variance * 4 / 3) + c.Beta, "Use the biased variance, dividing by m.")),
            c => c.Gamma * (c.D - c.Mean) / Math.Sqrt(c.Variance + 1e-5) + c.Beta,
            1.3416, 3.3238)
        .Explain("§6.2",
            "Batch norm subtracts each channel's mean over the batch. A bias adds the same constant to every value of its channel, "
            + "which moves that mean by the same constant, so the subtraction removes it again: the bias has no effect on the "
            + "output. Batch norm's own shift β then plays the role of the bias.",
            ("the per-channel mean subtraction removes any constant added to the channel, so the bias has no effect", 1),
            ("β, the learned shift, takes over the bias's role", 1))
        .Done();

    sealed record Residual(int Batch, int In, int Side);

    static ExamQuestion Q18() => Question(18, 6, "A residual block", new Residual(8, 32, 32),
            r => new Residual(r.Pick(4, 8, 16), r.Pick(16, 32, 64), r.Pick(8, 14, 16, 28, 32)),
            b => Inv($$"""
                A residual block doubles the channels and halves the size of its input $[{{b.Batch}}, {{b.In}}, {{b.Side}}, {{b.Side}}]$. Its main path is a
                $3\times3$ convolution from {{b.In}} to {{2 * b.In}} channels with stride 2 and padding 1, then a $3\times3$ convolution from {{2 * b.In}} to {{2 * b.In}}
                channels with padding 1; its skip path is a $1\times1$ convolution from {{b.In}} to {{2 * b.In}} channels with stride 2. The convolutions have no biases.
                """))
        .Ask(2, Kind.Predict, "§6.1", b => "What is the shape of the block's output?",
            b => new ShapeAnswer(() =>
            {
                using var first = nn.Conv2d(b.In, 2 * b.In, 3, stride: 2, padding: 1, bias: false);
                using var second = nn.Conv2d(2 * b.In, 2 * b.In, 3, padding: 1, bias: false);
                using var skip = nn.Conv2d(b.In, 2 * b.In, 1, stride: 2, bias: false);
                var x = torch.zeros(b.Batch, b.In, b.Side, b.Side);
                return (second.call(first.call(x)) + skip.call(x)).shape;
            }, "Both paths end in the same shape: 2·c channels, and stride 2 gives ⌊(n − 1)/2⌋ + 1.",
                (Shape(b.Batch, 2 * b.In, b.Side, b.Side), "Stride 2 halves height and width."),
                (Shape(b.Batch, b.In, (b.Side - 1) / 2 + 1, (b.Side - 1) / 2 + 1), "The block doubles the channels.")),
            b => Shape(b.Batch, 2 * b.In, (b.Side - 1) / 2 + 1, (b.Side - 1) / 2 + 1),
            new long[] { 8, 64, 32, 32 }, new long[] { 8, 32, 16, 16 })
        .Ask(2, Kind.ComputeByHand, "§6.3", b => "How many weights does the main path have?",
            b => NumberAnswer.Whole(() =>
            {
                using var path = nn.Sequential(nn.Conv2d(b.In, 2 * b.In, 3, bias: false), nn.Conv2d(2 * b.In, 2 * b.In, 3, bias: false));
                return path.parameters().Sum(p => p.numel());
            }, "Each 3×3 convolution has c_out · c_in · 9 weights.",
                ((double)2 * b.In * b.In * 9 * 2, "The second convolution goes from 2c to 2c channels."),
                ((double)2 * b.In * 9 + 2 * b.In * 9, "Each output channel has one 3×3 slice per input channel.")),
            b => (double)2 * b.In * b.In * 9 + (double)2 * b.In * 2 * b.In * 9,
            36_864L, 18_432L)
        .Ask(1, Kind.ComputeByHand, "§6.3", b => "How many weights does the skip path have?",
            b => NumberAnswer.Whole(() => { using var skip = nn.Conv2d(b.In, 2 * b.In, 1, bias: false); return skip.weight!.numel(); },
                "A 1×1 convolution has c_out · c_in weights.",
                ((double)2 * b.In * b.In * 9, "The skip path's kernel is 1×1, not 3×3.")),
            b => (double)2 * b.In * b.In,
            18_432L)
        .Explain("§6.1",
            "A block computes y = F(x) + x, so ∂y/∂x = ∂F/∂x + I. Back-propagation through a block multiplies the gradient by "
            + "this sum, and the identity passes it on unchanged even when ∂F/∂x is small; it no longer shrinks layer after "
            + "layer as through a plain stack, where each factor can be below 1.",
            ("∂y/∂x = ∂F/∂x + I for y = F(x) + x", 1),
            ("the identity term passes the gradient back unchanged, so it does not shrink with depth", 1))
        .Done();

    // ── Topic 7: text and recurrent networks ─────────────────────────────────────────────────────────────────────────

    sealed record Recurrent(int Vocabulary, int Hidden, int Batch);

    static ExamQuestion Q19() => Question(19, 7, "A recurrent network's shapes", new Recurrent(30, 64, 16),
            r => new Recurrent(r.Pick(28, 30, 40, 100), r.Pick(32, 64, 128, 256), r.Pick(8, 16, 32)),
            n => Inv($"A character RNN has a vocabulary of {n.Vocabulary}, {n.Hidden} hidden units and an output layer, ")
                     + Inv($"$H_t = \\tanh(X_t W_{{xh}} + H_{{t-1}} W_{{hh}} + \\mathbf b_h)$ and $O_t = H_t W_{{hq}} + \\mathbf b_q$; it reads minibatches of {n.Batch} rows."))
        .Ask(1, Kind.Predict, "§7.6", n => "What is the shape of $X_t$, one time step of the minibatch, one-hot encoded?",
            n => new ShapeAnswer(() => nn.functional.one_hot(torch.zeros(new long[] { n.Batch }, ScalarType.Int64), n.Vocabulary).shape,
                "One row per sequence of the minibatch, one column per token of the vocabulary.",
                (Shape(n.Vocabulary, n.Batch), "One row per sequence: [batch, vocabulary]."),
                (Shape(n.Batch, n.Hidden), "That is the hidden state; the input is one-hot over the vocabulary.")),
            n => Shape(n.Batch, n.Vocabulary),
            new long[] { 30, 16 })
        .Ask(1, Kind.Predict, "§7.6", n => "What is the shape of $W_{hh}$?",
            n => new ShapeAnswer(() =>
            {
                using var rnn = new RnnScratch(n.Vocabulary, n.Hidden);
                return rnn.named_parameters().Single(p => p.name == "W_hh").parameter.shape;
            },
                "H_{t−1} W_hh must again have the shape of H: [batch, hidden].",
                (Shape(n.Batch, n.Hidden), "That is the hidden state itself; W_hh maps it to the same size."),
                (Shape(n.Vocabulary, n.Hidden), "That is W_xh, which reads the one-hot input.")),
            n => Shape(n.Hidden, n.Hidden),
            new long[] { 16, 64 })
        .Ask(2, Kind.ComputeByHand, "§7.6", n => "How many parameters does the model have, output layer included?",
            n => NumberAnswer.Whole(() => { using var rnn = new RnnScratch(n.Vocabulary, n.Hidden); return rnn.parameters().Sum(p => p.numel()); },
                "W_xh [V, h], W_hh [h, h], b_h [h], W_hq [h, V], b_q [V].",
                ((double)n.Vocabulary * n.Hidden + (double)n.Hidden * n.Hidden + n.Hidden, "The output layer, W_hq and b_q, belongs to the model too."),
                ((double)n.Vocabulary * n.Hidden * 2 + (double)n.Hidden * n.Hidden + 2 * n.Hidden + n.Vocabulary, "The formula has one hidden bias, b_h.")),
            n => (double)n.Vocabulary * n.Hidden * 2 + (double)n.Hidden * n.Hidden + n.Hidden + n.Vocabulary,
            6080L, 8094L)
        .Explain("§7.6",
            "Sharing the weights over time lets one network read sequences of any length with a fixed number of parameters, and "
            + "what it learns at one position (how a character tends to follow the ones before it) applies at every position, "
            + "as a convolution's kernel applies at every place in an image.",
            ("a fixed number of parameters for sequences of any length", 1),
            ("what is learned at one position applies at every position", 1))
        .Done();

    sealed record Measures(double Loss, int Vocabulary, int G0, int G1, int Theta)
    {
        public double Norm => Math.Sqrt(G0 * G0 + G1 * G1);
    }

    static ExamQuestion Q20() => Question(20, 7, "Perplexity and gradient clipping", new Measures(0.5, 30, 6, 8, 5),
            r =>
            {
                while (true)
                    if (new Measures(r.Step(0.1, 2.5, 0.1), r.Pick(26, 27, 28, 30, 32, 40, 50, 64, 80, 100), r.Between(1, 9), r.Between(1, 9), r.Pick(1, 2, 3, 5)) is var m
                        && m.Norm > m.Theta + 0.5) return m;
            },
            m => Inv($"A character model is trained on text with a vocabulary of {m.Vocabulary} characters."))
        .Ask(2, Kind.ComputeByHand, "§7.7", m => Inv($"Its mean cross-entropy per character is {m.Loss:0.0} (natural logarithm). What is its perplexity? Give two decimals."),
            m => NumberAnswer.Decimals(() => Value(torch.exp(torch.tensor(m.Loss))), 2, "Perplexity is exp of the mean cross-entropy.",
                (Math.Exp(-m.Loss), "exp of +loss: a loss of 0 gives 1."),
                (Math.Pow(10, m.Loss), "The loss uses the natural logarithm: exponentiate with e.")),
            m => Math.Exp(m.Loss),
            0.61, 3.16)
        .Ask(2, Kind.ComputeByHand, "§7.7", m => "An untrained model gives every character the same probability. What is its mean cross-entropy per character? Give four decimals.",
            m => NumberAnswer.Decimals(() => Value(nn.functional.cross_entropy(torch.zeros(3, m.Vocabulary), torch.tensor(new long[] { 0, 1, 2 }))), 4,
                "The true character gets probability 1/V; the loss is −log of it.",
                (1.0 / m.Vocabulary, "That is the probability; the loss is −log of it."),
                (Math.Log10(m.Vocabulary), "Use the natural logarithm.")),
            m => Math.Log(m.Vocabulary),
            30.0, 1.4771)
        .Ask(2, Kind.ComputeByHand, "§7.7", m => Inv($"All gradients together form $\\mathbf g = [{m.G0}, {m.G1}]$; they are clipped to the norm $\\theta = {m.Theta}$. What is the second entry of $\\mathbf g$ afterwards? Give two decimals."),
            m => NumberAnswer.Decimals(() =>
            {
                var p = new Parameter(torch.zeros(2));
                p.grad = torch.tensor(new float[] { m.G0, m.G1 });
                torch.nn.utils.clip_grad_norm_([p], m.Theta);
                return Value(p.grad![1]);
            }, 2, "g ← min(1, θ/‖g‖)·g: the whole vector is scaled to length θ.",
                (Math.Min(m.G1, m.Theta), "Clipping scales the whole vector; it does not cap each entry."),
                (m.G1 / m.Norm, Inv($"Scale by θ/‖g‖, with θ = {m.Theta}."))),
            m => m.G1 * m.Theta / m.Norm,
            5.0, 0.8)
        .Explain("§7.7",
            "Back-propagation through time multiplies the gradient by W_hh (and tanh') once per time step, so over long sequences "
            + "it can grow exponentially. One such huge gradient would throw the weights far away. Clipping scales the whole "
            + "gradient down to length θ when it is longer, keeping its direction, so a single step cannot be too large.",
            ("the gradient is a product over time steps and can explode over long sequences", 1),
            ("clipping limits the step's length to θ while keeping its direction", 1))
        .Done();

    sealed record Cutting(int Length, int Steps, int Offset, int Batch)
    {
        public int Pieces => (Length - Offset - 1) / Steps;
    }

    static ExamQuestion Q21() => Question(21, 7, "Cutting a text into minibatches", new Cutting(100, 8, 4, 5),
            r =>
            {
                var steps = r.Between(4, 10);
                return new Cutting(r.Between(60, 200), steps, r.Between(0, steps - 1), r.Pick(2, 3, 4, 5));
            },
            c => Inv($"A corpus of {c.Length} tokens is cut for random sampling with `num_steps` {c.Steps}; this epoch's random offset drops the first {c.Offset} tokens, and minibatches hold {c.Batch} subsequences."))
        .Ask(2, Kind.ComputeByHand, "§7.3", c => "How many subsequences $X$, each with its target $Y$, are there?",
            c => NumberAnswer.Whole(() => Exercises07.CountPieces(c.Length, c.Steps, c.Offset),
                "(L − offset − 1)/num_steps, rounded down: the last target needs one token more.",
                ((c.Length - c.Offset) / c.Steps, "The last input token needs one more token after it, as its target.")),
            c => (double)c.Pieces,
            12L, 11.875)
        .Ask(1, Kind.ComputeByHand, "§7.3", c => "How many whole minibatches does the epoch have?",
            c => NumberAnswer.Whole(() => Exercises07.CountPieces(c.Length, c.Steps, c.Offset) / c.Batch,
                "Whole minibatches of the subsequences; an incomplete one is discarded.",
                (Math.Ceiling((double)c.Pieces / c.Batch), "An incomplete minibatch is discarded: round down.")),
            c => (double)(c.Pieces / c.Batch),
            3L, 2.2)
        .Explain("§7.4",
            "In sequential partitioning row i of the next minibatch continues exactly where row i of this minibatch stopped, so the "
            + "state after this minibatch summarises the text just before the next one. In random sampling the next piece in a row "
            + "is unrelated text from elsewhere, so a carried state would describe the wrong context and must start afresh.",
            ("sequential: row i of the next minibatch continues the text of row i, so the state is the right context", 1),
            ("random: neighbouring pieces are unrelated, so the state must be reset", 1))
        .Done();

    static ExamQuestion Q22() => Question(22, 4, "Diagnosing training", 0, r => r.Next(), _ => "Short questions on what a run shows.")
        .Choose(2, Kind.Hyperparameter, "§4.1, §4.3",
            Choice('B', "a training loss that keeps falling while the validation loss rises means the model fits the training set "
                        + "better and new data worse: it is overfitting, and early stopping or regularisation counter it.",
                "What does each curve measure: fitting the training data, or doing well on new data?",
                _ =>
                {
                    double[] training = [1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.25, 0.2];
                    double[] validation = [1.1, 0.9, 0.75, 0.68, 0.64, 0.62, 0.65, 0.7];
                    var best = Array.IndexOf(validation, validation.Min()) + 1;
                    var trainingFalls = training.Zip(training.Skip(1)).All(p => p.Second < p.First);
                    return trainingFalls && best == 6 && Exercises04.EarlyStopping(validation, 2).Restored == 6 ? 'B' : 'A';
                },
                ('A', "An underfitting model is poor on the training set too; this one keeps improving there."),
                ('C', "A rate that is too high makes the training loss jump or grow; it falls steadily here."),
                ('D', "The test set is for the final estimate only; choosing on it spoils it (exercise 04.12).")),
            'A', 'C', 'D')
        .Choose(1, Kind.Predict, "§4.5, §6.2",
            Choice('A', "dropout only zeroes and rescales with a fixed probability p; batch norm learns γ and β, the convolution "
                        + "its kernel and bias, PReLU its slope α.",
                "Which of them has nothing that gradient descent could change?",
                _ =>
                {
                    using var dropout = nn.Dropout(0.5);
                    using var norm = nn.BatchNorm2d(16);
                    using var conv = nn.Conv2d(3, 8, 3);
                    using var prelu = nn.PReLU(1, 0.25);
                    var counts = new (char Letter, long Count)[]
                    {
                        ('A', dropout.parameters().Sum(p => p.numel())), ('B', norm.parameters().Sum(p => p.numel())),
                        ('C', conv.parameters().Sum(p => p.numel())), ('D', prelu.parameters().Sum(p => p.numel())),
                    };
                    return counts.Single(c => c.Count == 0).Letter;
                },
                ('B', "Batch norm learns a scale γ and a shift β per channel."),
                ('C', "A convolution learns its kernel and its biases."),
                ('D', "PReLU learns its negative slope α.")),
            'B', 'D')
        .Explain("§4.4–§4.6",
            "Weight decay adds λ‖w‖² to the loss, which keeps the weights small and the function smooth; dropout zeroes random "
            + "units in training, so no unit can rely on particular others; early stopping keeps the weights of the epoch with the "
            + "best validation loss; data augmentation shows varied copies of the training images, so the model cannot memorise "
            + "them; more training data does the same. Any two, each with how it works.",
            ("a first method named correctly (weight decay, dropout, early stopping, augmentation, more data, a smaller model)", 1),
            ("how the first method works", 1),
            ("a second method named, with how it works", 1))
        .Done();

    /// <summary>A start, a learning rate, a momentum, two gradients for momentum, and one gradient for Adam's first step.</summary>
    sealed record Moving(double W0, double Lr, double Mu, double G1, double G2, double AdamGradient)
    {
        public double V2 => Mu * G1 + G2;

        public double W2 => W0 - Lr * G1 - Lr * V2;
    }

    static double Momentum(Moving m, params double[] gradients) =>
        Exercises04.Stepped(m.W0, gradients, w => torch.optim.SGD([w], m.Lr, momentum: m.Mu));

    static ExamQuestion Q23() => Question(23, 4, "Momentum and Adam", new Moving(2, 0.1, 0.9, 3, -1, 250),
            r => new Moving(r.Pick(-1.0, 0, 1, 2, 3), r.Pick(0.1, 0.2, 0.5), r.Pick(0.5, 0.8, 0.9), r.Pick(-4.0, -2, 1, 2, 3, 5),
                r.Pick(-3.0, -1, 1, 2, 4), r.Pick(0.002, 0.5, 7, 60, 250, 3000) * r.Pick(1, -1)),
            m => Inv($$"""
                Gradient descent starts from $w_0 = {{m.W0}}$ with the learning rate $\eta = {{m.Lr}}$. With momentum $\mu = {{m.Mu}}$
                (PyTorch's form, $v_t = \mu v_{t-1} + g_t$, $w_t = w_{t-1} - \eta v_t$, $v_0 = 0$), the gradients at the first two
                steps are $g_1 = {{m.G1}}$ and $g_2 = {{m.G2}}$.
                """))
        .Ask(2, Kind.ComputeByHand, "§4.8", m => "What is the velocity $v_2$ after the second step? Give two decimals.",
            m => NumberAnswer.Decimals(() => (Momentum(m, m.G1) - Momentum(m, m.G1, m.G2)) / m.Lr, 2,   // w₁ − w₂ = ηv₂
                "v₁ = μ·0 + g₁; then v₂ = μv₁ + g₂.",
                (m.G1 + m.G2, "The old velocity is multiplied by μ before the new gradient is added."),
                (m.Mu * (1 - m.Mu) * m.G1 + (1 - m.Mu) * m.G2, "That is the averaging form, v ← μv + (1 − μ)g; PyTorch's adds the whole gradient."),
                (m.G1 + m.Mu * m.G2, "μ multiplies the old velocity, not the new gradient.")),
            m => m.V2,
            2.0, 0.17)
        .Ask(2, Kind.ComputeByHand, "§4.8", m => "What is $w_2$? Give two decimals.",
            m => NumberAnswer.Decimals(() => Momentum(m, m.G1, m.G2), 2, "w₁ = w₀ − ηv₁, then w₂ = w₁ − ηv₂.",
                (m.W0 - m.Lr * (m.G1 + m.G2), "That is plain SGD; the second step uses the velocity v₂."),
                (m.W0 - m.Lr * m.V2, "Take the first step too: w₂ = w₁ − ηv₂ with w₁ = w₀ − ηv₁."),
                (m.W0 + m.Lr * m.G1 + m.Lr * m.V2, "Step against the velocity: subtract ηv.")),
            m => m.W2,
            1.8, 1.83)
        .Ask(2, Kind.ComputeByHand, "§4.8",
            m => Inv($$"""
                Adam, with the same $w_0$ and $\eta$ and its defaults $\beta_1 = 0.9$, $\beta_2 = 0.999$,
                $\epsilon = 10^{-8}$, gets the gradient $g_1 = {{m.AdamGradient}}$ at its first step. What is $w_1$? Give four decimals.
                """),
            m => NumberAnswer.Decimals(() => Exercises04.Stepped(m.W0, [m.AdamGradient], w => torch.optim.Adam([w], m.Lr, 0.9, 0.999, 1e-8)), 4,
                "After one step m̂₁ = g₁ and ŝ₁ = g₁²: work out η m̂₁/(√ŝ₁ + ε).",
                (m.W0 - m.Lr * m.AdamGradient, "That is plain SGD; Adam divides by the root of the mean square of the gradient."),
                (m.W0 - m.Lr * Math.Sign(m.AdamGradient) * 0.1 / Math.Sqrt(0.001), "Correct m₁ and s₁ for the start at 0: divide by 1 − β₁ and 1 − β₂."),
                (m.W0 + m.Lr * Math.Sign(m.AdamGradient), "Step against the gradient's sign.")),
            m => m.W0 - m.Lr * Math.Sign(m.AdamGradient),
            -23.0, 1.6838, 2.1)
        .Explain("§4.8",
            "After one step m̂₁ = m₁/(1 − β₁) = g₁ and ŝ₁ = s₁/(1 − β₂) = g₁², so the step η m̂₁/√ŝ₁ = η g₁/|g₁| is η against the sign of "
            + "the gradient: the gradient's size cancels. Without the correction m₁ = 0.1 g₁ and √s₁ = √0.001 |g₁| ≈ 0.032 |g₁|, so the first "
            + "step would be about 3.16 η: m and s both start at 0 but shrink by different factors, and the correction undoes that.",
            ("m̂₁ = g₁ and ŝ₁ = g₁², so the step is η·g₁/|g₁|: the gradient's scale cancels and the step is η", 1),
            ("without the correction m₁ = 0.1 g₁ and √s₁ ≈ 0.032 |g₁|: the step would be about 3.16 η (√1000/10)", 1))
        .Done();
}
