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
        var variants = new Variants<T>(shipped, draw,
            p => p.Equals(shipped) ? header + text(p) : Build.Inv($"**Question {number}**, new numbers\n\n") + stem(p).Trim() + "\n\n" + header + text(p),
            answer, worked);
        var entry = new CatalogueEntry(Id, kind, Title(marks), variants.Shipped.Answer, wrongAnswers, variants) { Marks = marks, Topic = topic, Sections = sections };
        Finish(entry, marks, sections);
        return this;
    }

    /// <summary>A multiple-choice part; the notebook holds its question and options.</summary>
    public ExamQuestionBuilder<T> Choose(int marks, ExerciseKind kind, string sections, ChoiceAnswer answer, params object[] wrongAnswers)
    {
        var entry = new CatalogueEntry(Id, kind, Title(marks), answer, wrongAnswers)
            { Marks = marks, Topic = topic, Sections = sections };
        Finish(entry, marks, sections);
        return this;
    }

    /// <summary>An explain-why part, marked by the learner against the model answer and the marking points; the notebook holds its question.</summary>
    public ExamQuestionBuilder<T> Explain(string sections, string modelAnswer, params (string Point, int Marks)[] points)
    {
        var scheme = new SelfMarkedAnswer(modelAnswer, points);
        var entry = new CatalogueEntry(Id, ExerciseKind.Explain, Title(scheme.Max), scheme,
            ["Because it works better."]) { Marks = scheme.Max, Topic = topic, Sections = sections };
        Finish(entry, scheme.Max, sections);
        return this;
    }

    public ExamQuestion Done() => new(number, topic, heading, stem(shipped).Trim(), parts);
}
