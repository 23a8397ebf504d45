using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DlWorkbook.Layers;

/// <summary>
/// The same model as <see cref="RnnScratch"/> built from TorchSharp's <c>nn.RNN</c> and a linear output layer,
/// counterpart of d2l's <c>RNNModel</c> (concise implementation).
/// </summary>
public sealed class RnnModel : RecurrentModel
{
    readonly RNN rnn;
    readonly Linear linear;

    /// <summary>One tanh RNN layer of <paramref name="hiddenSize"/> units over one-hot inputs, then a linear layer to the vocabulary.</summary>
    public RnnModel(int vocabSize, int hiddenSize) : base(nameof(RnnModel), vocabSize)
    {
        rnn = nn.RNN(vocabSize, hiddenSize);
        linear = nn.Linear(hiddenSize, vocabSize);
        HiddenSize = hiddenSize;
        RegisterComponents();
    }

    /// <summary>The number of hidden units.</summary>
    public int HiddenSize { get; }

    /// <inheritdoc />
    public override Tensor BeginState(long batchSize, Device device) => zeros(batchSize, HiddenSize, device: device);

    /// <summary>
    /// Runs <c>nn.RNN</c> over <paramref name="x"/> [batch, steps] from <paramref name="state"/> [batch, hidden]; returns
    /// [steps * batch, vocab] and the last state [batch, hidden], the same shapes as <see cref="RnnScratch"/>.
    /// </summary>
    public override (Tensor Output, Tensor State) forward(Tensor x, Tensor state)
    {
        var (y, last) = rnn.call(OneHotTimeFirst(x), state.unsqueeze(0));
        var output = linear.call(y.reshape(-1, y.shape[^1]));
        return (output, last.squeeze(0));
    }
}
