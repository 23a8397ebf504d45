using System.Text.RegularExpressions;

namespace SiteBuilder;

/// <summary>One row of the course map: a notebook, its topic and what it shows (HTML).</summary>
public sealed record CourseEntry(string Notebook, string Topic, string WhatItShowsHtml);

/// <summary>
/// The course's title, introduction and map, read from README.md: its first heading, the paragraph under it, and
/// the table under "## Course map" whose first column links each notebook.
/// </summary>
public sealed partial record CourseMap(string Title, string IntroMarkdown, IReadOnlyList<CourseEntry> Entries)
{
    /// <summary>A map with no README: the title only; the index then lists the notebooks by their own titles.</summary>
    public static CourseMap Empty { get; } = new("Course notebooks", "", []);

    /// <summary>Reads README.md; a README without the table gives a map without entries.</summary>
    public static CourseMap FromReadme(string readmeMarkdown, MarkdownRenderer.ILinkTarget links)
    {
        var lines = readmeMarkdown.ReplaceLineEndings("\n").Split('\n');
        var titleLine = Array.FindIndex(lines, l => l.StartsWith("# ", StringComparison.Ordinal));
        var title = titleLine < 0 ? Empty.Title : lines[titleLine][2..].Trim();
        var intro = titleLine < 0 ? "" : string.Join("\n", lines.Skip(titleLine + 1).SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => l.Trim().Length > 0));

        var entries = new List<CourseEntry>();
        var mapStart = Array.FindIndex(lines, l => l.Trim().Equals("## Course map", StringComparison.OrdinalIgnoreCase));
        if (mapStart >= 0)
        {
            foreach (var line in lines.Skip(mapStart + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
            {
                if (!line.TrimStart().StartsWith('|')) continue;
                var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (cells.Length < 3 || NotebookLink().Match(cells[0]) is not { Success: true } link) continue;
                var what = MarkdownRenderer.ToHtml(string.Join(" | ", cells.Skip(2)), links).Trim();
                if (what.StartsWith("<p>", StringComparison.Ordinal) && what.EndsWith("</p>", StringComparison.Ordinal)) what = what[3..^4];
                entries.Add(new CourseEntry(Path.GetFileName(link.Groups[1].Value), cells[1], what));
            }
        }
        return new CourseMap(title, intro, entries);
    }

    [GeneratedRegex(@"\]\(([^)#]+\.ipynb)")]
    private static partial Regex NotebookLink();
}
