using System.Globalization;
using DlWorkbook.Exercises;

namespace DlWorkbook.Tests.Exercises;

/// <summary>
/// The catalogue proves itself: for every exercise the starter code compiles and reads as not attempted, the worked
/// solution in notebooks/solutions compiles and is correct, every listed wrong answer is rejected with a hint that
/// does not give the answer away, and an answer of the wrong kind gets a hint instead of an exception. An exercise
/// without a solution or without wrong answers cannot be added: the entry refuses an empty list, and the tests
/// below fail on a missing solution.
/// </summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]   // a check saves and restores the global generator; keep other tests off it meanwhile
public class ExerciseCatalogueTests
{
    public static TheoryData<string> Ids() => new(Exercise.All.Select(e => e.Id));

    static readonly Lazy<Task<IReadOnlyDictionary<string, Snippets.Outcome>>> Starters =
        new(() => Snippets.RunAll(Exercise.All.Select(e => (e.Id, NotebookExercises.Starter(e.Id)))));

    static readonly Lazy<Task<IReadOnlyDictionary<string, Snippets.Outcome>>> Solutions =
        new(() => Snippets.RunAll(SolutionBook.All.Select(s => (s.Id, s.Code))));

    static CatalogueEntry Entry(string id) => Exercise.All.Single(e => e.Id == id);

    [Fact]
    public void EveryNotebookHasAtLeastSixExercisesOfMixedKindsAndFiftyInAll()
    {
        Assert.True(Exercise.All.Count >= 50, $"{Exercise.All.Count} exercises; the workbook promises at least 50.");
        foreach (var notebook in Enumerable.Range(0, 8))
        {
            var mine = Exercise.All.Where(e => e.Notebook == notebook).ToList();
            Assert.True(mine.Count >= 6, $"Notebook 0{notebook} has {mine.Count} exercises; each needs at least 6.");
            Assert.True(mine.Select(e => e.Kind).Distinct().Count() >= 3, $"Notebook 0{notebook} mixes only {string.Join(", ", mine.Select(e => e.Kind).Distinct())}.");
            Assert.True(mine.Any(e => e.Kind == ExerciseKind.Explain), $"Notebook 0{notebook} has no explain-why exercise.");
        }
        Assert.Equal(Enum.GetValues<ExerciseKind>().Order(), Exercise.All.Select(e => e.Kind).Distinct().Order());
    }

    [Fact]
    public void EveryExerciseHasOneWorkedSolutionAndEverySolutionAnExercise()
    {
        var solved = SolutionBook.All.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.ToList());
        var missing = Exercise.All.Where(e => !solved.ContainsKey(e.Id)).Select(e => e.Id).ToList();
        Assert.True(missing.Count == 0, $"No worked solution in notebooks/solutions for {string.Join(", ", missing)}.");
        Assert.All(solved, s => Assert.True(s.Value.Count == 1, $"{s.Key} is solved {s.Value.Count} times."));
        var orphans = solved.Keys.Where(id => Exercise.All.All(e => e.Id != id)).ToList();
        Assert.True(orphans.Count == 0, $"Solutions for exercises that do not exist: {string.Join(", ", orphans)}.");
        foreach (var solution in SolutionBook.All)
        {
            Assert.True(solution.Code.Length > 0, $"{solution.File}, {solution.Id}: the section has no ```csharp block.");
            Assert.StartsWith(Entry(solution.Id).Notebook.ToString("00"), solution.File);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task TheStarterCodeCompilesAndReadsAsNotAttempted(string id)
    {
        var outcome = (await Starters.Value)[id];
        Assert.True(outcome.Error is null, $"The starter code of {id} {outcome.Error}");
        var (result, _) = Assert.Single(outcome.Checks);
        Assert.Equal(id, result.Id);
        Assert.True(result.Status == ExerciseStatus.NotAttempted, result.ToText());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task TheWorkedSolutionIsCorrect(string id)
    {
        var solution = SolutionBook.All.Single(s => s.Id == id);
        var outcome = (await Solutions.Value)[id];
        Assert.True(outcome.Error is null, $"The solution of {id} in notebooks/solutions/{solution.File} {outcome.Error}");
        var (result, _) = Assert.Single(outcome.Checks);
        Assert.Equal(id, result.Id);
        Assert.True(result.IsCorrect, result.ToText());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryWrongAnswerGetsNotYetAndAHintThatKeepsTheAnswer(string id)
    {
        var entry = Entry(id);
        var secrets = Secrets(entry);
        foreach (var wrong in entry.WrongAnswers)
        {
            var result = Exercise.Evaluate(id, wrong);
            Assert.True(result.Status == ExerciseStatus.NotYet, $"{id}: {AnswerOf(wrong)} → {result.ToText()}");
            Assert.False(string.IsNullOrWhiteSpace(result.Hint), $"{id}: no hint for {AnswerOf(wrong)}");
            foreach (var secret in secrets.Where(s => s.Length >= 2))
                Assert.False(Gives(result.Message + " " + result.Hint, secret),
                    $"{id}: the feedback for {AnswerOf(wrong)} gives the answer away ({secret}): {result.ToText()}");
        }
        foreach (var secret in secrets.Where(s => s.Length >= 3))
            Assert.False(Gives(NotebookExercises.Prompt(id), secret), $"{id}: the prompt contains the answer {secret}.");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void AnAnswerOfTheWrongKindGetsAHintNotAnException(string id)
    {
        foreach (var odd in new object[] { new object(), Guid.Empty, (Func<int>)(() => 1), "not an answer", 12.5 })
        {
            var result = Exercise.Evaluate(id, odd);
            if (result.IsCorrect) continue;   // 12.5 may be a fine number for some exercise, but it is not right for any
            Assert.Equal(ExerciseStatus.NotYet, result.Status);
            Assert.False(string.IsNullOrWhiteSpace(result.Hint), $"{id}: no hint for {AnswerOf(odd)}: {result.ToText()}");
        }
    }

    [Fact]
    public void EveryMultipleChoiceAnswerIsTheOneItsExperimentFinds()
    {
        foreach (var entry in Exercise.All.Where(e => e.Answer is ChoiceAnswer))
        {
            var choice = (ChoiceAnswer)entry.Answer;
            var found = choice.Evidence(Data.TestData.Cache);
            Assert.True(found == choice.Correct, $"{entry.Id}: the experiment gives {found}, the catalogue says {choice.Correct}.");
        }
    }

    /// <summary>The texts that would give the answer away: the number or shape as written, the letter of the right option, the lines a solution adds.</summary>
    static List<string> Secrets(CatalogueEntry entry)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (entry.Answer)
        {
            case NumberAnswer number:
                var e = number.Expected;
                return [.. new[] { e.ToString("#,0.####", inv), e.ToString("0.####", inv), e.ToString("G4", inv) }.Distinct()];
            case ShapeAnswer shape:
                return [$"[{string.Join(", ", shape.Expected)}]"];
            case SelfMarkedAnswer:
                return [];   // an explanation's feedback is the model answer, by design, once something is written
            case ChoiceAnswer choice:
                return [$"'{choice.Correct}'", $"({choice.Correct})", $" {choice.Correct})", $"answer is {choice.Correct}", $"option {choice.Correct}"];
            default:
                var starter = NotebookExercises.Starter(entry.Id).Split('\n').Select(l => l.Trim()).ToHashSet();
                var solution = SolutionBook.All.SingleOrDefault(s => s.Id == entry.Id)?.Code ?? "";
                return [.. solution.Split('\n').Select(l => l.Split("//")[0].Trim()).Where(l => l.Length >= 12 && !starter.Contains(l))];
        }
    }

    /// <summary>Whether <paramref name="text"/> holds <paramref name="secret"/> on its own (a 4 inside 48 does not count).</summary>
    static bool Gives(string text, string secret) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, $@"(?<![\d.,]){System.Text.RegularExpressions.Regex.Escape(secret)}(?![\d]|\.\d)");

    static string AnswerOf(object answer) => answer switch
    {
        Delegate => "a wrong function",
        long[] shape => $"[{string.Join(", ", shape)}]",
        _ => Convert.ToString(answer, CultureInfo.InvariantCulture) ?? "null",
    };
}
