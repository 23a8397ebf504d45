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
            """
            **Exercise 04.1 · Compute by hand: Xavier initialisation.** Xavier (Glorot) normal initialisation draws the
            weights of `nn.Linear(784, 256)` with variance $2/(n_\text{in} + n_\text{out})$. What is their standard
            deviation? Give four decimals.
            """,
            """
            double? std = null;   // ← your answer, four decimals
            Exercise.Check("04.1", std);
            """,
            NumberAnswer.Decimals(() => nn.init.calculate_gain(nn.init.NonlinearityType.Linear) * Math.Sqrt(2.0 / (784 + 256)), 4,
                "n_in and n_out are the layer's inputs and outputs; the standard deviation is the square root of the variance.",
                (Math.Sqrt(2.0 / 784), "That is He's 2/n_in; Xavier averages the fan-in and the fan-out."),
                (2.0 / (784 + 256), "That is the variance; take its square root.")),
            0.0505, 0.0019, 0.05),

        Entry("04.2", ExerciseKind.ComputeByHand, "the epoch early stopping restores",
            """
            **Exercise 04.2 · Compute by hand: early stopping.** The validation losses after epochs 1, 2, … are
            $0.90, 0.71, 0.62, 0.60, 0.61, 0.59, 0.63, 0.64, 0.66, 0.70$. With the rule of §4.3 and `patience` 3, which
            epoch's weights are put back at the end?
            """,
            """
            long? epoch = null;   // ← the epoch whose weights are restored
            Exercise.Check("04.2", epoch);
            """,
            NumberAnswer.Whole(() => EarlyStopping([0.90, 0.71, 0.62, 0.60, 0.61, 0.59, 0.63, 0.64, 0.66, 0.70], patience: 3).Restored,
                "Track the best validation loss so far; stop after `patience` epochs without a new best, and restore the best.",
                (4, "Epoch 4's 0.60 is beaten later; keep going until patience runs out."),
                (9, "That is the epoch where training stops; the weights put back are those of the best epoch."),
                (10, "Training stops before the last epoch: patience runs out first.")),
            4L, 9L, 10L),

        Entry("04.3", ExerciseKind.ComputeByHand, "the weight-decay factor",
            """
            **Exercise 04.3 · Compute by hand: how much weight decay shrinks.** With the penalty $\lambda \sum_j w_j^2$,
            $\lambda = 0.05$ and learning rate $\eta = 0.1$, every SGD step multiplies each weight by a factor before
            the usual gradient step (§4.4). What is that factor? Give four decimals.
            """,
            """
            double? factor = null;   // ← your answer, four decimals
            Exercise.Check("04.3", factor);
            """,
            NumberAnswer.Decimals(() =>
            {
                // A loss with zero gradient: only the decay moves the weight. weight_decay = 2λ (§4.4).
                var w = new TorchSharp.Modules.Parameter(torch.ones(1));
                var sgd = torch.optim.SGD([w], 0.1, weight_decay: 2 * 0.05);
                (0 * w).sum().backward();
                sgd.step();
                return w.item<float>();
            }, 4, "The penalty's gradient 2λw joins the step: w ← w − η(∇MSE + 2λw).",
                (1 - 0.1 * 0.05, "The penalty λ·Σw² has the gradient 2λw, not λw."),
                (1 - 2 * 0.05, "The decay is part of the SGD step, so it is scaled by the learning rate too.")),
            0.995, 0.9, 0.9975),

        Entry("04.4", ExerciseKind.CompleteCode, "dropout by hand",
            """
            **Exercise 04.4 · Complete the code: dropout.** In training mode, dropout sets each unit to 0 with
            probability $p$ and rescales the others so that the expected value stays $h$ (§4.5). Write it for
            $0 \le p < 1$, drawing the random numbers with `torch.rand`. The check measures what fraction your function
            drops and what the kept units become.
            """,
            """
            Tensor Dropout(Tensor h, double p)   // training mode, 0 ≤ p < 1
                => throw Exercise.Todo;          // ← zero each unit with probability p, rescale the rest
            Exercise.Check("04.4", Dropout);
            """,
            CodeAnswer.Function<Tensor, double, Tensor>("a function (Tensor h, double p) → Tensor",
                "Keep a unit where torch.rand(h.shape) > p, and divide the kept units by 1 − p.", DropoutStatistics),
            (Func<Tensor, double, Tensor>)((h, p) => h * (torch.rand(h.shape) > p).to_type(h.dtype)),
            (Func<Tensor, double, Tensor>)((h, p) => h * (torch.rand(h.shape) > p).to_type(h.dtype) / p),
            (Func<Tensor, double, Tensor>)((h, p) => h * (torch.rand(h.shape) < p).to_type(h.dtype) / (1 - p))),

        Entry("04.5", ExerciseKind.ComputeByHand, "a kept unit under dropout",
            """
            **Exercise 04.5 · Compute by hand: dropout's rescaling.** `nn.Dropout(0.2)` in training mode receives a
            unit with value $h = 3$. If the unit is kept, what value does it pass on? Give two decimals.
            """,
            """
            double? kept = null;   // ← your answer, two decimals
            Exercise.Check("04.5", kept);
            """,
            NumberAnswer.Decimals(() =>
            {
                using var dropout = nn.Dropout(0.2);
                dropout.train();
                return dropout.call(torch.full(1000, 3f)).max().item<float>();
            }, 2, "Kept units are divided by the probability of being kept.",
                (3 * 0.8, "Multiplying by 1 − p shrinks the unit; dropout keeps the expected value h by dividing by 1 − p."),
                (3 / 0.2, "Divide by the probability of being kept, 1 − p, not by p."),
                (3, "Kept units are rescaled in training, so that the expected value stays h.")),
            2.4, 15.0, 3.0),
        Entry("04.6", ExerciseKind.Predict, "Monte Carlo dropout's stack",
            """
            **Exercise 04.6 · Predict a shape: Monte Carlo dropout.** A network classifies $N = 500$ test images into 10
            classes, 20 times with dropout on. Each pass gives softmax probabilities of shape $[500, 10]$, and
            `torch.stack` collects the 20 passes. What shape does the stack have?
            """,
            """
            long[] shape = null!;   // ← your answer
            Exercise.Check("04.6", shape);
            """,
            new ShapeAnswer(() => torch.stack(Enumerable.Range(0, 20).Select(_ => torch.zeros(500, 10))).shape,
                "torch.stack puts the tensors along a new axis, at position 0 unless told otherwise.",
                ([10000, 10], "That is torch.cat, which joins along an existing axis; torch.stack adds a new one."),
                ([500, 10, 20], "The new axis of torch.stack comes first (dim 0 by default).")),
            new long[] { 10000, 10 }, new long[] { 500, 10, 20 }, new long[] { 500, 10 }),

        Entry("04.7", ExerciseKind.Hyperparameter, "a learning rate above the limit",
            """
            **Exercise 04.7 · Change a hyperparameter: above the limit.** The Fish regression of §4.7 has the stability
            limit $\eta < 2/\kappa_\text{max} \approx 0.56$ ($\kappa_\text{max}$, the largest curvature) for full-batch gradient descent. Run full-batch gradient
            descent (all 159 fish per step) with $\eta = 0.8$ instead of 0.1. What happens?

            - **A** It converges faster than with 0.1, to the same MSE.
            - **B** It converges, but to a higher MSE than with 0.1.
            - **C** The loss grows from step to step: it diverges.
            - **D** Nothing changes: the learning rate only matters for minibatches.
            """,
            """
            char? choice = null;   // ← 'A', 'B', 'C' or 'D'
            Exercise.Check("04.7", choice);
            """,
            Choice('C', "along the steepest direction each step multiplies the distance to the minimum by 1 − ηκ_max ≈ 1 − 0.8 · 3.6 ≈ −1.9: "
                        + "it overshoots by more than it started, step after step.",
                "What does one step do along the steepest direction, where the curvature is κ_max?",
                DivergenceEvidence,
                ('A', "Below the limit a larger rate is faster; above it, what does a step do along the steepest direction?"),
                ('B', "A quadratic loss has one minimum; the question is whether the steps get there at all."),
                ('D', "Full-batch steps have a step size too; the limit 2/κ_max is exactly about them.")),
            'A', 'B', 'D'),

    ];

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

    /// <summary>Full-batch gradient descent on the z-scored Fish data at η = 0.1 and 0.8, with the Hessian's limit.</summary>
    static char DivergenceEvidence(DataCache? cache)
    {
        var (X, y) = FishMarket.ToTensors(FishMarket.ZScore(FishMarket.Load(cache)), FishMarket.Weight, ["Height", "Width"]);
        var A = torch.cat([torch.ones(159, 1), X], 1);
        var limit = 2 / torch.linalg.eigvalsh(2.0f / 159 * A.T.mm(A)).max().item<float>();
        double[] Run(double lr)
        {
            var w = torch.zeros(3, 1);
            var losses = new double[30];
            for (var step = 0; step < 30; step++)
            {
                var residual = A.mm(w) - y;
                losses[step] = residual.pow(2).mean().item<float>();
                w = w - lr * (2.0 / 159) * A.T.mm(residual);
            }
            return losses;
        }
        var (slow, fast) = (Run(0.1), Run(0.8));
        if (limit < 0.8 && fast[^1] > 100 * fast[0]) return 'C';
        return fast[^1] <= slow[^1] ? 'A' : 'B';
    }
}
