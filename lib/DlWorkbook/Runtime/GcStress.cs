namespace DlWorkbook.Runtime;

/// <summary>
/// Collects garbage and runs finalizers in a loop on a background thread while it is alive. TorchSharp frees a
/// <c>Scalar</c> or tensor that nothing references any more on the finalizer thread, and a temporary passed straight
/// into a native call is unreferenced while that call runs: this makes such a use-after-free happen within seconds
/// instead of once in a long run. The tests and the notebook runner's stress mode use it; set
/// <see cref="Variable"/> to <c>1</c> to have a notebook kernel or a lesson program run under it.
/// </summary>
public sealed class GcStress : IDisposable
{
    /// <summary>The environment variable that turns the stress on in a kernel or a lesson program (<c>1</c>).</summary>
    public const string Variable = "DLWORKBOOK_GC_STRESS";

    readonly Thread thread;
    volatile bool stopping;
    long collections;

    GcStress()
    {
        thread = new Thread(Run) { IsBackground = true, Name = "DlWorkbook GC stress" };
        thread.Start();
    }

    /// <summary>Starts collecting in a loop: <c>GC.Collect(); GC.WaitForPendingFinalizers(); Thread.Sleep(1);</c>.</summary>
    public static GcStress Start() => new();

    /// <summary>Starts the stress when <see cref="Variable"/> is <c>1</c>; otherwise returns null.</summary>
    public static GcStress? StartIfRequested() =>
        Environment.GetEnvironmentVariable(Variable) == "1" ? Start() : null;

    /// <summary>How many collections have run so far.</summary>
    public long Collections => Interlocked.Read(ref collections);

    /// <summary>Stops the loop and waits for its last collection.</summary>
    public void Dispose()
    {
        stopping = true;
        thread.Join();
    }

    void Run()
    {
        while (!stopping)
        {
            GC.Collect();
            // Counted once the collection ran: the finalizers may then wait for a training pass to end (FinalizerGate).
            Interlocked.Increment(ref collections);
            GC.WaitForPendingFinalizers();
            Thread.Sleep(1);
        }
    }
}
