using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DlWorkbook.Layers;

/// <summary>LeNet-5 as d2l builds it (§6.6): sigmoid activations and average pooling, for 28x28 grey images.</summary>
public static class LeNet
{
    /// <summary>
    /// Conv(1→6, 5x5, padding 2) → sigmoid → avg-pool 2 → Conv(6→16, 5x5) → sigmoid → avg-pool 2 → flatten →
    /// Linear(400→120) → sigmoid → Linear(120→84) → sigmoid → Linear(84→classes). Input [batch, 1, 28, 28],
    /// output [batch, classes]. Counterpart of the <c>net = nn.Sequential(...)</c> of d2l §6.6.
    /// </summary>
    public static Sequential Create(int classes = 10) =>
        nn.Sequential(
            nn.Conv2d(1, 6, kernel_size: 5, padding: 2), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size: 2, stride: 2),
            nn.Conv2d(6, 16, kernel_size: 5), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size: 2, stride: 2),
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
            nn.Linear(120, 84), nn.Sigmoid(),
            nn.Linear(84, classes));
}
