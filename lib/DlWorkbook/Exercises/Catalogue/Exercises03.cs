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
            """
            **Exercise 03.1 · Compute by hand: parameters of an MLP.** How many parameters (weights and biases) does
            `nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))` have?
            """,
            """
            long? parameters = null;   // ← your answer
            Exercise.Check("03.1", parameters);
            """,
            NumberAnswer.Whole(() =>
            {
                using var net = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10));
                return net.parameters().Sum(p => p.numel());
            }, "Each Linear(in, out) has in·out weights and out biases; Flatten and ReLU have none.",
                (784 * 128 + 128 * 64 + 64 * 10, "Those are the weights; every Linear layer also has one bias per output."),
                (784 * 128 + 784 + 128 * 64 + 128 + 64 * 10 + 64, "One bias per output of each layer, not per input.")),
            784L * 128 + 128 * 64 + 64 * 10, 203_530L),

        Entry("03.2", ExerciseKind.Predict, "the shape of a hidden layer",
            """
            **Exercise 03.2 · Predict a shape: the hidden layer.** A batch `X` of shape $[64, 784]$ goes through
            `nn.Linear(784, 128)` and then `nn.ReLU()`. What is the shape of the result?
            """,
            """
            long[] shape = null!;   // ← your answer
            Exercise.Check("03.2", shape);
            """,
            new ShapeAnswer(() => { using var layer = nn.Linear(784, 128); return nn.functional.relu(layer.call(torch.zeros(64, 784))).shape; },
                "Linear(in, out) replaces the last axis, in, by out; an activation works element by element.",
                ([128, 64], "The batch axis stays first: one row per example."),
                ([64, 784], "The layer maps 784 inputs to 128 outputs: the last axis changes.")),
            new long[] { 128, 64 }, new long[] { 64, 784 }, new long[] { 128 }),

        Entry("03.3", ExerciseKind.Predict, "two linear layers collapse",
            """
            **Exercise 03.3 · Predict a shape: the collapsed layer.** Two linear layers without an activation, $W_h$ of
            shape $[5, 4]$ and then $W_o$ of shape $[3, 5]$, equal one linear layer $W = W_o W_h$ (§3.3). What is the
            shape of $W$?
            """,
            """
            long[] shape = null!;   // ← your answer
            Exercise.Check("03.3", shape);
            """,
            new ShapeAnswer(() => torch.zeros(3, 5).mm(torch.zeros(5, 4)).shape,
                "[a, b] × [b, c] = [a, c]; and a single layer from 4 inputs to 3 outputs stores [out, in].",
                ([5, 5], "The inner lengths of a matrix product cancel; the outer ones remain."),
                ([4, 3], "nn.Linear stores weights as [out, in]: this layer maps 4 inputs to 3 outputs.")),
            new long[] { 5, 5 }, new long[] { 4, 3 }),

        Entry("03.4", ExerciseKind.ComputeByHand, "XOR without ReLU",
            """
            **Exercise 03.4 · Compute by hand: XOR without the ReLU.** §3.3 solves XOR with $h_1 = \mathrm{ReLU}(x_1 + x_2)$,
            $h_2 = \mathrm{ReLU}(x_1 + x_2 - 1)$ and $o = h_1 - 2h_2$. Leave out the ReLU and the same weights give
            $o = (x_1 + x_2) - 2(x_1 + x_2 - 1)$. On how many of the four XOR examples is that output wrong (not equal
            to the target)? Work it out from the table, not from the text.
            """,
            """
            long? wrong = null;   // ← your answer
            Exercise.Check("03.4", wrong);
            """,
            NumberAnswer.Whole(() =>
            {
                var X = torch.tensor(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
                var target = torch.tensor(new float[] { 0, 1, 1, 0 });
                var pre = X.mm(torch.ones(2, 2)) + torch.tensor(new float[] { 0, -1 });
                var output = pre.mm(torch.tensor(new float[,] { { 1 }, { -2 } })).squeeze(1);
                return output.ne(target).sum().item<long>();
            }, "Compute o = (x₁ + x₂) − 2(x₁ + x₂ − 1) for each of the four rows and compare it with the target.",
                (2, "Count again, row by row: compare each output with its target."),
                (4, "Some rows do come out right: work out all four outputs.")),
            2L, 4L, 0L),

        Entry("03.5", ExerciseKind.ComputeByHand, "one update of PReLU's slope",
            """
            **Exercise 03.5 · Compute by hand: PReLU learns its slope.** `nn.PReLU(1, 0.25)` starts with $\alpha = 0.25$.
            For the inputs $[-1, -2, 3]$ and the loss $L = \sum_i \mathrm{PReLU}(h_i)$, one SGD step with learning rate
            0.5 updates $\alpha$. What is $\alpha$ after the step? Give two decimals.
            """,
            """
            double? alpha = null;   // ← α after one step
            Exercise.Check("03.5", alpha);
            """,
            NumberAnswer.Decimals(() =>
            {
                using var prelu = nn.PReLU(1, 0.25);
                var sgd = torch.optim.SGD(prelu.parameters(), 0.5);
                prelu.call(torch.tensor(new float[] { -1, -2, 3 })).sum().backward();
                sgd.step();
                return prelu.weight.item<float>();
            }, 2, "∂PReLU(z)/∂α is min(z, 0); add it up over the inputs, then α ← α − lr·∂L/∂α.",
                (0.25 + 0.5 * -3, "Mind the sign: ∂L/∂α is negative here, and SGD subtracts lr times it."),
                (0.25 - 0.5 * 0, "α did not move, but ∂L/∂α is not 0: each negative input z adds ∂PReLU(z)/∂α = z, "
                                 + "and a positive input adds nothing (it passes unchanged, whatever α is)."),
                (0.25 + 3, "SGD moves by the learning rate times the gradient, not by the gradient itself."),
                (0.25 + 0.5 * 1, "L is the sum of the outputs, not their mean: do not divide the gradient by 3.")),
            -1.25, 0.25, 3.25, 0.75, 1.0),
        Entry("03.6", ExerciseKind.ComputeByHand, "vanishing gradients through sigmoids",
            """
            **Exercise 03.6 · Compute by hand: a vanishing gradient.** The derivative of the sigmoid is at most
            $\sigma'(0)$. Back-propagation through 6 sigmoid layers multiplies 6 such factors. What is the largest
            value their product can have? (Three significant digits are enough.)
            """,
            """
            double? largest = null;   // ← your answer
            Exercise.Check("03.6", largest);
            """,
            NumberAnswer.Relative(() =>
            {
                var z = torch.zeros(1).requires_grad_();
                torch.sigmoid(z).sum().backward();
                return Math.Pow(z.grad!.item<float>(), 6);
            }, 0.005, "σ'(z) = σ(z)(1 − σ(z)) is largest at z = 0; the chain rule multiplies the six factors.",
                (6 * 0.25, "The chain rule multiplies the factors of the layers; it does not add them."),
                (0.25, "That is one layer's factor; there are six.")),
            1.5, 0.25, 0.5),

        Entry("03.7", ExerciseKind.CompleteCode, "the MLP forward pass",
            """
            **Exercise 03.7 · Complete the code: an MLP by hand.** Write the forward pass of a one-hidden-layer MLP with
            ReLU, $O = \mathrm{ReLU}(X W_1^\top + \mathbf b_1)\, W_2^\top + \mathbf b_2$, with the weights stored as
            `nn.Linear` stores them ($[\text{out}, \text{in}]$). The check compares it with `nn.Sequential` layers.
            """,
            """
            Tensor Forward(Tensor X, Tensor W1, Tensor b1, Tensor W2, Tensor b2)   // X [n, d], W1 [h, d], b1 [h], W2 [q, h], b2 [q]
                => throw Exercise.Todo;                                             // ← the logits [n, q]
            Exercise.Check("03.7", Forward);
            """,
            CodeAnswer.Function<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>("a function (Tensor X, Tensor W1, Tensor b1, Tensor W2, Tensor b2) → Tensor",
                "Hidden layer H = ReLU(X W1ᵀ + b1), [n, h]; output O = H W2ᵀ + b2, [n, q].", ForwardCases),
            (Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>)((X, W1, b1, W2, b2) => (X.mm(W1.T) + b1).mm(W2.T) + b2),
            (Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>)((X, W1, b1, W2, b2) => nn.functional.relu(nn.functional.relu(X.mm(W1.T) + b1).mm(W2.T) + b2))),

    ];

    static Verdict ForwardCases(Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor> forward)
    {
        var generator = Seeded(4);
        var X = torch.randn(4, 5, generator: generator);
        var W1 = torch.randn(6, 5, generator: generator);
        var b1 = torch.randn(6, generator: generator);
        var W2 = torch.randn(3, 6, generator: generator);
        var b2 = torch.randn(3, generator: generator);
        using var mlp = nn.Sequential(nn.Linear(5, 6), nn.ReLU(), nn.Linear(6, 3));
        using (torch.no_grad())
        {
            var (hidden, output) = ((TorchSharp.Modules.Linear)mlp[0], (TorchSharp.Modules.Linear)mlp[2]);
            hidden.weight!.copy_(W1); hidden.bias!.copy_(b1);
            output.weight!.copy_(W2); output.bias!.copy_(b2);
        }
        var want = mlp.call(X);
        var got = forward(X, W1, b1, W2, b2);
        if (WrongShape(got, [4, 3], "output") is { } shape) return shape;
        if (Close(got, want)) return Correct("Your forward pass gives the same logits as nn.Sequential(Linear, ReLU, Linear).");
        if (Close(got, (X.mm(W1.T) + b1).mm(W2.T) + b2))
            return NotYet("Your output is a linear function of X.", "Apply ReLU to the hidden layer, or the two layers collapse into one.");
        if (Close(got, nn.functional.relu(want)))
            return NotYet("Your logits are never negative.", "No activation after the output layer: logits may be any number.");
        return NotYet("Your logits differ from nn.Sequential's.", "H = ReLU(X W1ᵀ + b1), then O = H W2ᵀ + b2; the weights are [out, in], hence the transposes.");
    }
}
