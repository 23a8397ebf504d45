using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using DlWorkbook.Display;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises;

/// <summary>Reading answers of any type as numbers, shapes or letters, and naming what was given.</summary>
internal static class AnswerText
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>What a learner gave, in words: "the number 12", "a tensor of shape [2, 3]", "a function of 2 parameters".</summary>
    public static string Describe(object given) => given switch
    {
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

    /// <summary>A number written for a learner: whole numbers with thousands separators, others with up to 6 significant digits.</summary>
    public static string Number(double x) =>
        double.IsFinite(x) && Math.Abs(x) < 1e15 && x == Math.Round(x) ? x.ToString("#,0", Inv) : x.ToString("G6", Inv);

    /// <summary>A number from a numeric value, a one-element tensor, or text such as "73856", "73,856", "2.5e-3".</summary>
    public static bool TryNumber(object given, out double value)
    {
        value = double.NaN;
        switch (given)
        {
            case Tensor t when t.numel() == 1 && !t.is_complex():
                value = t.to_type(ScalarType.Float64).item<double>();
                return true;
            case string s:
                return double.TryParse(s.Replace("_", "").Replace(" ", "").Trim(), NumberStyles.Float | NumberStyles.AllowThousands, Inv, out value);
            case bool or char:
                return false;
            default:
                if (!IsNumber(given)) return false;
                value = Convert.ToDouble(given, Inv);
                return true;
        }
    }

    /// <summary>
    /// A shape from an array or list of whole numbers, a tuple of them, a tensor (its shape), or text such as
    /// "[16, 6, 28, 28]", "(16, 6, 28, 28)" or "16x6x28x28".
    /// </summary>
    public static bool TryShape(object given, out long[] shape)
    {
        shape = [];
        switch (given)
        {
            case Tensor t:
                shape = t.shape;
                return true;
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
