using System.Globalization;
using System.Text.RegularExpressions;

namespace WorkbookTool;

/// <summary>
/// Evaluates the arithmetic of a markdown cell's formulas ($\sqrt{2303/2304} \approx 0.99978$), so that a figure the
/// prose derives by hand is checked instead of listed: numbers, + − · × /, powers, \sqrt, \frac, \pi, \ln and \exp.
/// </summary>
public static partial class LatexFormulas
{
    /// <summary>
    /// Whether <paramref name="figure"/> is the value of a formula in <paramref name="markdown"/> (a chain
    /// "expression = … ≈ figure" whose expression evaluates to the figure at its decimals), or an operand of one
    /// whose stated value is right.
    /// </summary>
    public static bool States(string markdown, ProseFigure figure)
    {
        foreach (Match math in MathSpan().Matches(markdown))
        {
            var parts = Relation().Split(math.Groups[1].Value);
            var values = parts.Select(Evaluate).ToList();
            for (var j = 1; j < parts.Length; j++)
            {
                if (values[j] is not { } stated || !IsNumberOnly(parts[j])) continue;
                var right = Enumerable.Range(0, j).Any(i => values[i] is { } v && !IsNumberOnly(parts[i]) && RoundsTo(v, parts[j]));
                if (!right) continue;
                if (Math.Abs(stated - figure.Value) <= 1e-9 * Math.Max(1, Math.Abs(figure.Value))) return true;
                // An operand of a formula whose value is stated correctly.
                if (Enumerable.Range(0, j).Any(i => values[i] is not null && Numbers(parts[i]).Contains(figure.Value))) return true;
            }
        }
        return false;
    }

    /// <summary>The value of a LaTeX arithmetic expression, or null when it holds anything else (a variable, text).</summary>
    public static double? Evaluate(string latex)
    {
        var tokens = Tokens(latex);
        if (tokens is null || tokens.Count == 0) return null;
        var parser = new Parser(tokens);
        try
        {
            var value = parser.Expression();
            return parser.AtEnd && double.IsFinite(value) ? value : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    static bool IsNumberOnly(string part) => NumberOnly().IsMatch(part.Replace("{,}", ""));

    static IEnumerable<double> Numbers(string part) =>
        Regex.Matches(part.Replace("{,}", "").Replace('−', '-'), @"-?\d+(\.\d+)?").Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture));

    /// <summary>Whether <paramref name="value"/> rounds to the number written in <paramref name="written"/>.</summary>
    static bool RoundsTo(double value, string written)
    {
        var stated = Evaluate(written)!.Value;
        var mantissa = NumberToken().Match(written.Replace("{,}", "")).Value;
        var decimals = mantissa.Contains('.') ? mantissa.Length - mantissa.IndexOf('.') - 1 : 0;
        var scale = written.Contains("10^") ? Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(stated)))) : 1;
        var rounded = Math.Round(value / scale, decimals, MidpointRounding.AwayFromZero) * scale;
        return Math.Abs(rounded - stated) <= 1e-9 * Math.Max(1, Math.Abs(stated))
               || (decimals == 0 && Math.Abs(value - stated) < 0.5 * scale);
    }

    static List<string>? Tokens(string latex)
    {
        var text = latex.Replace("{,}", "").Replace("\\left", "").Replace("\\right", "").Replace("\\bigl", "").Replace("\\bigr", "")
            .Replace("\\Bigl", "").Replace("\\Bigr", "").Replace("\\,", " ").Replace("\\ ", " ").Replace("\\!", "").Replace("−", "-");
        var tokens = new List<string>();
        var splitDigits = false;       // \frac12 and 2^10 take single digits as arguments
        foreach (Match m in TokenPattern().Matches(text))
        {
            var token = m.Value;
            if (string.IsNullOrWhiteSpace(token) || m.Groups["end"].Success) continue;
            if (!m.Groups["ok"].Success) return null;
            if (splitDigits && char.IsDigit(token[0]) && !token.Contains('.'))
                tokens.AddRange(token.Select(c => c.ToString()));
            else
                tokens.Add(token);
            splitDigits = token is "\\frac" or "\\tfrac" or "\\dfrac" or "^";
        }
        return tokens;
    }

    sealed class Parser(List<string> tokens)
    {
        int at;

        public bool AtEnd => at == tokens.Count;

        string? Peek => at < tokens.Count ? tokens[at] : null;

        string Next() => at < tokens.Count ? tokens[at++] : throw new FormatException("unexpected end");

        void Expect(string token)
        {
            if (Next() != token) throw new FormatException($"expected {token}");
        }

        public double Expression()
        {
            var value = Term();
            while (Peek is "+" or "-") value = Next() == "+" ? value + Term() : value - Term();
            return value;
        }

        double Term()
        {
            var value = Unary();
            while (true)
            {
                if (Peek is "*" or "\\cdot" or "\\times" or "×" or "·") { Next(); value *= Unary(); }
                else if (Peek is "/") { Next(); value /= Unary(); }
                else if (Peek is { } p && StartsAtom(p)) value *= Unary();
                else return value;
            }
        }

        static bool StartsAtom(string token) =>
            char.IsDigit(token[0]) || token is "(" or "{" or "\\sqrt" or "\\frac" or "\\tfrac" or "\\dfrac" or "\\pi" or "\\ln" or "\\exp";

        double Unary() => Peek == "-" ? -(Next() == "-" ? Unary() : 0) : Power();

        double Power()
        {
            var value = Atom();
            if (Peek != "^") return value;
            Next();
            return Math.Pow(value, Peek == "-" ? -(Next() == "-" ? Atom() : 0) : Atom());
        }

        double Atom()
        {
            var token = Next();
            switch (token)
            {
                case "(":
                {
                    var value = Expression();
                    Expect(")");
                    return value;
                }
                case "{":
                {
                    var value = Expression();
                    Expect("}");
                    return value;
                }
                case "\\sqrt": return Math.Sqrt(Atom());
                case "\\frac" or "\\tfrac" or "\\dfrac": return Atom() / Atom();
                case "\\pi": return Math.PI;
                case "\\ln": return Math.Log(Atom());
                case "\\exp": return Math.Exp(Atom());
                default:
                    return char.IsDigit(token[0])
                        ? double.Parse(token, CultureInfo.InvariantCulture)
                        : throw new FormatException($"not arithmetic: {token}");
            }
        }
    }

    [GeneratedRegex(@"\$\$?([^$]+)\$\$?")]
    private static partial Regex MathSpan();

    [GeneratedRegex(@"\\approx|≈|=")]
    private static partial Regex Relation();

    [GeneratedRegex(@"^\s*-?\d+(\.\d+)?(\s*(\\cdot|\\times)\s*10\^\{?-?\d+\}?)?\s*[.,;:]?\s*$")]
    private static partial Regex NumberOnly();

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex NumberToken();

    [GeneratedRegex(@"(?<ok>\d+(\.\d+)?|\\(sqrt|frac|tfrac|dfrac|pi|ln|exp|cdot|times)(?![a-zA-Z])|[-+*/^(){}×·])|\s+|(?<end>[.,;:]\s*$)|.")]
    private static partial Regex TokenPattern();
}
