using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>Where tensors and models live.</summary>
public static class Devices
{
    /// <summary>
    /// The device of the module's first parameter, or the CPU for a module without parameters.
    /// Counterpart of PyTorch's <c>next(net.parameters()).device</c>, which d2l's training loops use.
    /// </summary>
    public static Device Of(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var first = module.parameters().FirstOrDefault();
        return first is null ? CPU : first.device;
    }
}
