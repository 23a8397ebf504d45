using System.Text.Json;
using System.Text.RegularExpressions;
using DlWorkbook.Exercises;
using DlWorkbook.Exercises.Catalogue;
using DlWorkbook.Tests.Display;

namespace DlWorkbook.Tests.Exercises;

/// <summary>
/// The mock exam, notebook 08: a paper of at least 20 questions and 100 marks over all eight topics, in parts with marks;
/// numeric, shape and choice parts marked by the exercises' checks, explain parts self-marked against a model answer and
/// marking points shown only once something is written; one call adds up the marks per topic and names the sections to
/// revise. Its parts are catalogue entries, so the catalogue's tests (solutions, wrong answers, variants, answers not
/// given away) cover them too.
/// </summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]   // points the progress file at a file of its own, and the exam's session marks are global
public sealed partial class MockExamTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"dlworkbook-exam-{Guid.NewGuid():N}");

    public MockExamTests()
    {
        Environment.SetEnvironmentVariable(ProgressFile.Variable, Path.Combine(folder, "progress.json"));
        MockExam.Forget();
    }

    public void Dispose()
    {
        MockExam.Forget();
        Environment.SetEnvironmentVariable(ProgressFile.Variable, TestProgressFile.Path);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    static IReadOnlyList<ExamQuestion> Questions => MockExam08.Questions;

    [Fact]
    public void ThePaperHasTwentyQuestionsAndAHundredMarksOverAllEightTopics()
    {
        Assert.True(Questions.Count >= 20, $"{Questions.Count} questions");
        Assert.True(MockExam.TotalMarks >= 100, $"{MockExam.TotalMarks} marks");
        Assert.Equal(MockExam.TotalMarks, Questions.Sum(q => q.Marks));
        Assert.Equal(Enumerable.Range(0, 8), Questions.Select(q => q.Topic).Distinct().Order());
        Assert.All(Questions, q => Assert.All(q.Parts, p => Assert.Equal(q.Topic, p.Topic)));
        Assert.All(MockExam.Parts, p => Assert.Matches(@"^§\d", p.Sections));
    }

    [Fact]
    public void QuestionsComeInPartsAndExplainAfterComputing()
    {
        Assert.All(Questions, q => Assert.True(q.Parts.Count >= 2, $"Question {q.Number} has one part."));
        // A shape, then a parameter count, then a gradient by hand (question 7), as exams have them.
        var backprop = Questions.Single(q => q.Number == 7).Parts;
        Assert.IsType<ShapeAnswer>(backprop[0].Answer);
        Assert.Contains("How many parameters", NotebookExercises.Prompt(backprop[1].Id));
        Assert.Contains("\\partial L/\\partial w_1", NotebookExercises.Prompt(backprop[4].Id));
        Assert.IsType<SelfMarkedAnswer>(backprop[5].Answer);
        // Most questions close with an explain-why part after the parts that compute.
        var explaining = Questions.Where(q => q.Parts.Any(p => p.Answer is SelfMarkedAnswer)).ToList();
        Assert.True(explaining.Count >= 15, $"{explaining.Count} questions ask to explain");
        Assert.All(explaining, q => Assert.True(q.Parts.TakeWhile(p => p.Answer is not SelfMarkedAnswer).Any(),
            $"Question {q.Number} asks to explain before anything is computed or chosen."));
        Assert.True(explaining.Count(q => q.Parts.TakeWhile(p => p.Answer is not SelfMarkedAnswer).Any(p => p.HasVariants)) >= 15);
    }

    [Fact]
    public void EveryPartShowsItsMarksAndEveryQuestionItsTotal()
    {
        foreach (var question in Questions)
        {
            Assert.StartsWith($"## Question {question.Number} · {question.Heading} · {question.Marks} marks\n\n", question.Markdown);
            foreach (var (part, i) in question.Parts.Select((p, i) => (p, i)))
                Assert.StartsWith($"**({(char)('a' + i)})** · {part.Marks} mark{(part.Marks == 1 ? "" : "s")} · ", NotebookExercises.Prompt(part.Id));
        }
    }

    [Fact]
    public void TheNotebookIsThePaperQuestionByQuestion()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Notebooks, "08-mock-exam.ipynb")));
        var cells = document.RootElement.GetProperty("cells").EnumerateArray().Select(c => (
            Type: c.GetProperty("cell_type").GetString()!,
            Source: string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())).Replace("\r\n", "\n").Trim())).ToList();
        Assert.StartsWith("# 08 · Mock exam", cells[0].Source);
        // A part's prompt is the notebook's own text; one that can be drawn again is exactly the shipped inputs' question,
        // any other opens with its letter and marks.
        var expected = Questions.SelectMany(q => new (string Type, Func<string, bool> Fits, string Expected)[]
            { ("markdown", s => s == q.Markdown, q.Markdown) }
            .Concat(q.Parts.SelectMany(p => new (string Type, Func<string, bool> Fits, string Expected)[]
            {
                p.Variants is { } v
                    ? ("markdown", s => s == NotebookExercises.Normalise(v.Shipped.Prompt), v.Shipped.Prompt)
                    : ("markdown", s => s.StartsWith(PartHeader(p), StringComparison.Ordinal), PartHeader(p) + "…"),
                ("code", s => s == AnswerCell(p), AnswerCell(p)),
            }))).ToList();
        var first = cells.FindIndex(c => c.Source.StartsWith("## Question 1 ·", StringComparison.Ordinal));
        Assert.True(first > 0, "No \"## Question 1\" cell.");
        for (var i = 0; i < expected.Count; i++)
            Assert.True(cells[first + i].Type == expected[i].Type && expected[i].Fits(cells[first + i].Source),
                $"cell {first + i}: expected the paper's\n{expected[i].Expected}\n--- found\n{cells[first + i].Source}");
        Assert.Contains(cells.Skip(first + expected.Count), c => c is { Type: "code", Source: "MockExam.Results();" });
        Assert.Equal(Questions.Count, cells.Count(c => c.Source.StartsWith("## Question ", StringComparison.Ordinal)));
    }

    static string PartHeader(CatalogueEntry part) =>
        $"**({part.Id[^1]})** · {part.Marks} mark{(part.Marks == 1 ? "" : "s")} · ";

    /// <summary>The answer cell a part must ship: a placeholder of the type its check reads, then the check.</summary>
    static string AnswerCell(CatalogueEntry part) => part.Answer switch
    {
        ShapeAnswer => $"long[] shape = null!;   // ← your answer\nExercise.Check(\"{part.Id}\", shape);",
        NumberAnswer { IsWhole: true } => $"long? answer = null;   // ← your answer\nExercise.Check(\"{part.Id}\", answer);",
        NumberAnswer { DecimalsAsked: { } d } =>
            $"double? answer = null;   // ← your answer, {Decimals(d)}\nExercise.Check(\"{part.Id}\", answer);",
        NumberAnswer => $"double? answer = null;   // ← your answer, three significant digits\nExercise.Check(\"{part.Id}\", answer);",
        ChoiceAnswer choice => $"char? choice = null;   // ← {string.Join(", ", choice.Letters.SkipLast(1).Select(l => $"'{l}'"))} "
                               + $"or '{choice.Letters.Last()}'\nExercise.Check(\"{part.Id}\", choice);",
        SelfMarkedAnswer scheme => "var answer = \"\";     // ← your explanation, in a sentence or two\n"
                                   + $"int? marks = null;   // ← once the marking points show: the marks you give yourself, 0 to {scheme.Max}\n"
                                   + $"Exercise.Explain(\"{part.Id}\", answer, marks);",
        var other => throw new ArgumentException($"No answer cell for {other.GetType().Name}."),
    };

    static string Decimals(int d) => d switch
    {
        1 => "one decimal", 2 => "two decimals", 3 => "three decimals", 4 => "four decimals",
        _ => $"{d} decimals",
    };

    [Fact]
    public void AnExplainPartShowsTheMarkSchemeOnlyOnceSomethingIsWritten()
    {
        var blank = string.Join("\n", CellOutputCapture.Printed(() => Exercise.Explain("08.1d", "", null)));
        Assert.StartsWith("○ Exercise 08.1d (question 1(d), 2 marks): not attempted. Write your answer between the quotes", blank);
        Assert.DoesNotContain("Model answer", blank);

        var written = CellOutputCapture.Printed(() => Exercise.Explain("08.1d", "b is repeated for each row.", null));
        Assert.Equal("✗ Exercise 08.1d (question 1(d), 2 marks): not yet. Now mark it yourself: compare your answer with the model answer "
            + "and the 2 marking points, set the marks you give yourself (0 to 2) and run the cell again.", written[0]);
        Assert.StartsWith("Model answer: Broadcasting lines the shapes up from the right", written[1]);
        Assert.Equal("Marking points:", written[2]);
        Assert.Equal("• lines the shapes up from the right, so b's length meets A's last axis (1 mark)", written[3]);
        Assert.Empty(Progress.Results());   // not marked yet: nothing recorded

        var marked = CellOutputCapture.Printed(() => Exercise.Explain("08.1d", "b is repeated for each row.", 1));
        Assert.Equal("✗ Exercise 08.1d (question 1(d), 2 marks): not yet. You gave yourself 1 of 2 marks. Hint: The points you missed "
            + "are the ones to learn: revisit §0.2.", marked[0]);
        Assert.Equal(ExerciseStatus.NotYet, Progress.Results()["08.1d"]);
        var full = CellOutputCapture.Printed(() => Exercise.Explain("08.1d", "Broadcasting from the right; the missing axis is stretched.", 2));
        Assert.StartsWith("✓ Exercise 08.1d (question 1(d), 2 marks): correct. You gave yourself 2 of 2 marks.", full[0]);

        var tooMany = CellOutputCapture.Printed(() => Exercise.Explain("08.1d", "text", 3));
        Assert.StartsWith("✗ Exercise 08.1d (question 1(d), 2 marks): not yet. Marks go from 0 to 2; 3 is not one of them.", tooMany[0]);
        Assert.Equal(ExerciseStatus.Correct, Progress.Results()["08.1d"]);   // an impossible mark records nothing

        Assert.StartsWith("✗ Exercise 08.1a (question 1(a), 1 mark): not yet. Exercise 08.1a is not an explanation",
            CellOutputCapture.Printed(() => Exercise.Explain("08.1a", "text", 1))[0]);
    }

    [Fact]
    public void OneCallGivesTheMarksPerTopicAndTheSectionsToRevise()
    {
        CellOutputCapture.Printed(() =>
        {
            Exercise.Check("08.1a", new long[] { 3, 4 });    // 1 mark
            Exercise.Check("08.1c", 11L);                    // wrong: 0 of 2
            Exercise.Explain("08.1d", "b is repeated for each row.", 1);   // 1 of 2
            Exercise.Check("08.14b", 2432L);                 // 2 marks
        });
        var topics = MockExam.Marks();
        Assert.Equal(Enumerable.Range(0, 8), topics.Select(t => t.Topic));
        var tensors = topics[0];
        Assert.Equal((2, 14), (tensors.Marks, tensors.OutOf));
        Assert.Equal(["§0.2", "§0.3", "§4.7"], tensors.Revise);   // each section once, in course order
        Assert.Equal(["08.1b", "08.2a", "08.2b", "08.2c", "08.2d"], tensors.Unanswered);
        Assert.Equal(2, topics[5].Marks);

        var lines = CellOutputCapture.Printed(MockExam.Results);
        Assert.Matches(@"^topic\s+marks\s+of\s+%\s+revise$", lines[0]);
        Assert.Matches(@"^00 · Tensors, models and training\s+2\s+14\s+14\s+§0\.2, §0\.3, §4\.7$", lines[1]);
        Assert.Equal("Total: 4 of 154 marks (2 %). 84 of 88 parts are not answered yet; they count 0.", lines[^1]);

        // A restarted kernel keeps the marks: they come back from the progress file.
        MockExam.Forget();
        Assert.Equal(2, MockExam.Marks()[0].Marks);
    }

    [Fact]
    public void ExamPartsCanBeAnsweredFromTheCommandLineAndDrawnAgain()
    {
        var answers = ExternalAnswers.Parse(["--answer", "08.14b=2432"], null, _ => { });
        Assert.Equal("2432", answers["08.14b"].Text);
        try
        {
            var shown = string.Join("\n", CellOutputCapture.Printed(() => Exercise.Again("08.14b", 3)));
            Assert.StartsWith("**Question 14**, new numbers", shown);
            Assert.Contains("**(b)** · 2 marks · How many parameters does the layer have?", shown);
        }
        finally
        {
            CellOutputCapture.Printed(() => Exercise.Original("08.14b"));
        }
    }
}
