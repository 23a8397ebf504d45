using System.Text;

namespace SiteBuilder;

/// <summary>The HTML around the pages: head, header, table of contents, previous/next links, scripts.</summary>
public static class SiteLayout
{
    /// <summary>A link to another page: its file name and title.</summary>
    public sealed record PageLink(string Href, string Title);

    /// <summary>A notebook's page.</summary>
    public static string NotebookPage(string courseTitle, RenderedPage page, PageLink? previous, PageLink? next)
    {
        var toc = new StringBuilder("<nav class=\"toc\" aria-label=\"Contents\"><h2>On this page</h2><ul>");
        foreach (var heading in page.Headings.Where(h => h.Level is 2 or 3))
            toc.Append("<li class=\"level-").Append(heading.Level).Append("\"><a href=\"#").Append(heading.Id).Append("\">")
               .Append(heading.Html).Append("</a></li>");
        toc.Append("</ul></nav>");
        var pager = Pager(previous, next);
        var main = $"{pager}<main>{page.Body}</main>{pager}";
        return Document($"{page.Title} · {courseTitle}", courseTitle, toc + $"<div class=\"content\">{main}</div>", page.Charts > 0);
    }

    /// <summary>The index: the course's introduction, its map (one row per notebook page) and the reference documents.</summary>
    public static string IndexPage(CourseMap map, string introHtml, IReadOnlyList<(string Page, string Title, CourseEntry? Entry)> pages,
        IReadOnlyList<(string Page, string Title)>? documents = null)
    {
        var body = new StringBuilder("<main class=\"index\">");
        body.Append("<h1>").Append(Esc(map.Title)).Append("</h1>").Append(introHtml);
        body.Append("<h2 id=\"course-map\">Course map</h2><table class=\"course-map\"><thead><tr><th>Notebook</th><th>Topic</th><th>What it shows</th></tr></thead><tbody>");
        foreach (var (page, title, entry) in pages)
            body.Append("<tr><td><a href=\"").Append(page).Append("\">").Append(Esc(title)).Append("</a></td><td>")
                .Append(Esc(entry?.Topic ?? "")).Append("</td><td>").Append(entry?.WhatItShowsHtml ?? "").Append("</td></tr>");
        body.Append("</tbody></table>");
        if (documents is { Count: > 0 })
        {
            body.Append("<h2 id=\"reference\">Reference</h2><ul class=\"documents\">");
            foreach (var (page, title) in documents)
                body.Append("<li><a href=\"").Append(page).Append("\">").Append(Esc(title)).Append("</a></li>");
            body.Append("</ul>");
        }
        body.Append("<p class=\"note\">Each page is a notebook as it ran, outputs included. To run a notebook yourself, open it from <code>notebooks/</code> in VS Code (see the README).</p>");
        body.Append("</main>");
        return Document(map.Title, map.Title, $"<div class=\"content wide\">{body}</div>", charts: false);
    }

    static string Pager(PageLink? previous, PageLink? next) =>
        "<nav class=\"pager\">"
        + (previous is null ? "<span></span>" : $"<a class=\"previous\" rel=\"prev\" href=\"{previous.Href}\">← {Esc(previous.Title)}</a>")
        + "<a class=\"up\" href=\"index.html\">Course map</a>"
        + (next is null ? "<span></span>" : $"<a class=\"next\" rel=\"next\" href=\"{next.Href}\">{Esc(next.Title)} →</a>")
        + "</nav>";

    static string Document(string title, string courseTitle, string body, bool charts) =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Esc(title)}</title>
        <link rel="stylesheet" href="{SiteAssets.KatexStyle}">
        <link rel="stylesheet" href="{SiteAssets.SiteStyle}">
        </head>
        <body>
        <header class="site-header"><a href="index.html">{Esc(courseTitle)}</a></header>
        <div class="layout">{body}</div>
        <script src="{SiteAssets.KatexScript}"></script>
        {(charts ? $"<script src=\"{SiteAssets.PlotlyScript}\"></script>\n" : "")}<script src="{SiteAssets.SiteScript}"></script>
        </body>
        </html>

        """;

    static string Esc(string text) => Html.Escape(text);
}
