using DlWorkbook.Exercises;
using DlWorkbook.Tests.Display;
using TorchSharp;
using static TorchSharp.torch;

namespace DlWorkbook.Tests.Exercises;

/// <summary>What a learner sees for each kind of answer, in a notebook and outside one.</summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]   // swaps the console and seeds the global generator
public class ExerciseApiTests
{
    static CatalogueEntry Entry(string id) => Exercise.All.Single(e => e.Id == id);

    [Fact]
    public void ANumberIsCorrectOrSaysHowFarOffWithoutTheAnswer()
    {
        Assert.Equal("✓ Exercise 05.5 (parameters of a convolution): correct. 73,856 is right.",
            Exercise.Evaluate("05.5", 128 * 64 * 9 + 128).ToText());
        Assert.Equal("✗ Exercise 05.5 (parameters of a convolution): not yet. 73,728 is too small, by about 0.2 %. "
            + "Hint: Those are the weights; every output channel also has a bias.", Exercise.Evaluate("05.5", 73_728L).ToText());
        Assert.Equal("✗ Exercise 05.5 (parameters of a convolution): not yet. 1,000,000 is about 14 times too large. "
            + "Hint: The kernel tensor is [c_out, c_in, k_h, k_w], plus one bias per output channel.", Exercise.Evaluate("05.5", 1e6).ToText());
        Assert.Equal("○ Exercise 05.5 (parameters of a convolution): not attempted. Replace `null` with your answer and run the cell again.",
            Exercise.Evaluate("05.5", null).ToText());
    }

    [Fact]
    public void NumbersAreRightWithinTheDecimalsAskedFor()
    {
        Assert.True(Exercise.Evaluate("02.3", 0.2447).IsCorrect);     // softmax([1, 2, 3])₁ = 0.244728…
        Assert.True(Exercise.Evaluate("02.3", 0.24473f).IsCorrect);
        Assert.True(Exercise.Evaluate("02.3", torch.tensor(0.2447)).IsCorrect);   // a one-element tensor is a number
        Assert.False(Exercise.Evaluate("02.3", 0.2446).IsCorrect);
        Assert.True(Exercise.Evaluate("05.5", "73,856").IsCorrect);             // text, as from the command line
    }

    [Fact]
    public void AShapeMayBeAnArrayOrATuple()
    {
        Assert.Equal("✓ Exercise 05.6 (a padded convolution on a batch): correct. [16, 6, 28, 28] is right.",
            Exercise.Evaluate("05.6", new long[] { 16, 6, 28, 28 }).ToText());
        Assert.True(Exercise.Evaluate("05.6", new[] { 16, 6, 28, 28 }).IsCorrect);
        Assert.True(Exercise.Evaluate("05.6", (16, 6, 28, 28)).IsCorrect);
        Assert.Equal("✗ Exercise 05.6 (a padded convolution on a batch): not yet. [16, 6, 24, 24] is not it. Hint: Padding 2 on every side: n + 2p − k + 1.",
            Exercise.Evaluate("05.6", new long[] { 16, 6, 24, 24 }).ToText());
        Assert.Equal("✗ Exercise 05.6 (a padded convolution on a batch): not yet. [16, 6, 28] has 3 axes; the result has 4. "
            + "Hint: [batch, channels, height, width]: the batch stays, the channels become c_out, and the size follows ⌊(n − k + 2p)/s⌋ + 1.",
            Exercise.Evaluate("05.6", new long[] { 16, 6, 28 }).ToText());
    }

    [Fact]
    public void AnAnswerOfTheWrongKindSaysWhatWasExpected()
    {
        Assert.Equal("✗ Exercise 05.6 (a padded convolution on a batch): not yet. This exercise takes a shape: whole numbers in brackets, "
            + "for example [2, 3]; the answer given is the number 16. "
            + "Hint: Give a shape: whole numbers in brackets, for example [2, 3].", Exercise.Evaluate("05.6", 16).ToText());
        Assert.StartsWith("✗ Exercise 05.5 (parameters of a convolution): not yet. This exercise takes a number, such as 42 or 0.125; "
            + "the answer given is a tensor of shape [2, 3].", Exercise.Evaluate("05.5", torch.zeros(2, 3)).ToText());
        Assert.StartsWith("✗ Exercise 05.4 (the output-size formula): not yet. This exercise takes a function (long n, long k, long p, long s) → long; "
            + "the answer given is the number 15.", Exercise.Evaluate("05.4", 15).ToText());
        Assert.StartsWith("✗ Exercise 05.4 (the output-size formula): not yet. Your function takes 3 parameters; the check calls a function (long n, long k, long p, long s) → long.",
            Exercise.Evaluate("05.4", (Func<long, long, long, long>)((n, k, p) => n)).ToText());
        Assert.StartsWith("✗ Exercise 00.6 (a learning rate of 1.5): not yet. This exercise takes one of the letters A, B, C, D, for example 'A'; the answer given is the letter 'E'.",
            Exercise.Evaluate("00.6", 'E').ToText());
    }

    [Fact]
    public void MultipleChoiceExplainsTheRightOptionAndHintsAtTheWrongOnes()
    {
        Assert.StartsWith("✓ Exercise 00.6 (a learning rate of 1.5): correct. C is right: for this loss the curvature is about 2",
            Exercise.Evaluate("00.6", 'C').ToText());
        Assert.Equal("✗ Exercise 00.6 (a learning rate of 1.5): not yet. A is not what happens. "
            + "Hint: A larger step is not always faster: near the bottom of the bowl a long step jumps past the minimum.", Exercise.Evaluate("00.6", "a").ToText());
    }

    [Fact]
    public void CodeRunsAgainstReferenceCasesWithAdaptedNumberTypes()
    {
        // int parameters and result, where the starter says long: converted both ways.
        Assert.Equal("✓ Exercise 05.4 (the output-size formula): correct. Your formula matches Conv2d on every case, floors included.",
            Exercise.Evaluate("05.4", (Func<int, int, int, int, int>)((n, k, p, s) => (n - k + 2 * p) / s + 1)).ToText());
        Assert.Equal("✗ Exercise 05.4 (the output-size formula): not yet. For n = 8, k = 3, p = 0, s = 2 yours gives 4, Conv2d gives a different size. "
            + "Hint: When the division is not exact it is rounded down: a window sticking out past the padded edge is not computed.",
            Exercise.Evaluate("05.4", (Func<long, long, long, long, long>)((n, k, p, s) => (n - k + 2 * p + s - 1) / s + 1)).ToText());
        Assert.Equal("○ Exercise 05.4 (the output-size formula): not attempted. Replace `throw Exercise.Todo;` with your code and run the cell again.",
            Exercise.Evaluate("05.4", (Func<long, long, long, long, long>)((n, k, p, s) => throw Exercise.Todo)).ToText());
    }

    [Fact]
    public void LearnerCodeThatThrowsIsNotYetWithTheMessage()
    {
        var result = Exercise.Evaluate("02.5", (Func<Tensor, Tensor>)(o => o.mm(torch.ones(2, 2))));
        Assert.Equal(ExerciseStatus.NotYet, result.Status);
        Assert.StartsWith("Your code threw ", result.Message);
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied", result.Message);
        Assert.NotNull(result.Hint);
    }

    [Fact]
    public void FindTheBugAsShippedIsNotAttempted()
    {
        Func<Tensor, Tensor, Tensor> asShipped = (logits, labels) =>
        {
            var probabilities = torch.softmax(logits, dim: 0);
            return -probabilities[torch.arange(labels.shape[0]), labels].log().mean();
        };
        Assert.Equal("○ Exercise 02.6 (the cross-entropy that is off): not attempted. This is still the code as given, bug included. "
            + "Find the bug, fix it, and run the cell again.", Exercise.Evaluate("02.6", asShipped).ToText());
    }

    [Fact]
    public void ACheckLeavesTheGlobalGeneratorAndThreadCountAsTheyWere()
    {
        var threads = torch.get_num_threads();
        torch.manual_seed(5);
        var expected = torch.rand(3);
        torch.manual_seed(5);
        Exercise.Evaluate("04.5", (Func<Tensor, double, Tensor>)((h, p) => h * (torch.rand(h.shape) > p).to_type(h.dtype) / (1 - p)));
        Exercise.Evaluate("05.7", 17);
        Assert.Equal(expected.data<float>().ToArray(), torch.rand(3).data<float>().ToArray());
        Assert.Equal(threads, torch.get_num_threads());
    }

    [Fact]
    public void AnUnknownIdIsAResultThatNamesTheNotebooksExercisesNotAnException()
    {
        var line = Assert.Single(CellOutputCapture.Printed(() => Exercise.Check("05.9", 1)));
        Assert.Equal("✗ Exercise 05.9 (no such exercise): not yet. There is no exercise \"05.9\". Notebook 05 has exercises "
            + "05.1, 05.2, 05.3, 05.4, 05.5, 05.6, 05.7, 05.8. Hint: Copy the id from the exercise's heading, for example \"05.3\" "
            + "for Exercise 05.3.", line);
        Assert.StartsWith("There is no exercise \"null\". Exercise ids are \"NN.k\"", Exercise.Evaluate(null!, 1).Message);
    }

    [Fact]
    public void AnswersFromTheCommandLineAndTheEnvironment()
    {
        var warnings = new List<string>();
        var answers = ExternalAnswers.Parse(["run", "--answer", "05.5=73856", "--answer=05.6=[16, 6, 28, 28]", "--answer", "bogus"],
            "05.3=15; 05.5=1", warnings.Add);
        Assert.Equal(("73856", "the command line"), answers["05.5"]);   // the command line wins over the variable
        Assert.Equal(("[16, 6, 28, 28]", "the command line"), answers["05.6"]);
        Assert.Equal(("15", "the DLWORKBOOK_ANSWERS variable"), answers["05.3"]);
        Assert.Equal("Ignoring the answer \"bogus\" from the command line: write it as ID=ANSWER with an exercise ID such as 05.5, "
            + "for example --answer 05.5=73856.", Assert.Single(warnings));

        Assert.Equal("✓ Exercise 05.6 (a padded convolution on a batch): correct (answer from the command line). [16, 6, 28, 28] is right.",
            Entry("05.6").Evaluate("[16, 6, 28, 28]", "the command line").ToText());
        Assert.Equal("✗ Exercise 05.4 (the output-size formula): not yet (answer from the command line). This exercise takes code, which cannot be passed "
            + "on the command line. Hint: Write the function in the program (where it says `throw Exercise.Todo;`) and run it again.",
            Entry("05.4").Evaluate("(n - k + 2 * p) / s + 1", "the command line").ToText());
    }

    [Fact]
    public void OutsideANotebookACheckPrintsOneLine()
    {
        var line = Assert.Single(CellOutputCapture.Printed(() => Exercise.Check("07.6", null)));
        Assert.Equal("○ Exercise 07.6 (perplexity from a loss): not attempted. Replace `null` with your answer and run the cell again.", line);
    }

    [Fact]
    public async Task InANotebookACheckIsOneOutputWithHtmlAndPlainText()
    {
        var shown = Assert.Single(await CellOutputCapture.Displayed(() => Exercise.Check("05.5", 73_728L)));
        var byType = shown.FormattedValues.ToDictionary(v => v.MimeType, v => v.Value);
        Assert.Equal(["text/html", "text/plain"], byType.Keys.Order());
        Assert.StartsWith("✗ Exercise 05.5", byType["text/plain"]);
        Assert.Equal("<div class=\"dlw-exercise\" style=\"border-left:4px solid #b45309;padding:2px 10px;margin:4px 0\">"
            + "<div><b style=\"color:#b45309\">✗ not yet</b> · Exercise 05.5 · parameters of a convolution</div>"
            + "<div>73,728 is too small, by about 0.2 %.</div>"
            + "<div><b>Hint:</b> Those are the weights; every output channel also has a bias.</div></div>", byType["text/html"]);
    }
}
