using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Benchmarks;

/// <summary>
/// The hand-written TorchSharp loop the library is measured against: the same work per epoch (forward, loss,
/// backward, SGD step, summed loss and correct count per batch, then test accuracy), and nothing else.
/// </summary>
internal static class BareLoop
{
    public static (double Loss, double Accuracy, double TestAccuracy) Epoch(
        nn.Module<Tensor, Tensor> net, ShuffledBatches train, ShuffledBatches test,
        nn.Module<Tensor, Tensor, Tensor> loss, optim.Optimizer optimizer)
    {
        net.train();
        double lossSum = 0, correct = 0, count = 0;
        foreach (var (x, y) in train)
        {
            using var scope = NewDisposeScope();
            var yHat = net.call(x);
            var l = loss.call(yHat, y);
            optimizer.zero_grad();
            l.backward();
            optimizer.step();
            lossSum += l.item<float>() * x.shape[0];
            correct += yHat.argmax(1).eq(y).sum().item<long>();
            count += x.shape[0];
            x.Dispose();
            y.Dispose();
        }
        return (lossSum / count, correct / count, TestAccuracy(net, test));
    }

    static double TestAccuracy(nn.Module<Tensor, Tensor> net, ShuffledBatches test)
    {
        net.eval();
        using var noGrad = no_grad();
        double correct = 0, count = 0;
        foreach (var (x, y) in test)
        {
            using var scope = NewDisposeScope();
            correct += net.call(x).argmax(1).eq(y).sum().item<long>();
            count += x.shape[0];
            x.Dispose();
            y.Dispose();
        }
        net.train();
        return correct / count;
    }
}
