using TorchSharp;
using static DlWorkbook.Exercises.Catalogue.Build;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>Notebook 05: convolutional networks.</summary>
internal static class Exercises05
{
    public static IEnumerable<CatalogueEntry> All =>
    [
        Entry("05.1", ExerciseKind.ComputeByHand, "one cross-correlation entry",
            """
            **Exercise 05.1 · Compute by hand: one entry of a cross-correlation.** The input is the $3\times3$ grid
            $0, 1, \dots, 8$ of §5.2 and the kernel is $\begin{bmatrix}2&0\\1&3\end{bmatrix}$. What is the output entry
            $Y[1, 0]$ (row 1, column 0, counting from 0)?
            """,
            """
            double? y10 = null;   // ← your answer
            Exercise.Check("05.1", y10);
            """,
            NumberAnswer.Whole(() => nn.functional.conv2d(torch.arange(9, dtype: float32).reshape(1, 1, 3, 3),
                    torch.tensor(new float[,] { { 2, 0 }, { 1, 3 } }).reshape(1, 1, 2, 2))[0, 0, 1, 0].item<float>(),
                "Put the kernel's top-left corner on X[1, 0], multiply the overlapping numbers and add them up.",
                (3 * 3 + 4 * 1 + 6 * 0 + 7 * 2, "You flipped the kernel: deep learning's convolution is a cross-correlation, no flip."),
                (1 * 2 + 2 * 0 + 4 * 1 + 5 * 3, "That is Y[0, 1]: the first index is the row."),
                (4 * 2 + 5 * 0 + 7 * 1 + 8 * 3, "That is Y[1, 1]: column 0 is the first column, counting from 0."),
                (0 * 2 + 1 * 0 + 3 * 1 + 4 * 3, "That is Y[0, 0]: row 1 is the second row, counting from 0.")),
            27.0, 21.0, 39.0, 15.0, 30.0),

        Entry("05.2", ExerciseKind.CompleteCode, "the padding that keeps the size",
            """
            **Exercise 05.2 · Complete the code: the padding formula.** For an odd kernel size $k$, which padding $p$
            keeps the height and width of the input (stride 1)? Write it as a function of $k$; the check runs real
            `Conv2d` layers with your padding.
            """,
            """
            long Padding(long k)            // k odd: 1, 3, 5, 7, …
                => throw Exercise.Todo;     // ← the padding that keeps the size
            Exercise.Check("05.2", Padding);
            """,
            CodeAnswer.Function<long, long>("a function (long k) → long",
                "With stride 1 the output is n + 2p − k + 1; make it equal n.", PaddingCases),
            (Func<long, long>)(k => k - 1),
            (Func<long, long>)(k => (k + 1) / 2)),

        Entry("05.3", ExerciseKind.ComputeByHand, "output size with padding and stride",
            """
            **Exercise 05.3 · Compute by hand: an output size.** A $32 \times 32$ input goes through a convolution with
            a $5 \times 5$ kernel, padding 1 and stride 2. How many pixels wide is the output?
            """,
            """
            long? width = null;   // ← your answer
            Exercise.Check("05.3", width);
            """,
            NumberAnswer.Whole(() => OutputWidth(32, 5, 1, 2),
                "⌊(n − k + 2p)/s⌋ + 1: the padding is added on both sides, and the division is rounded down.",
                (16, "The division is rounded down: a window that would stick out past the padded edge is not computed."),
                (14, "Count the positions: ⌊(n − k + 2p)/s⌋ steps after the first one, so add 1."),
                (15.5, "Sizes are whole numbers: round the division down before adding 1.")),
            16L, 14L, 15.5),

        Entry("05.4", ExerciseKind.CompleteCode, "the output-size formula",
            """
            **Exercise 05.4 · Complete the code: the output-size formula.** Write the output size of a convolution (or
            a pooling layer) along one axis, for input size $n$, kernel $k$, padding $p$ and stride $s$. The check
            compares it with real `Conv2d` layers on many cases, including some where the division is not exact.
            """,
            """
            long OutputSize(long n, long k, long p, long s)
                => throw Exercise.Todo;   // ← the output size along one axis
            Exercise.Check("05.4", OutputSize);
            """,
            CodeAnswer.Function<long, long, long, long, long>("a function (long n, long k, long p, long s) → long",
                "Count the window positions: ⌊(n − k + 2p)/s⌋ + 1.", OutputSizeCases),
            (Func<long, long, long, long, long>)((n, k, p, s) => (n - k + 2 * p + s - 1) / s + 1),
            (Func<long, long, long, long, long>)((n, k, p, s) => (n - k + p) / s + 1),
            (Func<long, long, long, long, long>)((n, k, p, s) => (n - k + 2 * p) / s)),

        Entry("05.5", ExerciseKind.ComputeByHand, "parameters of Conv2d(64, 128, 3)",
            """
            **Exercise 05.5 · Compute by hand: parameters of a convolution.** How many parameters, weights and biases,
            does `nn.Conv2d(64, 128, kernel_size: 3)` have?
            """,
            """
            long? parameters = null;   // ← your answer
            Exercise.Check("05.5", parameters);
            """,
            NumberAnswer.Whole(() => { using var conv = nn.Conv2d(64, 128, 3); return conv.parameters().Sum(p => p.numel()); },
                "The kernel tensor is [c_out, c_in, k_h, k_w], plus one bias per output channel.",
                (128 * 64 * 3 * 3, "Those are the weights; every output channel also has a bias."),
                (128 * 64 * 3 * 3 + 64, "One bias per output channel, not per input channel."),
                (128 * 3 * 3 + 128, "Each output channel has one k×k slice for every input channel.")),
            128L * 64 * 9, 128L * 64 * 9 + 64, 1_280L),

        Entry("05.6", ExerciseKind.Predict, "a padded convolution on a batch",
            """
            **Exercise 05.6 · Predict a shape: a padded convolution.** A batch of 16 grey images, $[16, 1, 28, 28]$, goes
            through `nn.Conv2d(1, 6, kernel_size: 5, padding: 2)`, LeNet's first layer. What is the output shape?
            """,
            """
            long[] shape = null!;   // ← your answer
            Exercise.Check("05.6", shape);
            """,
            new ShapeAnswer(() => { using var conv = nn.Conv2d(1, 6, 5, padding: 2); return conv.call(torch.zeros(16, 1, 28, 28)).shape; },
                "[batch, channels, height, width]: the batch stays, the channels become c_out, and the size follows ⌊(n − k + 2p)/s⌋ + 1.",
                ([16, 6, 24, 24], "Padding 2 on every side: n + 2p − k + 1."),
                ([16, 1, 28, 28], "The layer has 6 output channels."),
                ([6, 16, 28, 28], "The batch axis comes first and is never changed by a layer.")),
            new long[] { 16, 6, 24, 24 }, new long[] { 16, 1, 28, 28 }, "16x6x14x14"),

        Entry("05.7", ExerciseKind.ComputeByHand, "the receptive field of a stack",
            """
            **Exercise 05.7 · Compute by hand: a receptive field.** Four convolutions with $5\times5$ kernels, stride 1,
            are stacked. How many input pixels wide is the receptive field of one unit of the last layer?
            """,
            """
            long? side = null;   // ← your answer
            Exercise.Check("05.7", side);
            """,
            NumberAnswer.Whole(MeasuredField,
                "One layer sees k pixels; each further layer with stride 1 widens the field by k − 1.",
                (20, "Each extra layer adds k − 1, not k: neighbouring windows overlap."),
                (16, "Start from one pixel: r = 1 + L(k − 1).")),
            20L, 16L, 9L),

        Entry("05.8", ExerciseKind.Explain, "a parameter count that ignores the image size",
            """
            **Exercise 05.8 · Explain: a count that ignores the image size.** Exercise 05.5 counted the parameters of
            `nn.Conv2d(64, 128, kernel_size: 3)`. The same layer applied to $28\times28$ images and to $224\times224$
            images has how many parameters, and why?

            - **A** 64 times more for the larger images: there are 64 times as many pixels.
            - **B** The same number: one set of kernels slides over every position, so the weights are shared.
            - **C** The same number, because the layer resizes every image to $3\times3$ first.
            - **D** More for the larger images, but only in the bias: one bias per output pixel.
            """,
            """
            char? choice = null;   // ← 'A', 'B', 'C' or 'D'
            Exercise.Check("05.8", choice);
            """,
            Choice('B', "the kernel tensor [128, 64, 3, 3] and the 128 biases are applied at every position of the image, "
                        + "so the image size changes the output's height and width and the amount of computation, never the parameters.",
                "Write down the shapes of the layer's weight and bias. Does either mention the image's height or width?",
                SharedWeightsEvidence,
                ('A', "That is what a fully connected layer would need; a convolution's kernel is the same at every position."),
                ('C', "The layer never resizes its input: a 3×3 kernel looks at 3×3 windows, and the output stays large."),
                ('D', "There is one bias per output channel, shared over all positions like the kernel.")),
            'A', 'C', 'D'),
    ];

    /// <summary>One Conv2d(64, 128, 3) run on 28×28 and on 224×224 inputs: same parameters, larger output.</summary>
    static char SharedWeightsEvidence(DlWorkbook.Data.DataCache? _)
    {
        using var conv = nn.Conv2d(64, 128, 3);
        var parameters = conv.parameters().Sum(p => p.numel());
        var small = conv.call(torch.zeros(1, 64, 28, 28)).shape;
        var large = conv.call(torch.zeros(1, 64, 224, 224)).shape;
        return parameters == 128 * 64 * 9 + 128 && large[2] > small[2] && conv.bias!.shape.SequenceEqual([128L]) ? 'B' : 'A';
    }

    static long OutputWidth(long n, long k, long p, long s)
    {
        using var conv = nn.Conv2d(1, 1, k, stride: s, padding: p);
        return conv.call(torch.zeros(1, 1, n, n)).shape[3];
    }

    static Verdict OutputSizeCases(Func<long, long, long, long, long> outputSize)
    {
        (long n, long k, long p, long s)[] cases = [(3, 3, 1, 2), (8, 3, 0, 2), (8, 3, 1, 2), (28, 5, 2, 1), (26, 3, 1, 2), (32, 7, 3, 4), (224, 7, 3, 2), (5, 3, 0, 3), (13, 4, 1, 3)];
        foreach (var (n, k, p, s) in cases)
        {
            var want = OutputWidth(n, k, p, s);
            var got = outputSize(n, k, p, s);
            if (got == want) continue;
            var exact = (n - k + 2 * p) % s == 0;
            return NotYet($"For n = {n}, k = {k}, p = {p}, s = {s} yours gives {got}, Conv2d gives a different size.",
                !exact && got == want + 1 ? "When the division is not exact it is rounded down: a window sticking out past the padded edge is not computed."
                : got == want - 1 ? "Count the first window position too: one more than the number of steps."
                : "Padding adds p pixels on both sides; the window moves s pixels per step.");
        }
        return Correct("Your formula matches Conv2d on every case, floors included.");
    }

    static Verdict PaddingCases(Func<long, long> padding)
    {
        foreach (var k in new long[] { 1, 3, 5, 7, 9 })
        {
            var p = padding(k);
            if (p < 0) return NotYet($"For k = {k} your padding is negative.", "Padding counts pixels added on each side: 0 or more.");
            if (OutputWidth(11, k, p, 1) is var width && width != 11)
                return NotYet($"For k = {k}, padding {p} turns an 11 × 11 input into {width} × {width}.", "With stride 1 the output is n + 2p − k + 1; make it equal n.");
        }
        return Correct("With your padding every odd kernel keeps an 11 × 11 input at 11 × 11.");
    }

    /// <summary>The side of the receptive field of four stacked 5×5 convolutions, measured with autograd as §5.8 does.</summary>
    static double MeasuredField()
    {
        var layers = Enumerable.Range(0, 4).Select(_ => (nn.Module<Tensor, Tensor>)nn.Conv2d(1, 1, 5, bias: false)).ToArray();
        using var stack = nn.Sequential(layers);
        using (torch.no_grad())
            foreach (var p in stack.parameters()) p.fill_(1);
        var input = torch.rand(1, 1, 19, 19).requires_grad_();   // 4 layers of 5×5 leave 3×3 outputs: the centre one sees the middle 17
        var output = stack.call(input);
        output[0, 0, output.shape[2] / 2, output.shape[3] / 2].backward();
        return input.grad![0, 0].ne(0).sum(dim: 0).gt(0).sum().item<long>();
    }
}
