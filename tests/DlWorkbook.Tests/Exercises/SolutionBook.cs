using System.Text.RegularExpressions;

namespace DlWorkbook.Tests.Exercises;

/// <summary>The worked solutions in notebooks/solutions/*.md: per exercise, a "## NN.k · title" section whose first C# block is the finished cell.</summary>
static partial class SolutionBook
{
    public sealed record Solution(string Id, string File, string Code, string Text);

    public static IReadOnlyList<Solution> All { get; } = Load();

    static IReadOnlyList<Solution> Load()
    {
        var solutions = new List<Solution>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Notebooks, "solutions"), "*.md").Order())
        {
            var text = File.ReadAllText(file);
            var headings = Heading().Matches(text);
            for (var i = 0; i < headings.Count; i++)
            {
                var start = headings[i].Index;
                var end = i + 1 < headings.Count ? headings[i + 1].Index : text.Length;
                var section = text[start..end];
                var code = CodeBlock().Match(section);
                solutions.Add(new(headings[i].Groups[1].Value, Path.GetFileName(file), code.Success ? code.Groups[1].Value : "", section));
            }
        }
        return solutions;
    }

    [GeneratedRegex(@"^## (\d\d\.\d+[a-z]?)\b", RegexOptions.Multiline)]   // 05.3, and the mock exam's 08.3b
    private static partial Regex Heading();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
