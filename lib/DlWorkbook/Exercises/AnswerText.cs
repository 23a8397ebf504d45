using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using DlWorkbook.Tensors;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises;

/// <summary>Reading answers of any type as numbers, shapes or letters, and naming what was given.</summary>
internal static class AnswerText
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>What a learner gave, in words: "the number 12", "a tensor of shape [2, 3]", "a function of 2 parameters".</summary>
    public static string Describe(object given)
    {
        try
        {
            return DescribeUnsafe(given);
        }
        catch (Exception)
        {
            return $"a {given.GetType().Name}";   // a value that cannot even be looked at (a collection whose enumeration throws)
        }
    }

    static string DescribeUnsafe(object given) => given switch
    {
        Tensor { IsInvalid: true } => "a tensor that was disposed",
        Tensor t => $"a tensor of shape {t.ShapeText()}",
        string s => $"the text \"{(s.Length > 40 ? s[..40] + "…" : s)}\"",
        char c => $"the letter '{c}'",
        bool b => $"the value {(b ? "true" : "false")}",
        Delegate d => $"a function of {d.Method.GetParameters().Length} parameter{(d.Method.GetParameters().Length == 1 ? "" : "s")}",
        _ when IsNumber(given) => $"the number {Number(Convert.ToDouble(given, Inv))}",
        ITuple tuple => $"a tuple of {tuple.Length} values",
        IEnumerable e => $"a list of {e.Cast<object>().Count()} values",
        _ => $"a {given.GetType().Name}",
    };

    public static bool IsNumber(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal;

    /// <summary>
    /// A number written for a learner: whole numbers with thousands separators, others as typed (the shortest text
    /// that reads back as the same double), so that an answer is never shown rounded to a different number.
    /// </summary>
    public static string Number(double x) =>
        double.IsFinite(x) && Math.Abs(x) < 1e15 && x == Math.Round(x) ? x.ToString("#,0", Inv) : x.ToString("R", Inv);

    /// <summary>
    /// A number from a numeric value, a one-element tensor, or text such as "73856", "73,856", "0,75", "2.5e-3".
    /// <paramref name="problem"/> says what is wrong with text that looks like a number but cannot be read as one
    /// without guessing (see <see cref="TryParseText"/>); it is null otherwise.
    /// </summary>
    public static bool TryNumber(object given, bool whole, out double value, out string? problem)
    {
        value = double.NaN;
        problem = null;
        switch (given)
        {
            case Tensor t when t.numel() == 1 && !t.is_complex():
                value = t.to_type(ScalarType.Float64).item<double>();
                return true;
            case string s:
                return TryParseText(s, whole, out value, out problem);
            case bool or char:
                return false;
            default:
                if (!IsNumber(given)) return false;
                value = Convert.ToDouble(given, Inv);
                return true;
        }
    }

    /// <summary>
    /// Reads a number typed as text (from the command line or a string answer). Commas are read only where they
    /// cannot be misread: as thousands separators in groups of three ("73,856", "1,234,567.5"), or as a decimal comma
    /// when they cannot be thousands separators ("0,75", "12,5"). "1,234" is 1234 for a whole-number answer but
    /// could be 1.234 for a decimal one, so there it is refused; so is "2,0,0,9,6,0", which is neither.
    /// </summary>
    public static bool TryParseText(string text, bool whole, out double value, out string? problem)
    {
        value = double.NaN;
        problem = null;
        var s = text.Replace("_", "").Replace(" ", "").Replace('\u2212', '-').Trim();
        if (s.Length == 0) return false;
        if (!s.Contains(','))
            return double.TryParse(s, NumberStyles.Float, Inv, out value);
        var grouped = System.Text.RegularExpressions.Regex.IsMatch(s, @"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?$");
        var commas = s.Count(c => c == ',');
        if (grouped && (whole || commas > 1 || s.Contains('.')))
            return double.TryParse(s, NumberStyles.Float | NumberStyles.AllowThousands, Inv, out value);
        if (grouped)
        {
            problem = $"\"{text.Trim()}\" could be read two ways: with a thousands separator or with a decimal comma. "
                      + "Write it without the comma, with a decimal point '.' if it has decimals.";
            return false;
        }
        if (commas == 1 && !s.Contains('.') && System.Text.RegularExpressions.Regex.IsMatch(s, @"^[+-]?\d+,\d+$"))
            return double.TryParse(s.Replace(',', '.'), NumberStyles.Float, Inv, out value);
        problem = $"\"{text.Trim()}\" is not a number as written: a comma may only separate thousands, in groups of three "
                  + "digits (as in 12,345), and decimals take a point '.' (as in 0.25).";
        return false;
    }

    /// <summary>
    /// A shape from an array or list of whole numbers, a tuple of them, or text such as "[16, 6, 28, 28]",
    /// "(16, 6, 28, 28)" or "16x6x28x28". A tensor is not a shape: a predict-the-shape exercise asks for the shape
    /// before the code runs, so passing the tensor the code makes is not an answer (the check says so).
    /// </summary>
    public static bool TryShape(object given, out long[] shape)
    {
        shape = [];
        switch (given)
        {
            case Tensor:
                return false;
            case string s:
                var parts = s.Trim().TrimStart('[', '(').TrimEnd(']', ')').Split([',', 'x', '×', ' '], StringSplitOptions.RemoveEmptyEntries);
                var values = new List<long>();
                foreach (var part in parts)
                {
                    if (!long.TryParse(part, NumberStyles.Integer, Inv, out var v)) return false;
                    values.Add(v);
                }
                shape = [.. values];
                return true;
            case ITuple tuple:
                return TryWholeNumbers(Enumerable.Range(0, tuple.Length).Select(i => tuple[i]), out shape);
            case IEnumerable e:
                return TryWholeNumbers(e.Cast<object?>(), out shape);
            default:
                return false;
        }
    }

    static bool TryWholeNumbers(IEnumerable<object?> items, out long[] shape)
    {
        var values = new List<long>();
        foreach (var item in items)
        {
            if (item is null || !IsNumber(item)) { shape = []; return false; }
            var d = Convert.ToDouble(item, Inv);
            if (d != Math.Round(d)) { shape = []; return false; }
            values.Add((long)d);
        }
        shape = [.. values];
        return true;
    }

    public static string Shape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>How far <paramref name="given"/> is from <paramref name="expected"/>, in words that do not give the answer away.</summary>
    public static string HowFarOff(double given, double expected)
    {
        if (expected == 0) return $"{Number(given)} is too {(given > 0 ? "large" : "small")}.";
        if (given == 0) return $"{Number(given)} is too {(expected > 0 ? "small" : "large")}.";
        if (Math.Sign(given) != Math.Sign(expected)) return $"{Number(given)} has the wrong sign.";
        var ratio = given / expected;
        var larger = Math.Abs(given) > Math.Abs(expected);
        var size = larger ? "large" : "small";
        var factor = Math.Abs(larger ? ratio : 1 / ratio);
        if (factor >= 2) return $"{Number(given)} is about {Rough(factor)} times too {size}.";
        return $"{Number(given)} is too {size}, by about {Rough((factor - 1) * 100)} %.";
    }

    /// <summary>One or two significant digits: enough to say how far, too few to recover the answer.</summary>
    static string Rough(double x)
    {
        var digits = x >= 10 ? 2 : 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(x)) - digits + 1);
        return (Math.Round(x / magnitude) * magnitude).ToString("0.####", Inv);
    }
}
