using System.Globalization;
using System.Text.RegularExpressions;
using DlWorkbook.Exercises;
using DlWorkbook.Tests.Display;

namespace DlWorkbook.Tests.Exercises;

/// <summary>
/// Fresh numbers on demand: every exercise whose answer is a number or a shape can be asked again with new inputs.
/// For many drawn variants the worked method of the solution, applied to the new inputs, gets "correct" from the check
/// (which computes its answer with TorchSharp), every listed mistake gets its own hint, and the question does not
/// contain its answer. The shipped variant is the one the notebook, its text and the worked solutions use.
/// </summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]   // Exercise.Again changes what a check expects, for the whole process
public class VariantTests
{
    const int Draws = 100;

    public static TheoryData<string> Drawable() => new(Exercise.All.Where(e => e.HasVariants).Select(e => e.Id));

    [Fact]
    public void EveryNumberOrShapeExerciseCanBeDrawnAgainAndNoOtherCan()
    {
        foreach (var entry in Exercise.All)
        {
            var numeric = entry.Answer is NumberAnswer or ShapeAnswer;
            Assert.True(numeric == entry.HasVariants, $"{entry.Id} ({entry.Expects}) {(entry.HasVariants ? "has" : "has no")} variants.");
            if (numeric)
                Assert.True(entry.Kind is ExerciseKind.Predict or ExerciseKind.ComputeByHand, $"{entry.Id} is a {entry.Kind} with a numeric answer.");
        }
        Assert.True(Exercise.All.Count(e => e.HasVariants) >= 35);
    }

    [Theory]
    [MemberData(nameof(Drawable))]
    public void TheShippedVariantIsTheNotebooksExerciseAndItsWorkedMethodIsRight(string id)
    {
        var entry = Exercise.All.Single(e => e.Id == id);
        var shipped = entry.Variants!.Shipped;
        Assert.Equal(NotebookExercises.Prompt(id), NotebookExercises.Normalise(shipped.Prompt));
        Assert.Same(entry.Answer, shipped.Answer);
        var result = entry.Evaluate(shipped.Worked(), source: null, shipped);
        Assert.True(result.IsCorrect, $"{id}: the worked method on the shipped inputs gives {Describe(shipped.Worked())}: {result.ToText()}");
        Assert.Null(result.Variant);
    }

    [Theory]
    [MemberData(nameof(Drawable))]
    public void ForManyDrawnVariantsTheWorkedMethodIsRightAndEveryMistakeGetsItsHint(string id)
    {
        var entry = Exercise.All.Single(e => e.Id == id);
        var prompts = new HashSet<string>();
        for (var seed = 1; seed <= Draws; seed++)
        {
            var variant = entry.Variants!.Draw(seed);
            var at = $"{id}, variant {seed}:\n{variant.Prompt}\n";
            Assert.Equal(seed, variant.Number);
            Assert.StartsWith(entry.Notebook == MockExam.Notebook ? $"**Question {id[3..^1]}**, new numbers" : $"**Exercise {id} ·", variant.Prompt);
            Assert.NotEqual(entry.Variants!.Shipped.Prompt, variant.Prompt);
            prompts.Add(variant.Prompt);

            var worked = variant.Worked();
            var result = entry.Evaluate(worked, source: null, variant);
            Assert.True(result.IsCorrect, $"{at}the worked method gives {Describe(worked)}: {result.ToText()}");
            Assert.Equal(seed, result.Variant);

            foreach (var (mistake, hint) in LiveMistakes(variant.Answer))
            {
                var wrong = entry.Evaluate(mistake, source: null, variant);
                Assert.True(wrong.Status == ExerciseStatus.NotYet && wrong.Hint == hint,
                    $"{at}the mistake {Describe(mistake)} gets \"{wrong.ToText()}\", not its hint \"{hint}\".");
            }
            foreach (var secret in Secrets(variant.Answer))
                Assert.False(Regex.IsMatch(Body(variant.Prompt), $@"(?<![\d.,]){Regex.Escape(secret)}(?![\d]|\.\d)"),
                    $"{at}the question contains its answer {secret}.");
        }
        Assert.True(prompts.Count >= 8, $"{id}: {Draws} draws gave only {prompts.Count} different questions.");
    }

    [Theory]
    [MemberData(nameof(Drawable))]
    public void TheSameSeedAlwaysDrawsTheSameQuestion(string id)
    {
        var variants = Exercise.All.Single(e => e.Id == id).Variants!;
        Assert.Equal(variants.Draw(4242).Prompt, variants.Draw(4242).Prompt);
    }

    [Fact]
    public void AgainShowsNewNumbersTheCheckFollowsThemAndOriginalGoesBack()
    {
        try
        {
            var shown = string.Join("\n", CellOutputCapture.Printed(() => Exercise.Again("05.3", 7)));
            var variant = Exercise.All.Single(e => e.Id == "05.3").Variants!.Draw(7);
            Assert.StartsWith(variant.Prompt.Split('\n')[0], shown);
            Assert.Contains("Variant 7, new numbers: the check of exercise 05.3", shown);
            Assert.Contains("`Exercise.Original(\"05.3\")` goes back", shown);

            var worked = (double)variant.Worked();
            var result = Exercise.Evaluate("05.3", worked);
            Assert.True(result.IsCorrect, result.ToText());
            Assert.StartsWith("✓ Exercise 05.3 (output size with padding and stride, variant 7): correct.", result.ToText());
            if (worked != 15) Assert.False(Exercise.Evaluate("05.3", 15L).IsCorrect);   // the shipped answer no longer is

            var back = string.Join("\n", CellOutputCapture.Printed(() => Exercise.Original("05.3")));
            Assert.Contains("A $32 \\times 32$ input", back);
            Assert.Contains("The notebook's own numbers again", back);
            Assert.Equal("✓ Exercise 05.3 (output size with padding and stride): correct. 15 is right.", Exercise.Evaluate("05.3", 15L).ToText());
        }
        finally
        {
            Exercise.Original("05.3");
        }
    }

    [Fact]
    public void AgainOnACodeOrChoiceExerciseOrAnUnknownIdSaysWhyInsteadOfThrowing()
    {
        var code = Assert.Single(CellOutputCapture.Printed(() => Exercise.Again("05.4")));
        Assert.Equal("Exercise 05.4 (the output-size formula) asks for a function (long n, long k, long p, long s) → long, which has no "
            + "numbers to draw again. In notebook 05 these can be: 05.1, 05.3, 05.5, 05.6, 05.7.", code);
        var unknown = Assert.Single(CellOutputCapture.Printed(() => Exercise.Again("05.99")));
        Assert.StartsWith("There is no exercise \"05.99\".", unknown);
        Assert.Equal(ExerciseStatus.NotAttempted, Exercise.Evaluate("05.4", null).Status);
    }

    /// <summary>The mistakes a learner can reach for these inputs: finite, not the answer, not an earlier mistake's value.</summary>
    static IEnumerable<(object Value, string Hint)> LiveMistakes(Answer answer)
    {
        switch (answer)
        {
            case NumberAnswer number:
                var seen = new List<double> { number.Expected };
                foreach (var (value, hint) in number.Mistakes)
                {
                    if (!double.IsFinite(value) || seen.Any(v => number.Near(value, v))) continue;
                    seen.Add(value);
                    yield return (value, hint);
                }
                break;
            case ShapeAnswer shape:
                var shapes = new List<long[]> { shape.Expected };
                foreach (var (value, hint) in shape.Mistakes)
                {
                    if (shapes.Any(s => s.SequenceEqual(value))) continue;
                    shapes.Add(value);
                    yield return (value, hint);
                }
                break;
        }
    }

    /// <summary>The answer as the question would have to write it to give it away.</summary>
    static IEnumerable<string> Secrets(Answer answer) => answer switch
    {
        NumberAnswer { IsWhole: true } n when Math.Abs(n.Expected) >= 100 => [n.Expected.ToString("#,0", CultureInfo.InvariantCulture), n.Expected.ToString("0", CultureInfo.InvariantCulture)],
        NumberAnswer { DecimalsAsked: { } d } n => [n.Expected.ToString("F" + d, CultureInfo.InvariantCulture)],
        ShapeAnswer s when s.Expected.Length >= 2 => [$"[{string.Join(", ", s.Expected)}]"],
        _ => [],
    };

    /// <summary>The question without its bold heading (whose id, "05.3", is no answer).</summary>
    static string Body(string prompt) => prompt[(prompt.IndexOf("**", 2, StringComparison.Ordinal) + 2)..];

    static string Describe(object value) => value switch
    {
        long[] shape => $"[{string.Join(", ", shape)}]",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
