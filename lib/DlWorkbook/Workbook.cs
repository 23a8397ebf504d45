using DlWorkbook.Runtime;
using TorchSharp;

namespace DlWorkbook;

/// <summary>
/// Workbook-wide settings: quick mode for CI and the one seed that makes every notebook repeatable.
/// </summary>
public static class Workbook
{
    /// <summary>Environment variable that switches quick mode on ("1" or "true").</summary>
    public const string QuickModeVariable = "DLWORKBOOK_QUICK";

    /// <summary>
    /// True when <c>DLWORKBOOK_QUICK</c> is set: notebooks shrink epochs and data so CI can run every
    /// cell in seconds, through the same code paths as a full run.
    /// </summary>
    public static bool QuickMode => IsTruthy(Environment.GetEnvironmentVariable(QuickModeVariable));

    /// <summary>Returns <paramref name="full"/> normally and <paramref name="quick"/> in quick mode.</summary>
    /// <example><c>var epochs = Workbook.Pick(full: 10, quick: 1);</c></example>
    public static T Pick<T>(T full, T quick) => QuickMode ? quick : full;

    /// <summary>The seed last passed to <see cref="Seed"/>, or null before the first call.</summary>
    public static long? CurrentSeed { get; private set; }

    /// <summary>
    /// Seeds everything the workbook draws random numbers from: TorchSharp's default generator
    /// (<c>torch.manual_seed</c>), which the data loaders and sequence iterators use when no generator is
    /// passed, and <see cref="Random"/>.
    /// </summary>
    public static void Seed(long seed)
    {
        TorchNative.EnsureLoaded();
        torch.manual_seed(seed);
        Random = new Random(unchecked((int)seed));
        CurrentSeed = seed;
    }

    /// <summary>The workbook's managed random source (reseeded by <see cref="Seed"/>).</summary>
    public static Random Random { get; private set; } = new(0);

    internal static bool IsTruthy(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)
                                           || value.Equals("yes", StringComparison.OrdinalIgnoreCase));
}
