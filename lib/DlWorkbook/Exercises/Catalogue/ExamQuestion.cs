using System.Globalization;

namespace DlWorkbook.Exercises.Catalogue;

/// <summary>One question of the mock exam: its heading cell (topic, marks, the stem) and its parts, each a catalogue entry.</summary>
/// <param name="Number">1, 2, …</param>
/// <param name="Topic">The notebook (0 to 7) whose topic it examines.</param>
/// <param name="Heading">A few words naming the question.</param>
/// <param name="Stem">What every part of the question refers to, as markdown.</param>
/// <param name="Parts">The parts (a), (b), … in order.</param>
internal sealed record ExamQuestion(int Number, int Topic, string Heading, string Stem, IReadOnlyList<CatalogueEntry> Parts)
{
    public int Marks => Parts.Sum(p => p.Marks);

    /// <summary>The markdown cell that opens the question in the notebook.</summary>
    public string Markdown => Build.Inv($"## Question {Number} · {Heading} · {Marks} marks\n\n{Stem}");
}

/// <summary>
/// Writes one exam question whose numbers are <typeparamref name="T"/>: each numeric part is asked with the shipped
/// numbers in the notebook and can be drawn again (the drawn question repeats the stem, since the notebook's stem
/// cell shows the shipped numbers); choice and explain parts are asked as written.
/// </summary>
internal sealed class ExamQuestionBuilder<T>(int number, int topic, string heading, T shipped, Func<Random, T> draw, Func<T, string> stem)
    where T : notnull
{
    readonly List<CatalogueEntry> parts = [];

    char Next => (char)('a' + parts.Count);

    string Id => Build.Inv($"08.{number}{Next}");

    string Header(int marks) => Build.Inv($"**({Next})** · {marks} mark{(marks == 1 ? "" : "s")} · ");

    string Title(int marks) => Build.Inv($"question {number}({Next}), {marks} mark{(marks == 1 ? "" : "s")}");

    CatalogueEntry Finish(CatalogueEntry entry, int marks, string sections) { parts.Add(entry); return entry; }

    /// <summary>A part whose answer is a number or a shape, computed for any drawn numbers.</summary>
    public ExamQuestionBuilder<T> Ask(int marks, ExerciseKind kind, string sections, Func<T, string> text, Func<T, Answer> answer,
        Func<T, object> worked, params object[] wrongAnswers)
    {
        var header = Header(marks);
        var shippedAnswer = answer(shipped);
        var variants = new Variants<T>(shipped, draw,
            p => p.Equals(shipped) ? header + text(p) : Build.Inv($"**Question {number}**, new numbers\n\n") + stem(p).Trim() + "\n\n" + header + text(p),
            answer, worked);
        var entry = new CatalogueEntry(Id, kind, Title(marks), variants.Shipped.Prompt, Starter(Id, shippedAnswer), variants.Shipped.Answer,
            wrongAnswers, variants) { Marks = marks, Topic = topic, Sections = sections };
        Finish(entry, marks, sections);
        return this;
    }

    /// <summary>A multiple-choice part.</summary>
    public ExamQuestionBuilder<T> Choose(int marks, ExerciseKind kind, string sections, string text, ChoiceAnswer answer, params object[] wrongAnswers)
    {
        var entry = new CatalogueEntry(Id, kind, Title(marks), Header(marks) + text, Starter(Id, answer), answer, wrongAnswers)
            { Marks = marks, Topic = topic, Sections = sections };
        Finish(entry, marks, sections);
        return this;
    }

    /// <summary>An explain-why part, marked by the learner against the model answer and the marking points.</summary>
    public ExamQuestionBuilder<T> Explain(string sections, string question, string modelAnswer, params (string Point, int Marks)[] points)
    {
        var scheme = new SelfMarkedAnswer(modelAnswer, points);
        var entry = new CatalogueEntry(Id, ExerciseKind.Explain, Title(scheme.Max), Header(scheme.Max) + question, Starter(Id, scheme), scheme,
            ["Because it works better."]) { Marks = scheme.Max, Topic = topic, Sections = sections };
        Finish(entry, scheme.Max, sections);
        return this;
    }

    public ExamQuestion Done() => new(number, topic, heading, stem(shipped).Trim(), parts);

    /// <summary>The answer cell of a part: a typed placeholder for what the part asks for, then its check.</summary>
    static string Starter(string id, Answer answer) => answer switch
    {
        ShapeAnswer => $"long[] shape = null!;   // ← your answer\nExercise.Check(\"{id}\", shape);",
        NumberAnswer { IsWhole: true } => $"long? answer = null;   // ← your answer\nExercise.Check(\"{id}\", answer);",
        NumberAnswer { DecimalsAsked: { } d } => $"double? answer = null;   // ← your answer, {Decimals(d)}\nExercise.Check(\"{id}\", answer);",
        NumberAnswer => $"double? answer = null;   // ← your answer, three significant digits\nExercise.Check(\"{id}\", answer);",
        ChoiceAnswer choice => $"char? choice = null;   // ← {string.Join(", ", choice.Letters.SkipLast(1).Select(l => $"'{l}'"))} or '{choice.Letters.Last()}'\n"
                               + $"Exercise.Check(\"{id}\", choice);",
        SelfMarkedAnswer scheme => "var answer = \"\";     // ← your explanation, in a sentence or two\n"
                                   + $"int? marks = null;   // ← once the marking points show: the marks you give yourself, 0 to {scheme.Max}\n"
                                   + $"Exercise.Explain(\"{id}\", answer, marks);",
        _ => throw new ArgumentException($"No starter for {answer.GetType().Name}."),
    };

    static string Decimals(int d) => d switch
    {
        1 => "one decimal", 2 => "two decimals", 3 => "three decimals", 4 => "four decimals",
        _ => d.ToString(CultureInfo.InvariantCulture) + " decimals",
    };
}
