using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;

namespace DlWorkbook.Display;

/// <summary>LaTeX formulas with computed numbers filled in, shown as display maths in a notebook.</summary>
public static class Formula
{
    /// <summary>
    /// A display formula from an interpolated string; numbers are written with the invariant culture
    /// (a decimal point everywhere). Use a raw string so LaTeX braces stay literal:
    /// <code>Formula.Latex($$"""\mathrm{MSE} = {{mse:F3}}""")</code>
    /// In a notebook it renders as maths (text/latex); elsewhere <c>ToString()</c> gives the TeX source.
    /// </summary>
    /// <remarks>There is deliberately no <c>string</c> overload: C# would pick it for interpolated strings
    /// and format the numbers in the current culture.</remarks>
    public static LaTeXString Latex(FormattableString tex) => FromTex(tex.ToString(CultureInfo.InvariantCulture));

    /// <summary>A display formula from plain TeX without computed numbers (no <c>$$</c> needed).</summary>
    internal static LaTeXString FromTex(string tex) => new("$$" + tex.Trim().Trim('$') + "$$");
}
