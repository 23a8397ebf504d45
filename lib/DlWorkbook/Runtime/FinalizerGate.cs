using System.Runtime.CompilerServices;

namespace DlWorkbook.Runtime;

/// <summary>
/// While held, no finalizer runs. TorchSharp frees on the finalizer thread every <c>Scalar</c> and tensor that nobody
/// disposed: the <c>Scalar</c>s its optimizers make inside <c>step()</c> (<c>alpha: -lr</c>), those of a learner's
/// <c>x * 0.5</c>, temporaries outside a dispose scope. Such an object is garbage as soon as its handle has been
/// passed to native code, so a collection on another thread can free it while that native call still reads it: a
/// random "Expected false to be true" from libtorch or, worse, a wrong number. The training, evaluation and
/// generation loops hold the gate for each pass, so whatever a pass leaves to the finalizer is freed after the pass,
/// when no native call of it runs any more.
/// </summary>
/// <remarks>
/// It parks the finalizer thread in the finalizer of an object of its own until the last holder lets go: one
/// generation-0 collection per pass, nothing per batch. Collections go on as usual meanwhile (only finalization
/// waits). A holder that never lets go cannot stall the process for ever: the parked finalizer gives up after
/// <see cref="MaxHold"/>.
/// </remarks>
internal static class FinalizerGate
{
    /// <summary>The longest the finalizer thread stays parked, however long a pass takes.</summary>
    internal static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(30);

    static readonly Lock sync = new();
    static int holders;
    static ManualResetEventSlim? release;

    /// <summary>True while some pass holds the gate and the finalizer thread is parked.</summary>
    internal static bool Closed
    {
        get { lock (sync) return release is { IsSet: false }; }
    }

    /// <summary>Parks the finalizer thread (if no other pass has) until the returned holder is disposed.</summary>
    public static Holder Hold()
    {
        lock (sync)
        {
            if (holders++ == 0) release = Park();
        }
        return new Holder();
    }

    static void Let()
    {
        lock (sync)
        {
            if (--holders > 0) return;
            release?.Set();
            release = null;
        }
    }

    /// <summary>Leaves a finalizable object behind and collects until the finalizer thread has entered its finalizer.</summary>
    static ManualResetEventSlim? Park()
    {
        var parked = new ManualResetEventSlim();
        var released = new ManualResetEventSlim();
        LeaveParker(parked, released);
        GC.Collect(0);
        if (parked.Wait(TimeSpan.FromSeconds(2))) return released;
        GC.Collect();                                  // it was promoted before it became garbage: a full collection finds it
        if (parked.Wait(TimeSpan.FromSeconds(10))) return released;
        released.Set();                                // the finalizer thread is stuck elsewhere: do not park it later
        return null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void LeaveParker(ManualResetEventSlim parked, ManualResetEventSlim released) => _ = new Parker(parked, released);

    sealed class Parker(ManualResetEventSlim parked, ManualResetEventSlim released)
    {
        ~Parker()
        {
            parked.Set();
            released.Wait(MaxHold);
        }
    }

    /// <summary>Lets the finalizer thread go when the last holder is disposed.</summary>
    public readonly struct Holder : IDisposable
    {
        /// <summary>Releases this hold.</summary>
        public void Dispose() => Let();
    }
}
