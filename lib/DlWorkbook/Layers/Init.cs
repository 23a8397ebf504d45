using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DlWorkbook.Layers;

/// <summary>
/// Weight initialisation applied to every Linear and convolution layer of a model (notebook 04, §4.2; notebook 05, §5.10),
/// as d2l does with <c>net.apply(init_weights)</c>. Biases are set to zero; other layers are left alone.
/// Each method returns the model, so it can wrap the constructor.
/// </summary>
/// <example><code>var net = Init.XavierUniform(LeNet.Create());</code></example>
public static class Init
{
    /// <summary>
    /// Calls <paramref name="initWeight"/> on the weight of every Linear, Conv1d, Conv2d and Conv3d in
    /// <paramref name="model"/> (itself included) and zeroes their biases. Counterpart of <c>net.apply(init_weights)</c>.
    /// </summary>
    public static TModule Apply<TModule>(TModule model, Action<Tensor> initWeight) where TModule : nn.Module
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(initWeight);
        using var noGrad = no_grad();
        model.apply(module =>
        {
            var (weight, bias) = WeightAndBias(module);
            if (weight is null) return;
            initWeight(weight);
            if (bias is not null) nn.init.zeros_(bias);
        });
        return model;
    }

    /// <summary>Weights from N(0, <paramref name="std"/>²) (d2l: <c>nn.init.normal_(m.weight, std=0.01)</c>).</summary>
    public static TModule Normal<TModule>(TModule model, double std = 0.01) where TModule : nn.Module =>
        Apply(model, w => nn.init.normal_(w, 0, std));

    /// <summary>
    /// Xavier (Glorot) normal: weights from N(0, 2 / (n_in + n_out)) (PyTorch's <c>nn.init.xavier_normal_</c>), with
    /// n_in and n_out counted as PyTorch counts them (a convolution's times its kernel size).
    /// </summary>
    /// <remarks>
    /// TorchSharp 0.107's own <c>nn.init.xavier_normal_</c> calls the uniform initialiser: it draws from
    /// U(±√(6 / (n_in + n_out))), which has the same variance but is not normal. So the weights are drawn here with
    /// <c>nn.init.normal_</c>, exactly as PyTorch's <c>xavier_normal_</c> draws them.
    /// </remarks>
    public static TModule XavierNormal<TModule>(TModule model) where TModule : nn.Module =>
        Apply(model, w =>
        {
            var (fanIn, fanOut) = nn.init.CalculateFanInAndFanOut(w);
            nn.init.normal_(w, 0, Math.Sqrt(2.0 / (fanIn + fanOut)));
        });

    /// <summary>Xavier (Glorot) uniform: U(-a, a) with a = √(6 / (n_in + n_out)) (<c>nn.init.xavier_uniform_</c>; d2l's <c>train_ch6</c> uses it).</summary>
    public static TModule XavierUniform<TModule>(TModule model) where TModule : nn.Module =>
        Apply(model, w => nn.init.xavier_uniform_(w));

    /// <summary>He (Kaiming) normal for ReLU networks: variance 2 / n_in (<c>nn.init.kaiming_normal_</c>).</summary>
    public static TModule He<TModule>(TModule model) where TModule : nn.Module =>
        Apply(model, w => nn.init.kaiming_normal_(w, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU));

    static (Tensor? Weight, Tensor? Bias) WeightAndBias(nn.Module module) => module switch
    {
        Linear m => (m.weight, m.bias),
        Conv1d m => (m.weight, m.bias),
        Conv2d m => (m.weight, m.bias),
        Conv3d m => (m.weight, m.bias),
        _ => (null, null),
    };
}
