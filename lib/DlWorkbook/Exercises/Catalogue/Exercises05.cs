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
            Inputs(new Correlation(2, 0, 1, 3, 1, 0),
                r =>
                {
                    while (true)
                        if (new Correlation(r.Between(0, 3), r.Between(0, 3), r.Between(0, 3), r.Between(0, 3), r.Between(0, 1), r.Between(0, 1)) is var c
                            && c.Kernel.Cast<int>().Distinct().Count() >= 3) return c;
                },
                c => Inv($$"""
                    **Exercise 05.1 · Compute by hand: one entry of a cross-correlation.** The input is the $3\times3$ grid
                    $0, 1, \dots, 8$ of §5.2 and the kernel is $\begin{bmatrix}{{c.K00}}&{{c.K01}}\\{{c.K10}}&{{c.K11}}\end{bmatrix}$. What is the output entry
                    $Y[{{c.Row}}, {{c.Column}}]$ (row {{c.Row}}, column {{c.Column}}, counting from 0)?
                    """),
                c => NumberAnswer.Whole(() => nn.functional.conv2d(torch.arange(9, dtype: float32).reshape(1, 1, 3, 3),
                        torch.tensor(new float[,] { { c.K00, c.K01 }, { c.K10, c.K11 } }).reshape(1, 1, 2, 2))[0, 0, c.Row, c.Column].item<float>(),
                    Inv($"Put the kernel's top-left corner on X[{c.Row}, {c.Column}], multiply the overlapping numbers and add them up."),
                    [(c.Flipped(), "You flipped the kernel: deep learning's convolution is a cross-correlation, no flip."),
                     .. c.OtherEntries()]),
                c => (double)c.Entry(c.Row, c.Column)),
            27.0, 21.0, 39.0, 15.0, 30.0),

        Entry("05.2", ExerciseKind.CompleteCode, "the padding that keeps the size",
            CodeAnswer.Function<long, long>("a function (long k) → long",
                "With stride 1 the output is n + 2p − k + 1; make it equal n.", PaddingCases),
            (Func<long, long>)(k => k - 1),
            (Func<long, long>)(k => (k + 1) / 2)),

        Entry("05.3", ExerciseKind.ComputeByHand, "output size with padding and stride",
            Inputs(new Window(32, 5, 1, 2),
                r =>
                {
                    while (true)
                        if (new Window(r.Between(8, 64), r.Pick(2, 3, 4, 5, 7), r.Between(0, 3), r.Between(2, 4)) is var w && w.P < w.K) return w;
                },
                w => Inv($$"""
                    **Exercise 05.3 · Compute by hand: an output size.** A ${{w.N}} \times {{w.N}}$ input goes through a convolution with
                    a ${{w.K}} \times {{w.K}}$ kernel, padding {{w.P}} and stride {{w.S}}. How many pixels wide is the output?
                    """),
                w => NumberAnswer.Whole(() => OutputWidth(w.N, w.K, w.P, w.S),
                    "⌊(n − k + 2p)/s⌋ + 1: the padding is added on both sides, and the division is rounded down.",
                    ((w.N - w.K + 2 * w.P + w.S - 1) / w.S + 1, "The division is rounded down: a window that would stick out past the padded edge is not computed."),
                    ((w.N - w.K + 2 * w.P) / w.S, "Count the positions: ⌊(n − k + 2p)/s⌋ steps after the first one, so add 1."),
                    ((w.N - w.K + 2.0 * w.P) / w.S + 1, "Sizes are whole numbers: round the division down before adding 1.")),
                w => (double)((w.N - w.K + 2 * w.P) / w.S + 1)),
            16L, 14L, 15.5),

        Entry("05.4", ExerciseKind.CompleteCode, "the output-size formula",
            CodeAnswer.Function<long, long, long, long, long>("a function (long n, long k, long p, long s) → long",
                "Count the window positions: ⌊(n − k + 2p)/s⌋ + 1.", OutputSizeCases),
            (Func<long, long, long, long, long>)((n, k, p, s) => (n - k + 2 * p + s - 1) / s + 1),
            (Func<long, long, long, long, long>)((n, k, p, s) => (n - k + p) / s + 1),
            (Func<long, long, long, long, long>)((n, k, p, s) => (n - k + 2 * p) / s)),

        Entry("05.5", ExerciseKind.ComputeByHand, "parameters of a convolution",
            Inputs(new Channels(64, 128, 3),
                r => new Channels(r.Pick(1, 3, 16, 32, 64, 128), r.Pick(6, 16, 32, 64, 128, 256), r.Pick(1, 3, 5, 7)),
                c => Inv($"""
                    **Exercise 05.5 · Compute by hand: parameters of a convolution.** How many parameters, weights and biases,
                    does `nn.Conv2d({c.In}, {c.Out}, kernel_size: {c.K})` have?
                    """),
                c => NumberAnswer.Whole(() => { using var conv = nn.Conv2d(c.In, c.Out, c.K); return conv.parameters().Sum(p => p.numel()); },
                    "The kernel tensor is [c_out, c_in, k_h, k_w], plus one bias per output channel.",
                    ((long)c.Out * c.In * c.K * c.K, "Those are the weights; every output channel also has a bias."),
                    ((long)c.Out * c.In * c.K * c.K + c.In, "One bias per output channel, not per input channel."),
                    ((long)c.Out * c.K * c.K + c.Out, "Each output channel has one k×k slice for every input channel.")),
                c => (double)c.Out * c.In * c.K * c.K + c.Out),
            128L * 64 * 9, 128L * 64 * 9 + 64, 1_280L),

        Entry("05.6", ExerciseKind.Predict, "a padded convolution on a batch",
            Inputs(new PaddedConv(16, 1, 6, 5, 2, 28),
                r => new PaddedConv(r.Pick(4, 8, 16, 32), r.Pick(1, 3), r.Pick(4, 6, 8, 16), r.Pick(3, 5, 7), r.Between(0, 3), r.Pick(12, 28, 32)),
                c => Inv($"""
                    **Exercise 05.6 · Predict a shape: a padded convolution.** A batch of {c.Batch} {(c.In == 1 ? "grey" : "colour")} images, $[{c.Batch}, {c.In}, {c.Size}, {c.Size}]$, goes
                    through `nn.Conv2d({c.In}, {c.Out}, kernel_size: {c.K}, padding: {c.P})`{(c == LeNetFirst ? ", LeNet's first layer" : "")}. What is the output shape?
                    """),
                c => new ShapeAnswer(() => { using var conv = nn.Conv2d(c.In, c.Out, c.K, padding: c.P); return conv.call(torch.zeros(c.Batch, c.In, c.Size, c.Size)).shape; },
                    "[batch, channels, height, width]: the batch stays, the channels become c_out, and the size follows ⌊(n − k + 2p)/s⌋ + 1.",
                    (Shape(c.Batch, c.Out, c.Size - c.K + 1, c.Size - c.K + 1), Inv($"Padding {c.P} on every side: n + 2p − k + 1.")),
                    (Shape(c.Batch, c.In, c.Size, c.Size), Inv($"The layer has {c.Out} output channels.")),
                    (Shape(c.Out, c.Batch, c.Size, c.Size), "The batch axis comes first and is never changed by a layer.")),
                c => Shape(c.Batch, c.Out, c.Size + 2 * c.P - c.K + 1, c.Size + 2 * c.P - c.K + 1)),
            new long[] { 16, 6, 24, 24 }, new long[] { 16, 1, 28, 28 }, "16x6x14x14"),

        Entry("05.7", ExerciseKind.ComputeByHand, "the receptive field of a stack",
            Inputs(new Stack(4, 5),
                r => new Stack(r.Between(2, 6), r.Pick(3, 5, 7)),
                f => Inv($$"""
                    **Exercise 05.7 · Compute by hand: a receptive field.** {{Words(f.Layers)}} convolutions with ${{f.K}}\times{{f.K}}$ kernels, stride 1,
                    are stacked. How many input pixels wide is the receptive field of one unit of the last layer?
                    """),
                f => NumberAnswer.Whole(() => MeasuredField(f.Layers, f.K),
                    "One layer sees k pixels; each further layer with stride 1 widens the field by k − 1.",
                    (f.Layers * f.K, "Each extra layer adds k − 1, not k: neighbouring windows overlap."),
                    (f.Layers * (f.K - 1), "Start from one pixel: r = 1 + L(k − 1).")),
                f => 1.0 + f.Layers * (f.K - 1)),
            20L, 16L, 9L),
        Entry("05.8", ExerciseKind.Explain, "a parameter count that ignores the image size",
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

    /// <summary>The side of the receptive field of stacked k×k convolutions, measured with autograd as §5.8 does.</summary>
    static double MeasuredField(int layerCount, int k)
    {
        var layers = Enumerable.Range(0, layerCount).Select(_ => (nn.Module<Tensor, Tensor>)nn.Conv2d(1, 1, k, bias: false)).ToArray();
        using var stack = nn.Sequential(layers);
        using var one = 1f.ToScalar();
        using (torch.no_grad())
            foreach (var p in stack.parameters()) p.fill_(one);
        var side = layerCount * (k - 1) + 3;   // leaves a 3×3 output: the centre unit's field lies inside the input
        var input = torch.rand(1, 1, side, side).requires_grad_();
        var output = stack.call(input);
        output[0, 0, output.shape[2] / 2, output.shape[3] / 2].backward();
        return input.grad![0, 0].ne(0).sum(dim: 0).gt(0).sum().item<long>();
    }

    static readonly PaddedConv LeNetFirst = new(16, 1, 6, 5, 2, 28);

    sealed record Channels(int In, int Out, int K);

    sealed record Window(int N, int K, int P, int S);

    sealed record PaddedConv(int Batch, int In, int Out, int K, int P, int Size);

    sealed record Stack(int Layers, int K);

    /// <summary>A 2×2 kernel on the 3×3 grid 0..8 and the entry of the 2×2 output asked for.</summary>
    sealed record Correlation(int K00, int K01, int K10, int K11, int Row, int Column)
    {
        public int[,] Kernel => new[,] { { K00, K01 }, { K10, K11 } };

        static int X(int i, int j) => 3 * i + j;

        public int Entry(int i, int j) => X(i, j) * K00 + X(i, j + 1) * K01 + X(i + 1, j) * K10 + X(i + 1, j + 1) * K11;

        /// <summary>The entry with the kernel turned by 180°, as the convolution of signal processing would compute it.</summary>
        public int Flipped() => X(Row, Column) * K11 + X(Row, Column + 1) * K10 + X(Row + 1, Column) * K01 + X(Row + 1, Column + 1) * K00;

        /// <summary>The other three entries of Y, each with the slip that leads to it.</summary>
        public IEnumerable<(double, string)> OtherEntries()
        {
            if (Row != Column) yield return (Entry(Column, Row), Inv($"That is Y[{Column}, {Row}]: the first index is the row."));
            foreach (var (i, j) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
            {
                if ((i, j) == (Row, Column) || (i, j) == (Column, Row)) continue;
                yield return (Entry(i, j), i == Row
                    ? Inv($"That is Y[{i}, {j}]: column {Column} is the {Ordinal(Column)} column, counting from 0.")
                    : j == Column
                        ? Inv($"That is Y[{i}, {j}]: row {Row} is the {Ordinal(Row)} row, counting from 0.")
                        : Inv($"That is Y[{i}, {j}]: Y[{Row}, {Column}] is row {Row}, column {Column}, both counting from 0."));
            }
        }

        static string Ordinal(int index) => index == 0 ? "first" : "second";
    }

    static string Words(int n) => n switch
    {
        2 => "Two", 3 => "Three", 4 => "Four", 5 => "Five", 6 => "Six",
        _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
