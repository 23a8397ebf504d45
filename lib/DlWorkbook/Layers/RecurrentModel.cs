using DlWorkbook.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Layers;

/// <summary>
/// A character-level recurrent language model as the recurrent training loop and <c>Recurrent.Predict</c> use it:
/// token indices [batch, steps] and a hidden state in; scores over the vocabulary for every step
/// [steps * batch, vocab] and the new state out. The shared shape of d2l's <c>RNNModelScratch</c> and <c>RNNModel</c>.
/// </summary>
public abstract class RecurrentModel : nn.Module<Tensor, Tensor, (Tensor Output, Tensor State)>
{
    /// <summary>Registers the model under <paramref name="name"/> for a vocabulary of <paramref name="vocabSize"/> tokens.</summary>
    protected RecurrentModel(string name, int vocabSize) : base(name)
    {
        if (vocabSize < 1) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "The vocabulary needs at least one token.");
        VocabSize = vocabSize;
    }

    /// <summary>The number of tokens in the vocabulary: the one-hot width of the input and the width of the output.</summary>
    public int VocabSize { get; }

    /// <summary>The hidden state before the first step, all zeros [batch, hidden] (d2l: <c>begin_state</c>).</summary>
    public abstract Tensor BeginState(long batchSize, Device device);

    /// <summary>The inputs [batch, steps] of token indices as one-hot vectors [steps, batch, vocab], time first.</summary>
    protected Tensor OneHotTimeFirst(Tensor x)
    {
        if (x.dim() != 2)
            throw new ArgumentException(
                $"Expected token indices of shape [batch, steps], got {x.ShapeText()}.", nameof(x));
        return nn.functional.one_hot(x.T.to_type(ScalarType.Int64), VocabSize).to_type(ScalarType.Float32);
    }
}
