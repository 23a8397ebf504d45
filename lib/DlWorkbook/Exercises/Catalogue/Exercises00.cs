using TorchSharp;
using static DlWorkbook.Exercises.Catalogue.Build;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>Notebook 00: tensors, models and training.</summary>
internal static class Exercises00
{
    public static IEnumerable<CatalogueEntry> All =>
    [
        Entry("00.1", ExerciseKind.Predict, "parameters of a Linear layer",
            Inputs(new Layer(784, 256),
                r => new Layer(r.Pick(16, 32, 64, 100, 128, 300, 512, 784, 1000), r.Pick(1, 2, 10, 16, 32, 50, 64, 128, 256)),
                l => Inv($"""
                    **Exercise 00.1 · Predict: how many parameters?** `nn.Linear({l.In}, {l.Out})` maps {l.In} inputs to {l.Out} outputs.
                    How many numbers does it learn? Work it out from the shapes of its weight matrix and its bias, then check.
                    """),
                l => NumberAnswer.Whole(() => { using var layer = nn.Linear(l.In, l.Out); return layer.parameters().Sum(p => p.numel()); },
                    "The weight matrix has one row per output and one column per input; then add the biases.",
                    (l.In * l.Out, "That is the weight matrix alone: the layer also learns one bias per output."),
                    (l.In * l.Out + l.In, "One bias per output, not one per input.")),
                l => (double)(l.In * l.Out + l.Out)),
            784L * 256, 784L * 256 + 784, "2e5"),

        Entry("00.2", ExerciseKind.Predict, "reshape with -1",
            Inputs(new Reshape(24, 2, 4),
                r => { var (first, middle, last) = (r.Between(2, 5), r.Between(2, 6), r.Between(2, 6)); return new Reshape(first * middle * last, first, last); },
                x => Inv($"""
                    **Exercise 00.2 · Predict a shape: `reshape` with −1.** What is the shape of `torch.arange({x.Count}).reshape({x.First}, -1, {x.Last})`?
                    """),
                x => new ShapeAnswer(() => torch.arange(x.Count).reshape(x.First, -1, x.Last).shape,
                    Inv($"reshape keeps the number of elements: the −1 becomes whatever makes the product of the lengths {x.Count}."),
                    (Shape(x.First, x.Count / x.First, x.Last), Inv($"{x.First} · {x.Count / x.First} · {x.Last} is {x.Count * x.Last}, not {x.Count}: the −1 must make the product of all lengths equal to the {x.Count} elements.")),
                    (Shape(x.First, x.Last, x.Count / (x.First * x.Last)), "The lengths you give stay where you put them; only the −1 is worked out.")),
                x => Shape(x.First, x.Count / (x.First * x.Last), x.Last)),
            new long[] { 2, 12, 4 }, new long[] { 24 }),

        Entry("00.3", ExerciseKind.Predict, "shape after broadcasting",
            Inputs(new Broadcast(4, 3),
                r => new Broadcast(r.Between(2, 9), r.Between(2, 9)),
                b => Inv($"""
                    **Exercise 00.3 · Predict a shape: broadcasting.** What is the shape of `torch.ones({b.Rows}, 1) + torch.ones({b.Columns})`?
                    Line the two shapes up from the right, as TorchSharp does, before you run anything.
                    """),
                b => new ShapeAnswer(() => (torch.ones(b.Rows, 1) + torch.ones(b.Columns)).shape,
                    "Compare the axes from the right; an axis of length 1 (or a missing axis) is stretched to the other length.",
                    (Shape(b.Rows, 1), "An axis of length 1 does not stay 1: it is stretched to match the other tensor."),
                    (Shape(b.Columns, b.Rows), Inv($"Line the shapes up from the right: the {b.Columns} meets the 1, and the {b.Rows} meets a missing axis."))),
                b => Shape(b.Rows, b.Columns)),
            new long[] { 4, 1 }, new long[] { 3, 4 }, new long[] { 3 }),

        Entry("00.4", ExerciseKind.ComputeByHand, "a derivative by hand",
            Inputs(new Derivative(3, 4, 2),
                r =>
                {
                    while (true)
                        if (new Derivative(r.Between(1, 5), r.Between(1, 9), r.Between(-3, 3)) is var d && d.W * d.X != d.Y) return d;
                },
                d => Inv($$"""
                    **Exercise 00.4 · Compute by hand: one derivative.** For one example with $x = {{d.X}}$ and $y = {{d.Y}}$ the loss is
                    $L(w) = (w x - y)^2$. What is $\frac{dL}{dw}$ at $w = {{d.W}}$? Use the chain rule as in §0.3; the check compares
                    your number with autograd's.
                    """),
                d => NumberAnswer.Decimals(() =>
                {
                    var x = torch.tensor((double)d.X);
                    var w = torch.tensor((double)d.W, requires_grad: true);
                    (w * x - torch.tensor((double)d.Y)).square().backward();
                    return w.grad!.item<double>();
                }, 3, "The outer function is a square, u², with derivative 2u; the inner one, u = w·x − y, has derivative x.",
                    (2 * (d.W * d.X - d.Y), "That is 2(wx − y): the chain rule still multiplies by the inner derivative, d(wx − y)/dw = x."),
                    ((d.W * d.X - d.Y) * d.X, "That is (wx − y)·x: the derivative of a square u² is 2u, not u.")),
                d => 2.0 * (d.W * d.X - d.Y) * d.X),
            4.0, 6.0, 36.0),

        Entry("00.5", ExerciseKind.CompleteCode, "one gradient-descent update",
            CodeAnswer.Action<Tensor, Tensor, double>("a function (Tensor w, Tensor b, double lr) that updates w and b in place",
                "Each parameter moves by −lr times its gradient, in place (sub_), and its .grad is zeroed afterwards (zero_).",
                update => ThreeSteps(update)),
            (Action<Tensor, Tensor, double>)((w, b, lr) =>
            {
                using (torch.no_grad()) { w.sub_(lr * w.grad!); b.sub_(lr * b.grad!); }
            }),
            (Action<Tensor, Tensor, double>)((w, b, lr) =>
            {
                using (torch.no_grad()) { w.add_(lr * w.grad!); b.add_(lr * b.grad!); w.grad!.zero_(); b.grad!.zero_(); }
            })),

        Entry("00.6", ExerciseKind.Hyperparameter, "a learning rate of 1.5",
            Choice('C', "for this loss the curvature is about 2 in every direction, so a step size above 2/2 = 1 lands "
                        + "further from the minimum than it started, and the distance grows geometrically.",
                "Think of the loss as a bowl: what does a step that is far too long do near the bottom?",
                LearningRateEvidence,
                ('A', "A larger step is not always faster: near the bottom of the bowl a long step jumps past the minimum."),
                ('B', "The minimum is the same, but can steps of this size reach it? Think about where one step lands."),
                ('D', "Nothing checks the step size: every line runs as before. Think about what the numbers do.")),
            'A', "B", 'd'),

        Entry("00.7", ExerciseKind.FindTheBug, "the loop that does not settle",
            Choice('B', "backward() adds to .grad, so without zeroing every update uses the sum of all gradients so far, "
                        + "and the parameters keep swinging past the minimum.",
                "The parameters do move, so gradients are computed; ask what happens to .grad from one backward() to the next.",
                MissingZeroGradEvidence,
                ('A', "A second backward() through the same graph would throw an error; the loop as printed runs."),
                ('C', "Under no_grad the loss would have no graph, and backward() would fail; the loss must be recorded."),
                ('D', "A dispose scope only frees memory sooner; it never changes a number.")),
            'A', 'C'),

        Entry("00.8", ExerciseKind.Explain, "why step against the gradient",
            Choice('B', "near w the loss changes by about ∂L/∂w · Δw, so the step Δw = −η ∂L/∂w changes it by −η (∂L/∂w)², "
                        + "which is never positive; with a small enough η the loss goes down.",
                "Near the current w, how does the loss change when w moves by a small Δw? Use the derivative.",
                AgainstTheGradientEvidence,
                ('A', "The gradient's sign depends on where w is: on one side of the minimum it is positive, on the other negative."),
                ('C', "A step only uses the slope at one point; 00.6 showed steps that land short or far past the minimum."),
                ('D', "Try it: a step along the gradient, instead of against it, makes the loss of §0.3 larger.")),
            'A', 'C', 'D'),
    ];

    /// <summary>The loss of §0.3 after one small step against, and one along, the gradient, from several starts.</summary>
    static char AgainstTheGradientEvidence(DlWorkbook.Data.DataCache? _)
    {
        var generator = Seeded(0);
        var xs = torch.randn(100, 1, generator: generator);
        var ys = xs * torch.tensor(3f) + torch.tensor(2f);
        var lr = torch.tensor(0.05f);
        foreach (var start in new[] { -4f, 0f, 2.5f, 6f })
        {
            var w = torch.tensor(new[] { start }).requires_grad_();
            var loss = (xs * w - ys).square().mean();
            loss.backward();
            using var noGrad = torch.no_grad();
            var against = (xs * (w - lr * w.grad!) - ys).square().mean().item<float>();
            var along = (xs * (w + lr * w.grad!) - ys).square().mean().item<float>();
            if (!(against < loss.item<float>() && along > loss.item<float>())) return 'D';
        }
        return 'B';
    }

    sealed record Layer(int In, int Out);

    sealed record Reshape(int Count, int First, int Last);

    sealed record Broadcast(int Rows, int Columns);

    sealed record Derivative(int X, int Y, int W);

    /// <summary>Three steps of y = 3x + 2 with the learner's update and the reference, compared after each step.</summary>
    static Verdict ThreeSteps(Action<Tensor, Tensor, double> update)
    {
        var x = torch.linspace(-1, 1, 10).reshape(10, 1);
        var y = 3 * x + 2;
        var (w, b) = (torch.tensor(new float[] { 0.5f }).requires_grad_(), torch.zeros(1).requires_grad_());
        var (wRef, bRef) = (torch.tensor(new float[] { 0.5f }).requires_grad_(), torch.zeros(1).requires_grad_());
        for (var step = 1; step <= 3; step++)
        {
            var before = w.detach().clone();
            (x * w + b - y).pow(2).mean().backward();
            var wGrad = w.grad!.clone();
            update(w, b, 0.1);
            (x * wRef + bRef - y).pow(2).mean().backward();
            using (torch.no_grad())
            {
                wRef.sub_(0.1 * wRef.grad!);
                bRef.sub_(0.1 * bRef.grad!);
                wRef.grad!.zero_();
                bRef.grad!.zero_();
            }
            if (Close(w, wRef) && Close(b, bRef)) continue;
            if (Close(w.detach(), before))
                return NotYet($"After step {step}, w has not changed.",
                    "Update the tensors in place with w.sub_(…): writing w = w - … only changes the variable inside your function. "
                    + "Zero the gradients after the update, not before.");
            if (step == 1 && Close(w.detach(), before + 0.1 * wGrad))
                return NotYet("After step 1, w moved in the direction of its gradient: uphill.", "Subtract lr times the gradient.");
            if (step > 1)
                return NotYet($"Step 1 is right, but step {step} is not.",
                    "backward() adds to .grad: zero the gradients after each update, or the next step uses their sum.");
            return NotYet("After step 1, w and b are not where w ← w − lr·∂L/∂w, b ← b − lr·∂L/∂b puts them.",
                "Each parameter moves by −lr times its own gradient.");
        }
        return Correct("Three steps match the reference: both parameters move against their gradients and the gradients are zeroed.");
    }

    /// <summary>The loop of §0.3 on its kind of data, at learning rates 0.1 and 1.5.</summary>
    static char LearningRateEvidence(DlWorkbook.Data.DataCache? _)
    {
        var slow = TinyLoop(0.1, zeroGrad: true);
        var fast = TinyLoop(1.5, zeroGrad: true);
        if (fast[^1] > 100 * fast[0] && fast.Zip(fast.Skip(1)).All(p => p.Second > p.First)) return 'C';
        return fast[^1] < 0.9 * slow[^1] ? 'A' : 'B';
    }

    static char MissingZeroGradEvidence(DlWorkbook.Data.DataCache? _)
    {
        var right = TinyLoop(0.1, zeroGrad: true);
        var missing = TinyLoop(0.1, zeroGrad: false);
        var swings = missing.Zip(missing.Skip(1)).Count(p => p.Second > p.First);
        return right[^1] < 0.02 && missing[^1] > 2 * right[^1] && swings >= 3 ? 'B' : '?';
    }

    static List<double> TinyLoop(double lr, bool zeroGrad)
    {
        var generator = Seeded(0);
        var xs = torch.randn(100, 1, generator: generator);
        var ys = 3 * xs + 2 + 0.1 * torch.randn(100, 1, generator: generator);
        var w = torch.randn(1, generator: generator).requires_grad_();
        var b = torch.zeros(1).requires_grad_();
        var losses = new List<double>();
        for (var epoch = 1; epoch <= 30; epoch++)
        {
            var mse = (xs * w + b - ys).pow(2).mean();
            mse.backward();
            using (torch.no_grad())
            {
                w.sub_(lr * w.grad!);
                b.sub_(lr * b.grad!);
                if (zeroGrad) { w.grad!.zero_(); b.grad!.zero_(); }
            }
            losses.Add(mse.item<float>());
        }
        return losses;
    }
}
