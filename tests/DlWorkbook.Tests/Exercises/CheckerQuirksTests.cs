using System.Globalization;
using DlWorkbook.Exercises;
using DlWorkbook.Tests.Display;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Exercises;

/// <summary>
/// Answers a learner really gives that the checks once misread: truncated decimals, decimal commas, digits with
/// commas between them, a number printed back rounded to the right answer, the tensor a shape exercise asks about,
/// a disposed tensor, and mistakes whose hint could never be reached.
/// </summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]   // a check saves and restores the global generator
public class CheckerQuirksTests
{
    static CatalogueEntry Entry(string id) => Exercise.All.Single(e => e.Id == id);

    [Theory]
    [InlineData("04.1", 0.0438, "0.0438 has the right digits, but cut off after 4 decimals.")]   // √(2/1040) = 0.043853…
    [InlineData("06.5", 1.603, "1.603 has the right digits, but cut off after 3 decimals.")]     // 3/√3.50001 = 1.603567…
    public void ATruncatedDecimalIsToldToRoundNotToTruncate(string id, double truncated, string message)
    {
        var result = Exercise.Evaluate(id, truncated);
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.Equal(message, result.Message);
        Assert.Equal("Round, don't truncate: look at the next digit, and when it is 5 or more the last digit you keep goes up by one.", result.Hint);
        // A plain wrong number of the same length is not called truncated.
        Assert.DoesNotContain("cut off", Exercise.Evaluate(id, truncated - 0.002).Message);
    }

    [Fact]
    public void ANumberThatIsNotWholeIsNeverPrintedBackAsTheRightCount()
    {
        var result = Exercise.Evaluate("00.1", 200960.1);
        Assert.Equal("✗ Exercise 00.1 (parameters of a Linear layer): not yet. 200960.1 is not a whole number, and this "
            + "answer counts something. Hint: The weight matrix has one row per output and one column per input; then add the biases.",
            result.ToText());
        Assert.Equal("0.30000000000000004", Exercise.Evaluate("02.3", 0.1 + 0.2).Message.Split(' ')[0]);   // as given, not rounded
    }

    [Theory]
    [InlineData("05.5", "73,856", true)]        // thousands separators in a count
    [InlineData("05.5", "73 856", true)]
    [InlineData("03.5", "1,75", true)]          // a decimal comma that cannot be a thousands separator
    [InlineData("04.6", "3,75", true)]
    [InlineData("03.5", "1.75", true)]
    public void NumbersTypedAsTextAreReadTheWayTheyCanOnlyBeMeant(string id, string text, bool correct) =>
        Assert.Equal(correct, Exercise.Evaluate(id, text).IsCorrect);

    [Fact]
    public void TextThatCouldBeReadTwoWaysOrNotAtAllIsRefusedWithTheReason()
    {
        var ambiguous = Exercise.Evaluate("01.5", "1,667");   // 1667 or 1.667? For a decimal answer, either could be meant.
        Assert.Equal(ExerciseStatus.NotYet, ambiguous.Status);
        Assert.Equal("\"1,667\" could be read two ways: with a thousands separator or with a decimal comma. Write it without "
            + "the comma, with a decimal point '.' if it has decimals.", ambiguous.Message);
        var digits = Exercise.Evaluate("00.1", "2,0,0,9,6,0");
        Assert.Equal(ExerciseStatus.NotYet, digits.Status);
        Assert.Equal("\"2,0,0,9,6,0\" is not a number as written: a comma may only separate thousands, in groups of three digits "
            + "(as in 12,345), and decimals take a point '.' (as in 0.25).", digits.Message);
        Assert.Equal("Type the number with digits only, and a decimal point '.' if it has decimals.", digits.Hint);

        Assert.True(AnswerTextReads("0,75", whole: false, out var value) && value == 0.75);
        Assert.True(AnswerTextReads("1,234", whole: true, out value) && value == 1234);
        Assert.True(AnswerTextReads("1,234,567.5", whole: false, out value) && value == 1234567.5);
        Assert.True(AnswerTextReads("−2.5", whole: false, out value) && value == -2.5);   // a typographic minus
        Assert.False(AnswerTextReads("1,234", whole: false, out _));
        Assert.False(AnswerTextReads("0,075,1", whole: false, out _));
        Assert.False(AnswerTextReads("1,5.2", whole: false, out _));
    }

    static bool AnswerTextReads(string text, bool whole, out double value) => AnswerText.TryParseText(text, whole, out value, out _);

    [Fact]
    public void AShapeExerciseDoesNotAcceptTheTensorItAsksAboutAndDoesNotTellItsShape()
    {
        var result = Exercise.Evaluate("05.6", torch.zeros(16, 6, 28, 28));
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.Equal("The answer given is a tensor, not a shape: running the code and passing its result only shows that the code "
            + "runs. The exercise asks you to predict the shape before it runs.", result.Message);
        Assert.DoesNotContain("28", result.Message + result.Hint);
    }

    [Fact]
    public void ADisposedTensorGetsAClearResultNeverAnException()
    {
        var number = torch.tensor(0.2447);
        number.Dispose();
        var result = Exercise.Evaluate("02.3", number);
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.StartsWith("The answer holds a tensor that was already disposed", result.Message);
        Assert.Equal("Give a number, or compute the tensor again where nothing disposes it before the check.", result.Hint);

        var shape = torch.zeros(2, 3);
        shape.Dispose();
        Assert.StartsWith("The answer holds a tensor that was already disposed", Exercise.Evaluate("05.6", shape).Message);

        // A function whose result is disposed before the check reads it.
        var code = Exercise.Evaluate("02.5", (Func<Tensor, Tensor>)(o => { var p = torch.softmax(o, 1); p.Dispose(); return p; }));
        Assert.Equal(ExerciseStatus.NotYet, code.Status);
        Assert.StartsWith("The answer holds a tensor that was already disposed", code.Message);

        var printed = CellOutputCapture.Printed(() => Exercise.Check("02.3", number));
        Assert.StartsWith("✗ Exercise 02.3", Assert.Single(printed));
    }

    [Fact]
    public void EveryListedMistakeGetsItsOwnHint()
    {
        // A mistake equal to the right answer, or to an earlier mistake, could never show its hint (03.5 once had one).
        foreach (var entry in Exercise.All)
        {
            switch (entry.Answer)
            {
                case NumberAnswer number:
                    foreach (var (value, hint) in number.Mistakes)
                    {
                        var result = Exercise.Evaluate(entry.Id, value);
                        Assert.True(result.Status == ExerciseStatus.NotYet && result.Hint == hint,
                            $"{entry.Id}: the mistake {value.ToString(CultureInfo.InvariantCulture)} gets \"{result.ToText()}\", not its hint \"{hint}\".");
                    }
                    break;
                case ShapeAnswer shape:
                    foreach (var (value, hint) in shape.Mistakes)
                    {
                        var result = Exercise.Evaluate(entry.Id, value);
                        Assert.True(result.Status == ExerciseStatus.NotYet && result.Hint == hint,
                            $"{entry.Id}: the mistake [{string.Join(", ", value)}] gets \"{result.ToText()}\", not its hint \"{hint}\".");
                    }
                    break;
            }
        }
    }

    [Fact]
    public void TheCrossCorrelationDiagnosesAreDistinct()
    {
        // 05.1: a flipped kernel, a swapped index and a neighbouring entry each get their own diagnosis.
        Assert.StartsWith("You flipped the kernel", Exercise.Evaluate("05.1", 27).Hint);
        Assert.StartsWith("That is Y[0, 1]", Exercise.Evaluate("05.1", 21).Hint);
        Assert.StartsWith("That is Y[1, 1]", Exercise.Evaluate("05.1", 39).Hint);
        Assert.StartsWith("That is Y[0, 0]", Exercise.Evaluate("05.1", 15).Hint);
    }

    [Fact]
    public void NoNumberOrShapeExerciseAsksASecondQuestionItsCheckCannotMark()
    {
        foreach (var entry in Exercise.All.Where(e => e.Answer is NumberAnswer or ShapeAnswer))
        {
            var prompt = NotebookExercises.Prompt(entry.Id);
            var body = prompt[(prompt.IndexOf("**", 2, StringComparison.Ordinal) + 2)..];   // after the bold heading
            var questions = body.Count(c => c == '?');
            Assert.True(questions <= 1, $"{entry.Id} asks {questions} questions, but its check marks one answer:\n{prompt}");
            Assert.DoesNotContain("say in words", prompt);
        }
    }

    [Fact]
    public void PromptsGiveWhatTheirHintsRelyOnAndNameTheirKindRightly()
    {
        var block = NotebookExercises.Prompt("06.2");
        Assert.Contains("$3\\times3$ convolution with padding 1 and stride 2", block);
        var network = NotebookExercises.Prompt("06.7");
        Assert.DoesNotContain("§6.3", network);
        Assert.Contains("`AdaptiveAvgPool2d(1)`", network);
        Assert.Equal(ExerciseKind.ComputeByHand, Entry("03.4").Kind);
        Assert.Contains("Compute by hand", NotebookExercises.Prompt("03.4"));
    }
}
