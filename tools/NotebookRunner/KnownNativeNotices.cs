using System.Text.RegularExpressions;

namespace NotebookRunner;

/// <summary>
/// Lines native code writes to the kernel's standard error that say nothing about the notebook, so they do not fail a
/// cell. Exactly one: libtorch on Apple silicon cannot use NNPACK and says so once per process; it falls back to its
/// other convolution code. Anything else on standard error still fails the cell.
/// </summary>
public static partial class KnownNativeNotices
{
    /// <summary>libtorch's warning, with c10's prefix in its old (<c>[W NNPACK.cpp:53]</c>) or new form (date, time, thread).</summary>
    [GeneratedRegex(@"^\[W[^\]]*\bNNPACK\.cpp:\d+\] Could not initialize NNPACK! Reason: Unsupported hardware\.?$")]
    private static partial Regex NnpackUnsupportedHardware();

    /// <summary>Whether a standard error line is a known harmless notice.</summary>
    public static bool IsHarmless(string line) => NnpackUnsupportedHardware().IsMatch(line.Trim());

    /// <summary>Standard error text without its known harmless lines (for a program's whole output).</summary>
    public static string Without(string text) =>
        string.Join('\n', text.Split('\n').Where(l => !IsHarmless(l)));
}
