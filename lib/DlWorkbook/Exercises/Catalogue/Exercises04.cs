using DlWorkbook.Data;
using TorchSharp;
using static DlWorkbook.Exercises.Catalogue.Build;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>Notebook 04: generalisation and regularisation.</summary>
internal static class Exercises04
{
    public static IEnumerable<CatalogueEntry> All =>
    [
        Entry("04.1", ExerciseKind.ComputeByHand, "Xavier initialisation",
            Inputs(new Layer(784, 256),
                r => new Layer(r.Pick(20, 64, 100, 256, 500, 784, 1000), r.Pick(10, 32, 64, 128, 256, 512)),
                l => Inv($$"""
                    **Exercise 04.1 · Compute by hand: Xavier initialisation.** Xavier (Glorot) normal initialisation draws the
                    weights of `nn.Linear({{l.In}}, {{l.Out}})` with variance $2/(n_\text{in} + n_\text{out})$. What is their standard
                    deviation? Give four decimals.
                    """),
                l => NumberAnswer.Decimals(() => nn.init.calculate_gain(nn.init.NonlinearityType.Linear) * Math.Sqrt(2.0 / (l.In + l.Out)), 4,
                    "n_in and n_out are the layer's inputs and outputs; the standard deviation is the square root of the variance.",
                    (Math.Sqrt(2.0 / l.In), "That is He's 2/n_in; Xavier averages the fan-in and the fan-out."),
                    (2.0 / (l.In + l.Out), "That is the variance; take its square root.")),
                l => Math.Sqrt(2.0 / (l.In + l.Out))),
            0.0505, 0.0019, 0.05),

        Entry("04.2", ExerciseKind.ComputeByHand, "a fixed range's output size",
            Inputs(new FixedRange(0.3, 784),
                r => new FixedRange(r.Pick(0.05, 0.1, 0.2, 0.3, 0.5, 1.0), r.Pick(10, 50, 100, 200, 300, 500, 784, 1000)),
                x => Inv($$$"""
                    **Exercise 04.2 · Compute by hand: a fixed range.** A layer $z_i = \sum_{j=1}^{n_\text{in}} w_{ij} x_j$ has
                    $n_\text{in} = {{{x.In}}}$ inputs with mean 0 and variance 1, and its weights are drawn independently from
                    $U(-{{{x.A}}}, {{{x.A}}})$, the pre-2010 way. What is the standard deviation of $z_i$? Give two decimals.
                    """),
                x => NumberAnswer.Decimals(() =>
                {
                    using var uniform = torch.distributions.Uniform(torch.tensor(-x.A, float64), torch.tensor(x.A, float64));
                    return Math.Sqrt(x.In * uniform.variance.item<double>());   // Var(z) = n_in σ² E[x²], E[x²] = 1
                }, 2, "U(−a, a) has the variance σ² = a²/3; Var(z) = n_in σ² E[x²]; the standard deviation is its square root.",
                    (x.A * Math.Sqrt(x.In), "The variance of U(−a, a) is a²/3, not a²: a is the range's half-width, not its standard deviation."),
                    (x.In * x.A * x.A / 3, "That is the variance of z; take its square root."),
                    (x.In * x.A / Math.Sqrt(3), "Variances add up over the n_in terms, standard deviations do not: multiply the variance by n_in."),
                    (x.A / Math.Sqrt(3), "That is the weights' standard deviation; z adds up n_in such terms.")),
                x => Math.Sqrt(x.In * x.A * x.A / 3)),
            8.4, 23.52, 135.79),

        Entry("04.3", ExerciseKind.ComputeByHand, "the epoch early stopping restores",
            Inputs(new Stopping("0.90, 0.71, 0.62, 0.60, 0.61, 0.59, 0.63, 0.64, 0.66, 0.70", 3), DrawStopping,
                x => Inv($"""
                    **Exercise 04.3 · Compute by hand: early stopping.** The validation losses after epochs 1, 2, … are
                    ${x.Losses}$. With the rule of §4.3 and `patience` {x.Patience}, which
                    epoch's weights are put back at the end?
                    """),
                x =>
                {
                    var (restored, stopped) = EarlyStopping(x.Values, x.Patience);
                    var firstDip = Enumerable.Range(1, x.Values.Length - 1).First(e => x.Values[e] > x.Values[e - 1]);   // 1-based epoch before a rise
                    return NumberAnswer.Whole(() => EarlyStopping(x.Values, x.Patience).Restored,
                        "Track the best validation loss so far; stop after `patience` epochs without a new best, and restore the best.",
                        (firstDip, Inv($"Epoch {firstDip}'s {x.Values[firstDip - 1]:0.00} is beaten later; keep going until patience runs out.")),
                        (stopped, "That is the epoch where training stops; the weights put back are those of the best epoch."),
                        (x.Values.Length, "Training stops before the last epoch: patience runs out first."));
                },
                x => (double)Array.IndexOf(x.Values, x.Values.Min()) + 1),
            4L, 9L, 10L),

        Entry("04.4", ExerciseKind.ComputeByHand, "the weight-decay factor",
            Inputs(new Decay(0.05, 0.1),
                r => new Decay(r.Pick(0.001, 0.005, 0.01, 0.02, 0.05, 0.1), r.Pick(0.01, 0.05, 0.1, 0.2, 0.5)),
                d => Inv($$"""
                    **Exercise 04.4 · Compute by hand: how much weight decay shrinks.** With the penalty $\lambda \sum_j w_j^2$,
                    $\lambda = {{d.Lambda}}$ and learning rate $\eta = {{d.Lr}}$, every SGD step multiplies each weight by a factor before
                    the usual gradient step (§4.4). What is that factor? Give four decimals.
                    """),
                d => NumberAnswer.Decimals(() =>
                {
                    // A loss with zero gradient: only the decay moves the weight. weight_decay = 2λ (§4.4).
                    var w = new TorchSharp.Modules.Parameter(torch.ones(1));
                    var sgd = torch.optim.SGD([w], d.Lr, weight_decay: 2 * d.Lambda);
                    (w * torch.zeros(1)).sum().backward();
                    sgd.step();
                    return w.item<float>();
                }, 4, "The penalty's gradient 2λw joins the step: w ← w − η(∇MSE + 2λw).",
                    (1 - d.Lr * d.Lambda, "The penalty λ·Σw² has the gradient 2λw, not λw."),
                    (1 - 2 * d.Lambda, "The decay is part of the SGD step, so it is scaled by the learning rate too.")),
                d => 1 - 2 * d.Lr * d.Lambda),
            0.995, 0.9, 0.9975),

        Entry("04.5", ExerciseKind.CompleteCode, "dropout by hand",
            CodeAnswer.Function<Tensor, double, Tensor>("a function (Tensor h, double p) → Tensor",
                "Keep a unit where torch.rand(h.shape) > p, and divide the kept units by 1 − p.", DropoutStatistics),
            (Func<Tensor, double, Tensor>)((h, p) => h * (torch.rand(h.shape) > p).to_type(h.dtype)),
            (Func<Tensor, double, Tensor>)((h, p) => h * (torch.rand(h.shape) > p).to_type(h.dtype) / p),
            (Func<Tensor, double, Tensor>)((h, p) => h * (torch.rand(h.shape) < p).to_type(h.dtype) / (1 - p))),

        Entry("04.6", ExerciseKind.ComputeByHand, "a kept unit under dropout",
            Inputs(new Kept(0.2, 3),
                r => new Kept(r.Pick(0.1, 0.2, 0.25, 0.3, 0.4, 0.6, 0.75, 0.8), r.Between(1, 6)),
                k => Inv($"""
                    **Exercise 04.6 · Compute by hand: dropout's rescaling.** `nn.Dropout({k.P})` in training mode receives a
                    unit with value $h = {k.H}$. If the unit is kept, what value does it pass on? Give two decimals.
                    """),
                k => NumberAnswer.Decimals(() =>
                {
                    using var dropout = nn.Dropout(k.P);
                    dropout.train();
                    return dropout.call(torch.ones(1000) * torch.tensor((float)k.H)).max().item<float>();
                }, 2, "Kept units are divided by the probability of being kept.",
                    (k.H * (1 - k.P), "Multiplying by 1 − p shrinks the unit; dropout keeps the expected value h by dividing by 1 − p."),
                    (k.H / k.P, "Divide by the probability of being kept, 1 − p, not by p."),
                    (k.H, "Kept units are rescaled in training, so that the expected value stays h.")),
                k => k.H / (1 - k.P)),
            2.4, 15.0, 3.0),

        Entry("04.7", ExerciseKind.Predict, "Monte Carlo dropout's stack",
            Inputs(new Passes(500, 10, 20),
                r => new Passes(r.Pick(100, 256, 500, 1000), r.Pick(2, 5, 10, 100), r.Pick(5, 10, 20, 30)),
                m => Inv($"""
                    **Exercise 04.7 · Predict a shape: Monte Carlo dropout.** A network classifies $N = {m.Images}$ test images into {m.Classes}
                    classes, {m.Count} times with dropout on. Each pass gives softmax probabilities of shape $[{m.Images}, {m.Classes}]$, and
                    `torch.stack` collects the {m.Count} passes. What shape does the stack have?
                    """),
                m => new ShapeAnswer(() => torch.stack(Enumerable.Range(0, m.Count).Select(_ => torch.zeros(m.Images, m.Classes))).shape,
                    "torch.stack puts the tensors along a new axis, at position 0 unless told otherwise.",
                    (Shape(m.Count * m.Images, m.Classes), "That is torch.cat, which joins along an existing axis; torch.stack adds a new one."),
                    (Shape(m.Images, m.Classes, m.Count), "The new axis of torch.stack comes first (dim 0 by default).")),
                m => Shape(m.Count, m.Images, m.Classes)),
            new long[] { 10000, 10 }, new long[] { 500, 10, 20 }, new long[] { 500, 10 }),

        Entry("04.8", ExerciseKind.ComputeByHand, "the loss on a Mix-up example",
            Inputs(new Blend(0.7, 0.6, 0.1),
                r =>
                {
                    var (lambda, first) = (r.Pick(0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9), r.Pick(0.3, 0.4, 0.5, 0.6, 0.7, 0.8));
                    var second = Math.Min(r.Pick(0.05, 0.1, 0.15, 0.2), Math.Round(0.9 - first, 2));   // the other classes keep 0.1 or more
                    return new Blend(lambda, first, second);
                },
                b => Inv($$"""
                    **Exercise 04.8 · Compute by hand: a loss on a blend.** Mix-up blends a T-shirt $\mathbf x_i$ (class 0) and a
                    trouser $\mathbf x_j$ (class 1) with $\lambda = {{b.Lambda}}$. On the blend $\tilde{\mathbf x}$ the network's softmax gives
                    $\hat y_0 = {{b.First}}$ to T-shirt and $\hat y_1 = {{b.Second}}$ to trouser, the rest to the other eight classes. What is the
                    cross-entropy $-\sum_k \tilde y_k \log \hat y_k$ against the blended label $\tilde{\mathbf y}$ (natural logarithm)?
                    Give four decimals.
                    """),
                b => NumberAnswer.Decimals(() =>
                {
                    var rest = (1 - b.First - b.Second) / 8;
                    var probabilities = torch.tensor(new[] { b.First, b.Second, rest, rest, rest, rest, rest, rest, rest, rest }).reshape(1, 10);
                    var label = torch.lerp(nn.functional.one_hot(torch.tensor(new[] { 1L }), 10).to(float64),
                        nn.functional.one_hot(torch.tensor(new[] { 0L }), 10).to(float64), torch.tensor(b.Lambda, float64));   // λ y_i + (1 − λ) y_j
                    return nn.functional.cross_entropy(probabilities.log(), label).item<double>();   // log-probabilities as logits
                }, 4, "The blended label is λ on class 0 and 1 − λ on class 1, so the loss is λ(−log ŷ₀) + (1 − λ)(−log ŷ₁).",
                    ((1 - b.Lambda) * -Math.Log(b.First) + b.Lambda * -Math.Log(b.Second),
                        "λ belongs to the first image x_i, the T-shirt: its class gets the weight λ, the trouser's 1 − λ."),
                    (-Math.Log(b.First), "That is the loss against the T-shirt's own one-hot label; the blended label puts weight on two classes."),
                    (-Math.Log(b.Lambda * b.First + (1 - b.Lambda) * b.Second),
                        "Blend the two losses, not the two probabilities: the logarithm comes before the weighted sum."),
                    (b.Lambda * -Math.Log10(b.First) + (1 - b.Lambda) * -Math.Log10(b.Second), "Cross-entropy uses the natural logarithm, ln."),
                    (b.Lambda * Math.Log(b.First) + (1 - b.Lambda) * Math.Log(b.Second), "Cross-entropy has a minus sign: a loss is never negative.")),
                b => b.Lambda * -Math.Log(b.First) + (1 - b.Lambda) * -Math.Log(b.Second)),
            1.7651, 0.5108, 0.7985),

        Entry("04.9", ExerciseKind.Hyperparameter, "a learning rate just above the limit",
            Choice('C', "the largest curvature is about 3.56, so along the steepest direction each step multiplies the distance "
                        + "to the minimum by 1 − 0.6 · 3.56 ≈ −1.14: it overshoots by a little more than it started, step after step.",
                "What does one step do along the steepest direction, where the curvature is κ_max? Compare η with 2/κ_max.",
                DivergenceEvidence,
                ('A', "Below the limit a larger rate is faster; is 0.6 below the limit?"),
                ('B', "That is what happens just below the limit, where each zig-zag is smaller than the last. Is 0.6 below it?"),
                ('D', "Full-batch steps have a step size too; the limit 2/κ_max is exactly about them.")),
            'A', 'B', 'D'),

        Entry("04.10", ExerciseKind.ComputeByHand, "two steps with momentum",
            Inputs(new TwoSteps(1, 0.1, 0.9, 2, 1),
                r => new TwoSteps(r.Pick(-1.0, 0, 0.5, 1, 2), r.Pick(0.01, 0.05, 0.1, 0.2), r.Pick(0.5, 0.8, 0.9, 0.95),
                    r.Pick(-3.0, -2, -1, 1, 2, 3, 4), r.Pick(-2.0, -1, -0.5, 0.5, 1, 2, 3)),
                m => Inv($$"""
                    **Exercise 04.10 · Compute by hand: two steps with momentum.** `SGD` with $\eta = {{m.Lr}}$ and momentum
                    $\mu = {{m.Mu}}$ starts from $w_0 = {{m.W0}}$ with $v_0 = 0$. The gradient at the first step is $g_1 = {{m.G1}}$,
                    at the second $g_2 = {{m.G2}}$. With the update rule of §4.8, what is $w_2$? Give four decimals.
                    """),
                m => NumberAnswer.Decimals(() => Stepped(m.W0, [m.G1, m.G2], w => torch.optim.SGD([w], m.Lr, momentum: m.Mu)), 4,
                    "First v₁ = g₁ and w₁ = w₀ − ηv₁; then v₂ = μv₁ + g₂ and w₂ = w₁ − ηv₂.",
                    (m.W0 - m.Lr * (m.G1 + m.G2), "That is plain SGD: the velocity carries μ times the last one into the second step."),
                    (m.W0 - m.Lr * (1 - m.Mu) * m.G1 - m.Lr * (m.Mu * (1 - m.Mu) * m.G1 + (1 - m.Mu) * m.G2),
                        "That is the velocity as an average, v ← μv + (1 − μ)g; the rule of §4.8 (and TorchSharp's) adds the whole gradient."),
                    (m.W0 - m.Lr * m.G1 - m.Lr * (m.G1 + m.Mu * m.G2), "μ scales the old velocity, v₁, not the new gradient."),
                    (m.W0 - m.Lr * (m.Mu * m.G1 + m.G2), "w₂ = w₁ − ηv₂: the first step, w₁ = w₀ − ηv₁, comes first."),
                    (m.W0 + m.Lr * m.G1 + m.Lr * (m.Mu * m.G1 + m.G2), "Step against the velocity: subtract ηv.")),
                m => m.W0 - m.Lr * m.G1 - m.Lr * (m.Mu * m.G1 + m.G2)),
            0.7, 0.952, 0.72),

        Entry("04.11", ExerciseKind.ComputeByHand, "two steps of Adam",
            Inputs(new TwoSteps(1, 0.1, 0, 4, 2),
                r =>
                {
                    var g1 = r.Pick(0.04, 0.5, 3, 4, 40, 400) * r.Pick(1, -1);   // gradients of any scale: Adam's steps do not follow it
                    return new TwoSteps(r.Pick(-1.0, 0, 0.5, 1, 2), r.Pick(0.01, 0.05, 0.1), 0, g1, g1 * r.Pick(0.5, 2, -1, -0.5, 3));
                },
                a => Inv($$"""
                    **Exercise 04.11 · Compute by hand: two steps of Adam.** Adam with $\eta = {{a.Lr}}$ and its defaults
                    $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$ starts from $w_0 = {{a.W0}}$ with $m_0 = s_0 = 0$. The gradient at
                    the first step is $g_1 = {{a.G1}}$, at the second $g_2 = {{a.G2}}$. With the update rule of §4.8, what is $w_2$?
                    Give four decimals.
                    """),
                a => NumberAnswer.Decimals(() => Stepped(a.W0, [a.G1, a.G2], w => torch.optim.Adam([w], a.Lr, 0.9, 0.999, 1e-8)), 4,
                    "Step 1 moves w by η against the sign of g₁. For step 2: m₂ = 0.9m₁ + 0.1g₂, s₂ = 0.999s₁ + 0.001g₂², "
                    + "then m̂₂ = m₂/(1 − 0.9²), ŝ₂ = s₂/(1 − 0.999²) and w₂ = w₁ − η m̂₂/(√ŝ₂ + ε).",
                    (Adam(a, correct: false), "Without the bias correction m and s are far too small at the start; divide by 1 − βᵗ."),
                    (a.W0 - a.Lr * Math.Sign(a.G1) - a.Lr * Math.Sign(a.G2),
                        "Only the first step moves by exactly η; at step 2, m and s average two different gradients."),
                    (Adam(a, correct: true, firstCorrectionOnly: true), "At step t the corrections are 1 − β₁ᵗ and 1 − β₂ᵗ: at step 2, 1 − 0.9² and 1 − 0.999²."),
                    (a.W0 - a.Lr * (a.G1 + a.G2), "That is plain SGD; Adam divides by the root of the running mean square.")),
                a => Adam(a, correct: true)),
            0.2876, 0.8, 0.7747, 0.4),

        Entry("04.12", ExerciseKind.Explain, "why choose on a validation set",
            Choice('B', "every measured loss is the true error plus noise from the particular examples; the smallest of many "
                        + "such numbers is, on average, below the true error of the model it picks. A set used to choose is "
                        + "spent: only data never used for any choice gives an honest estimate.",
                "Every measured loss is the true error plus some noise. What is the minimum of 20 noisy numbers like, on average?",
                SelectionBiasEvidence,
                ('A', "The test set is as large as the validation set, or larger; the question is what using it to choose does."),
                ('C', "A validation set is kept apart from the training set; that is the point of it."),
                ('D', "A loss on a few thousand examples takes a fraction of an epoch; speed is not the reason.")),
            'A', 'C', 'D'),
    ];

    sealed record Layer(int In, int Out);

    sealed record FixedRange(double A, int In);

    sealed record Blend(double Lambda, double First, double Second);

    /// <summary>A start, a learning rate, a momentum μ (unused by Adam) and the gradients of two steps.</summary>
    sealed record TwoSteps(double W0, double Lr, double Mu, double G1, double G2);

    /// <summary>w after torch.optim's steps, one per gradient: a loss g·w has the gradient g.</summary>
    internal static double Stepped(double w0, double[] gradients, Func<TorchSharp.Modules.Parameter, torch.optim.Optimizer> make)
    {
        var w = new TorchSharp.Modules.Parameter(torch.tensor(new[] { w0 }));
        var optimizer = make(w);
        foreach (var g in gradients)
        {
            optimizer.zero_grad();
            (w * torch.tensor(new[] { g })).sum().backward();
            optimizer.step();
        }
        return w.detach()[0].item<double>();
    }

    /// <summary>Adam's two steps by hand: with the bias correction, without it, or with step 1's correction used at step 2 too.</summary>
    static double Adam(TwoSteps a, bool correct, bool firstCorrectionOnly = false)
    {
        var (w, m, s) = (a.W0, 0.0, 0.0);
        foreach (var (g, t) in new[] { (a.G1, 1), (a.G2, 2) })
        {
            (m, s) = (0.9 * m + 0.1 * g, 0.999 * s + 0.001 * g * g);
            var power = firstCorrectionOnly ? 1 : t;
            var (mHat, sHat) = correct ? (m / (1 - Math.Pow(0.9, power)), s / (1 - Math.Pow(0.999, power))) : (m, s);
            w -= a.Lr * mHat / (Math.Sqrt(sHat) + 1e-8);
        }
        return w;
    }

    sealed record Decay(double Lambda, double Lr);

    sealed record Kept(double P, int H);

    sealed record Passes(int Images, int Classes, int Count);

    /// <summary>Validation losses, as the prompt writes them, and the patience.</summary>
    sealed record Stopping(string Losses, int Patience)
    {
        public double[] Values => [.. Losses.Split(", ").Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>Ten losses that fall, wobble and rise, with one best epoch, and a patience that stops before the end.</summary>
    static Stopping DrawStopping(Random r)
    {
        while (true)
        {
            var bottom = r.Between(3, 7);
            var values = Enumerable.Range(1, 10).Select(e => Math.Round(0.55 + 0.04 * Math.Abs(e - bottom) + 0.03 * (r.NextDouble() - 0.5), 2)).ToArray();
            var stopping = new Stopping(string.Join(", ", values.Select(v => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))), r.Between(2, 4));
            var best = stopping.Values.Min();
            var (restored, stopped) = EarlyStopping(stopping.Values, stopping.Patience);
            if (stopping.Values.Count(v => v == best) == 1 && stopped < 10 && restored == Array.IndexOf(stopping.Values, best) + 1) return stopping;
        }
    }

    static Verdict DropoutStatistics(Func<Tensor, double, Tensor> dropout)
    {
        torch.manual_seed(0);   // the learner's torch.rand draws from the global generator; the check restores it afterwards
        var h = torch.full(50_000, 2f);
        var none = dropout(h, 0);
        if (WrongShape(none, h.shape, "result") is { } shape) return shape;
        if (!Close(none, h)) return NotYet("With p = 0 your function changes h.", "With p = 0 nothing is dropped and 1/(1 − p) = 1: h passes unchanged.");
        var out30 = dropout(h, 0.3);
        var dropped = out30.eq(0).to_type(ScalarType.Float64).mean().item<double>();
        if (Math.Abs(dropped - 0.7) < 0.01)
            return NotYet("With p = 0.3 your function drops about 70 % of the units.", "Drop with probability p: keep a unit where the random number is greater than p.");
        if (Math.Abs(dropped - 0.3) > 0.01)
            return NotYet($"With p = 0.3 your function drops {dropped:P0} of the units.", "Each unit is dropped with probability p, independently of the others.");
        var kept = out30[out30.ne(0)];
        var keptValue = kept.mean().item<float>();
        if (Math.Abs(keptValue - 2) < 1e-4)
            return NotYet("The kept units still hold h: the average output is only 70 % of h.", "Rescale the kept units so that the expected value stays h.");
        if (Math.Abs(keptValue - 2 / 0.3) < 1e-3)
            return NotYet("The kept units are divided by p.", "Divide by the probability of being kept, 1 − p.");
        if (!Close(kept, torch.full_like(kept, 2 / 0.7f), atol: 1e-4))
            return NotYet("The kept units are not all h/(1 − p).", "A kept unit becomes h/(1 − p); a dropped one 0.");
        return Correct("Your dropout drops about 30 % at p = 0.3, rescales the rest by 1/(1 − p), and keeps the mean at h.");
    }

    internal static (long Restored, long Stopped) EarlyStopping(double[] validation, int patience)
    {
        var (best, bestEpoch) = (double.PositiveInfinity, 0L);
        for (var epoch = 1; epoch <= validation.Length; epoch++)
        {
            if (validation[epoch - 1] < best) (best, bestEpoch) = (validation[epoch - 1], epoch);
            else if (epoch - bestEpoch >= patience) return (bestEpoch, epoch);
        }
        return (bestEpoch, validation.Length);
    }

    /// <summary>Full-batch gradient descent on the z-scored Fish data at η = 0.1 and 0.6, with the Hessian's limit.</summary>
    static char DivergenceEvidence(DataCache? cache)
    {
        var (X, y) = FishMarket.ToTensors(FishMarket.ZScore(FishMarket.Load(cache)), FishMarket.Weight, ["Height", "Width"]);
        var A = torch.cat([torch.ones(159, 1), X], 1);
        var hessian = A.T.mm(A) * torch.tensor(2.0f / 159);
        var limit = 2 / torch.linalg.eigvalsh(hessian).max().item<float>();
        double[] Run(double lr)
        {
            var step = torch.tensor((float)(lr * 2.0 / 159));
            var w = torch.zeros(3, 1);
            var losses = new double[30];
            for (var i = 0; i < 30; i++)
            {
                var residual = A.mm(w) - y;
                losses[i] = residual.square().mean().item<float>();
                w = w - step * A.T.mm(residual);
            }
            return losses;
        }
        var (slow, fast) = (Run(0.1), Run(0.6));
        if (limit < 0.6 && fast[^1] > 100 * fast[0]) return 'C';
        return fast[^1] <= slow[^1] ? 'A' : 'B';
    }

    /// <summary>
    /// Twenty epochs whose true error is the same 0.30, each measured on a test set with noise of 0.02: the smallest
    /// measurement, averaged over many runs, lies clearly below 0.30.
    /// </summary>
    static char SelectionBiasEvidence(DataCache? _)
    {
        var measured = torch.randn(1000, 20, generator: Seeded(10)) * torch.tensor(0.02f) + torch.tensor(0.30f);
        var chosen = measured.min(1).values.mean().item<float>();
        return chosen < 0.30 - 0.02 ? 'B' : 'A';
    }
}
