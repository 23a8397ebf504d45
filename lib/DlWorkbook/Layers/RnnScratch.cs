using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DlWorkbook.Layers;

/// <summary>
/// A recurrent network written out by hand (notebook 07, §7.7), counterpart of d2l's <c>RNNModelScratch</c> with
/// <c>get_params</c>, <c>init_rnn_state</c> and <c>rnn</c>. For each time step t:
/// H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h) and O_t = H_t W_hq + b_q, with X_t the one-hot tokens [batch, vocab].
/// </summary>
/// <example><code>
/// var net = new RnnScratch(vocabSize: 28, hiddenSize: 256);
/// var (output, state) = net.call(X, net.BeginState(X.shape[0], Devices.Of(net)));   // [35*32, 28], [32, 256]
/// </code></example>
public sealed class RnnScratch : RecurrentModel
{
    // Named as in d2l so that named_parameters() reads like the formulas.
    readonly Parameter W_xh, W_hh, b_h, W_hq, b_q;

    /// <summary>
    /// Creates the five parameters with d2l's initialisation: weights from N(0, 0.01²), biases zero.
    /// Shapes: W_xh [vocab, hidden], W_hh [hidden, hidden], b_h [hidden], W_hq [hidden, vocab], b_q [vocab].
    /// </summary>
    public RnnScratch(int vocabSize, int hiddenSize, Device? device = null) : base(nameof(RnnScratch), vocabSize)
    {
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "The hidden state needs at least one unit.");
        HiddenSize = hiddenSize;
        device ??= CPU;
        W_xh = Normal(vocabSize, hiddenSize, device);
        W_hh = Normal(hiddenSize, hiddenSize, device);
        b_h = new Parameter(zeros(hiddenSize, device: device));
        W_hq = Normal(hiddenSize, vocabSize, device);
        b_q = new Parameter(zeros(vocabSize, device: device));
        RegisterComponents();
    }

    /// <summary>The number of hidden units.</summary>
    public int HiddenSize { get; }

    /// <inheritdoc />
    public override Tensor BeginState(long batchSize, Device device) => zeros(batchSize, HiddenSize, device: device);

    /// <summary>
    /// Runs the recurrence over every time step of <paramref name="x"/> [batch, steps] from <paramref name="state"/>
    /// [batch, hidden]; returns the outputs of all steps stacked time first [steps * batch, vocab] and the last state.
    /// </summary>
    public override (Tensor Output, Tensor State) forward(Tensor x, Tensor state)
    {
        var inputs = OneHotTimeFirst(x);
        var h = state;
        var outputs = new List<Tensor>((int)inputs.shape[0]);
        for (var t = 0; t < inputs.shape[0]; t++)
        {
            h = tanh(inputs[t].mm(W_xh) + h.mm(W_hh) + b_h);
            outputs.Add(h.mm(W_hq) + b_q);
        }
        return (cat(outputs, 0), h);
    }

    static Parameter Normal(long rows, long columns, Device device)
    {
        using var std = 0.01.ToScalar();
        return new(randn(rows, columns, device: device).mul_(std));
    }
}
