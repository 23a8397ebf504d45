using System.Globalization;
using DlWorkbook.Data;
using DlWorkbook.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>Short ways to write catalogue entries and the reference checks of code exercises.</summary>
internal static class Build
{
    public static CatalogueEntry Entry(string id, ExerciseKind kind, string title, Answer answer, params object[] wrongAnswers) =>
        new(id, kind, title, answer, wrongAnswers);

    /// <summary>An entry whose inputs can be drawn again: its check is that of the shipped inputs.</summary>
    public static CatalogueEntry Entry(string id, ExerciseKind kind, string title, IVariants variants, params object[] wrongAnswers) =>
        new(id, kind, title, variants.Shipped.Answer, wrongAnswers, variants);

    /// <summary>The inputs of an exercise: the shipped ones, how to draw others, and the prompt, check and worked method for any of them.</summary>
    public static Variants<T> Inputs<T>(T shipped, Func<Random, T> draw, Func<T, string> prompt, Func<T, Answer> answer, Func<T, object> worked)
        where T : notnull => new(shipped, draw, prompt, answer, worked);

    /// <summary>Text with its numbers written the same on every machine (0.25, never 0,25).</summary>
    public static string Inv(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>A shape for a worked method: the lengths as long[].</summary>
    public static long[] Shape(params long[] lengths) => lengths;

    public static ChoiceAnswer Choice(char correct, string why, string hint, Func<DataCache?, char> evidence, params (char Letter, string Hint)[] wrong) =>
        new(correct, why, wrong.ToDictionary(w => w.Letter, w => w.Hint), evidence, hint);

    public static Verdict Correct(string message) => Verdict.Correct(message);

    public static Verdict NotYet(string message, string hint) => Verdict.NotYet(message, hint);

    /// <summary>A generator for the inputs of a reference case: the same numbers on every check, the global generator untouched.</summary>
    public static Generator Seeded(ulong seed) => new(seed);

    /// <summary>Same shape and every element within <paramref name="atol"/> + 1e-5·|b|.</summary>
    public static bool Close(Tensor a, Tensor b, double atol = 1e-5) =>
        a.shape.SequenceEqual(b.shape) && a.to_type(ScalarType.Float64).allclose(b.to_type(ScalarType.Float64), rtol: 1e-5, atol: atol);

    /// <summary>The values of a small tensor as text, for probes and messages.</summary>
    public static string Values(Tensor t) =>
        $"{t.ShapeText()} [" + string.Join(", ", t.detach().to_type(ScalarType.Float64).flatten().data<double>().ToArray()
            .Select(v => v.ToString("G5", CultureInfo.InvariantCulture))) + "]";

    /// <summary>"a tensor of shape [..]" or a verdict saying the shape is not the expected one.</summary>
    public static Verdict? WrongShape(Tensor got, long[] expected, string what) =>
        got.shape.SequenceEqual(expected) ? null
            : NotYet($"Your {what} has shape {got.ShapeText()}; it should have shape [{string.Join(", ", expected)}].",
                "Write the shape of every operand beside the code and check what each operation makes of them.");
}
