using System.Diagnostics;

namespace DlWorkbook.Benchmarks;

/// <summary>
/// A busy process: one thread that never waits, like <c>yes &gt; /dev/null</c> or a browser tab running a script.
/// It ends by itself when the driver that started it is gone, so a crashed run leaves no core busy behind.
/// </summary>
internal static class Spinner
{
    public static int Run(Options options)
    {
        var parent = options.ParentPid is { } pid ? Process.GetProcessById(pid) : null;
        var sum = 0.0;
        var watch = Stopwatch.StartNew();
        while (parent is null || !parent.HasExited)
        {
            var until = watch.Elapsed.TotalSeconds + 0.5;
            while (watch.Elapsed.TotalSeconds < until)
                for (var i = 0; i < 10_000; i++) sum = sum * 0.999999 + i;
            if (parent is null && watch.Elapsed.TotalMinutes > 60) break;
        }
        return sum > 0 ? 0 : 1;
    }
}
