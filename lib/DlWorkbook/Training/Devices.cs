using DlWorkbook.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Training;

/// <summary>Where tensors and models live: choosing a device and finding a model's device.</summary>
public static class Devices
{
    /// <summary>
    /// CUDA device <paramref name="index"/> when TorchSharp can use it, otherwise the CPU.
    /// Counterpart of <c>d2l.try_gpu(i)</c>. The workbook ships TorchSharp-cpu, so this is the CPU
    /// unless a CUDA build of TorchSharp is referenced instead.
    /// </summary>
    public static Device TryGpu(int index = 0)
    {
        TorchNative.EnsureLoaded();
        return cuda.is_available() && cuda.device_count() > index ? torch.device(DeviceType.CUDA, index) : CPU;
    }

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

    /// <summary>The tensor itself when it is already on <paramref name="device"/>, else a copy there.</summary>
    internal static Tensor MoveTo(this Tensor tensor, Device device) =>
        tensor.device_type == device.type && tensor.device_index == device.index ? tensor : tensor.to(device);
}
