using DlWorkbook.Display;
using DlWorkbook.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Training;

/// <summary>The history prints its warnings, so these tests swap the console and run alone.</summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class TrainingHistoryTests
{
    [Fact]
    public void AnEpochFarSlowerThanTheFastestBeforeItIsNamedOnce()
    {
        var clock = new SteppedClock();
        var (history, lines) = ConsoleCapture.Run(() =>
        {
            var h = new TrainingHistory<RegressionEpoch>(["loss"], "loss", epochs: 6, title: null, clock);
            double[] seconds = [2.5, 2.0, 2.2, 8.4, 9.0, 2.1];
            return h.Run(epoch =>
            {
                clock.Advance(seconds[epoch - 1]);
                h.Add(new RegressionEpoch(epoch, 1.0 / epoch, 1000));
            });
        });

        var warning = Assert.Single(history.Warnings);
        Assert.Equal("epoch 4 took 8.4 s, 4× the 2.0 s of the fastest epoch before it: other programs are probably using "
                     + "the CPU. Close what you do not need, or wait; the results are not affected.", warning);
        Assert.Equal(["epoch 1:", "epoch 2:", "epoch 3:", "epoch 4:", "warning:", "epoch 5:", "epoch 6:"],
            lines.Select(l => l[..(l.IndexOf(':') + 1)]));
    }

    [Fact]
    public void ShortEpochsAreNotJudged()
    {
        var clock = new SteppedClock();
        var (history, _) = ConsoleCapture.Run(() =>
        {
            var h = new TrainingHistory<RegressionEpoch>(["loss"], "loss", epochs: 2, title: null, clock);
            return h.Run(epoch =>
            {
                clock.Advance(epoch == 1 ? 0.01 : 0.9); // 90 times as long, but a learner hardly waits for it
                h.Add(new RegressionEpoch(epoch, 1, 1000));
            });
        });

        Assert.Empty(history.Warnings);
    }

    [Fact]
    public void ASlowEpochInARealRunIsFlagged()
    {
        var (x, y) = Synthetic.Line(40, [1f, 2f], 0.5f);
        var net = nn.Linear(2, 1);
        var epoch = 0;
        IEnumerable<(Tensor X, Tensor y)> Batches()
        {
            if (++epoch == 3) Thread.Sleep(1200); // as if other programs took the CPU for a while
            return Synthetic.Batches(x, y, 10);
        }

        var (history, _) = ConsoleCapture.Run(() =>
            Regression.Train(net, new Reenumerable(Batches), nn.MSELoss(), optim.SGD(net.parameters(), 0.05), epochs: 4,
                evaluationData: [(x, y)]));

        Assert.StartsWith("epoch 3 took 1.", Assert.Single(history.Warnings));
    }

    [Fact]
    public void SeriesAndLastReadTheRecords()
    {
        var (history, _) = ConsoleCapture.Run(() =>
        {
            var h = new TrainingHistory<ClassificationEpoch>(["train loss", "train acc", "test acc"], "loss / accuracy", 2, null);
            double[] testAccuracy = [0.72, 0.79];
            return h.Run(epoch => h.Add(new ClassificationEpoch(epoch, 0.9 / epoch, 0.7, testAccuracy[epoch - 1], 1000)));
        });

        Assert.Equal([1.0, 2.0], history.Series("test", e => e.TestAccuracy).X);
        Assert.Equal([0.72, 0.79], history.Series("test", e => e.TestAccuracy).Y);
        Assert.Equal(0.79, history.Last.TestAccuracy);
        Assert.False(history.Diverged);
    }

    /// <summary>A clock that moves only when told to.</summary>
    sealed class SteppedClock : TimeProvider
    {
        long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;

        public void Advance(double seconds) => ticks += (long)(seconds * TimeSpan.TicksPerSecond);
    }

    /// <summary>Calls <c>next</c> for every enumeration, so each epoch can behave differently.</summary>
    sealed class Reenumerable(Func<IEnumerable<(Tensor X, Tensor y)>> next) : IEnumerable<(Tensor X, Tensor y)>
    {
        public IEnumerator<(Tensor X, Tensor y)> GetEnumerator() => next().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
