using DlWorkbook.Runtime;
using TorchSharp;

namespace DlWorkbook;

/// <summary>
/// Workbook-wide settings: quick mode for CI and the one seed that makes every notebook repeatable.
/// </summary>
public static class Workbook
{
    /// <summary>Environment variable that switches quick mode on ("1" or "true").</summary>
    internal const string QuickModeVariable = "DLWORKBOOK_QUICK";

    /// <summary>
    /// True when <c>DLWORKBOOK_QUICK</c> is set: notebooks shrink epochs and data so CI can run every
    /// cell in seconds, through the same code paths as a full run.
    /// </summary>
    public static bool QuickMode => IsTruthy(Environment.GetEnvironmentVariable(QuickModeVariable));

    /// <summary>Returns <paramref name="full"/> normally and <paramref name="quick"/> in quick mode.</summary>
    /// <example><c>var epochs = Workbook.Pick(full: 10, quick: 1);</c></example>
    public static T Pick<T>(T full, T quick) => QuickMode ? quick : full;

    /// <summary>The seed last passed to <see cref="Seed"/>, or null before the first call.</summary>
    internal static long? CurrentSeed { get; private set; }

    /// <summary>
    /// Seeds TorchSharp's default generator (<c>torch.manual_seed</c>), which everything in the workbook that draws
    /// random numbers uses when no generator is passed: initial weights, shuffling loaders, sequence iterators.
    /// </summary>
    public static void Seed(long seed)
    {
        TorchNative.EnsureLoaded();
        torch.manual_seed(seed);
        CurrentSeed = seed;
    }

    internal static bool IsTruthy(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)
                                           || value.Equals("yes", StringComparison.OrdinalIgnoreCase));
}
