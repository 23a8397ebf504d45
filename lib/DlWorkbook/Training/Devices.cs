using DlWorkbook.Runtime;
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

    /// <summary>The tensor itself when it is already on <paramref name="device"/> (no new handle), else a copy there.</summary>
    internal static Tensor MoveTo(this Tensor tensor, Device device) =>
        tensor.device_type == device.type && tensor.device_index == device.index ? tensor : tensor.to(device);
}
