using System.Diagnostics;
using System.Runtime.InteropServices;
using DlWorkbook.Training;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Training;

/// <summary>What a learner sees when a run is cut short: by Stop in the notebook, or by an error inside libtorch.</summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class InterruptionTests
{
    [Fact]
    public void ALibtorchErrorMidBatchKeepsTheEpochsSoFarAndSaysWhere()
    {
        var (x, y) = Synthetic.Blobs(perClass: 20);
        var net = nn.Linear(4, 3);
        var sgd = optim.SGD(net.parameters(), 0.1);
        var steps = 0;
        var failing = Updater.Custom(() =>
        {
            if (++steps == 8) throw new ExternalException("Expected false to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)\nException raised from toFloat");
            sgd.step();
        });

        var (history, lines) = ConsoleCapture.Run(() => Classification.Train(net, Synthetic.Batches(x, y, 12, shuffle: false),
            Synthetic.Batches(x, y, 60), nn.CrossEntropyLoss(), failing, epochs: 5));

        Assert.Single(history);                               // 5 batches an epoch: the 8th step is batch 3 of epoch 2
        Assert.NotNull(history.Failure);
        Assert.False(history.Cancelled);
        Assert.Equal("Training stopped in epoch 2, batch 3: libtorch reported \"Expected false to be true, but got false.\" "
            + "The epochs finished before it are kept. The model's weights may be half-way through an update, so to repeat the "
            + "run run the cells again from the one that creates the model; re-running only this cell continues from those "
            + "weights.", history.StopReason);
        Assert.Contains(lines, l => l.Contains("Training stopped in epoch 2, batch 3"));
        Assert.Equal(1, history.Last.Epoch);
    }

    [Fact]
    public void StopInTheKernelEndsTrainingAtOnceAndTheNextCellRuns()
    {
        DlWorkbook.Interactive.WorkbookKernelExtension.RegisterFormatters();   // the live chart's, as the kernel extension does
        using var csharp = new CSharpKernel();
        using var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        csharp.AddAssemblyReferences([typeof(torch).Assembly.Location, typeof(Classification).Assembly.Location,
            typeof(InterruptionTests).Assembly.Location]);
        Submit(kernel, "using TorchSharp; using static TorchSharp.torch; using DlWorkbook.Training;");
        (Probe.Steps, Probe.Abort) = (0, false);

        var training = kernel.SendAsync(new SubmitCode("""
            var x = randn(2000, 20); var y = randint(3, [2000]);
            var net = nn.Linear(20, 3);
            var batches = Enumerable.Range(0, 200).Select(i => (x.narrow(0, i * 10, 10), y.narrow(0, i * 10, 10))).ToList();
            DlWorkbook.Tests.Training.InterruptionTests.Probe.History = Classification.Train(net, batches, batches.Take(1),
                nn.CrossEntropyLoss(), Updater.Custom(() => { DlWorkbook.Tests.Training.InterruptionTests.Probe.Step(); }),
                epochs: 100000);
            """));
        var waited = Stopwatch.StartNew();
        while (Probe.Steps < 30 && !training.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(20);
        Assert.True(Probe.Steps >= 30, "training did not start: "
            + (training.IsCompleted ? training.Result.Events.OfType<CommandFailed>().FirstOrDefault()?.Message : "no epoch in 60 s"));

        kernel.SendAsync(new Cancel()).GetAwaiter().GetResult();
        var next = kernel.SendAsync(new SubmitCode(
            "DlWorkbook.Tests.Training.InterruptionTests.Probe.History?.StopReason ?? \"still training\""));
        var ranAtOnce = next.Wait(TimeSpan.FromSeconds(2));   // an epoch takes 10 s: only a check between batches is this quick
        Probe.Abort = !ranAtOnce;                              // a loop that ignores Stop is ended by the probe instead
        training.GetAwaiter().GetResult();
        Assert.True(ranAtOnce, "the next cell was still waiting 2 s after Stop: training went on");
        var stopReason = next.Result.Events.OfType<ReturnValueProduced>().Single().Value?.ToString();

        Assert.Matches(@"^Stopped before batch \d+ of epoch 1: you pressed Stop \(or the cell was cancelled\)\. "
                       + "No epoch had finished, so the history is empty\\.$", stopReason);
        Assert.True(Probe.History!.Cancelled);
        Assert.Empty(Probe.History);
    }

    static string? Submit(Kernel kernel, string code)
    {
        var result = kernel.SendAsync(new SubmitCode(code)).GetAwaiter().GetResult();
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failed is null, failed?.Message);
        return result.Events.OfType<ReturnValueProduced>().FirstOrDefault()?.Value?.ToString();
    }

    /// <summary>What the kernel's cell reports back to the test.</summary>
    public static class Probe
    {
        public static volatile int Steps;
        public static volatile bool Abort;
        public static TrainingHistory<ClassificationEpoch>? History;

        public static void Step()
        {
            if (Abort) throw new InvalidOperationException("the test ended a run that did not stop");
            Steps++;
            Thread.Sleep(50);                                  // 200 batches: 10 s an epoch
        }
    }
}
