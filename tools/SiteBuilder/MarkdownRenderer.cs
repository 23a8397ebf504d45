using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SiteBuilder;

/// <summary>A heading of a page, for its table of contents: its text, the same as HTML (math typeset on the page), its id.</summary>
public sealed record Heading(int Level, string Text, string Html, string Id);

/// <summary>
/// Markdown to HTML with Markdig. Math (<c>$…$</c>, <c>$$…$$</c>) is kept as it is, in elements of class
/// <c>math</c> for KaTeX to typeset in the browser; headings get ids unique on their page; links and images go
/// through the page's <see cref="ILinkTarget"/>, which rewrites them for the site or reports them broken.
/// </summary>
public static partial class MarkdownRenderer
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseMathematics()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseListExtras()
        .UseAutoLinks()
        .Build();

    /// <summary>What a page does with the links and images of its markdown.</summary>
    public interface ILinkTarget
    {
        /// <summary>The address to write for a link, or null after reporting it broken.</summary>
        string? Link(string url);

        /// <summary>The address to write for an image, or null after reporting it missing.</summary>
        string? Image(string url);

        /// <summary>A fresh id for a heading, unique on the page.</summary>
        string HeadingId(string text);
    }

    /// <summary>Renders <paramref name="markdown"/>; the headings it contains are added to <paramref name="headings"/>.</summary>
    public static string ToHtml(string markdown, ILinkTarget target, List<Heading>? headings = null)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.Url is null) continue;
            var rewritten = link.IsImage ? target.Image(link.Url) : target.Link(link.Url);
            if (rewritten is not null) link.Url = rewritten;
        }
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            var text = PlainText(heading.Inline);
            var id = target.HeadingId(text);
            heading.GetAttributes().Id = id;
            headings?.Add(new Heading(heading.Level, text, Render(r => r.WriteChildren(heading.Inline!)), id));
        }
        return Render(r => r.Render(document));
    }

    static string Render(Action<HtmlRenderer> render)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        render(renderer);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>The text of a heading as a reader sees it: emphasis and code marks dropped, math kept as its TeX.</summary>
    static string PlainText(ContainerInline? inline)
    {
        var text = new StringBuilder();
        void Walk(Inline? node)
        {
            for (; node is not null; node = node.NextSibling)
                switch (node)
                {
                    case LiteralInline literal: text.Append(literal.Content); break;
                    case CodeInline code: text.Append(code.Content); break;
                    case MathInline math: text.Append(math.Content); break;
                    case ContainerInline container: Walk(container.FirstChild); break;
                }
        }
        Walk(inline?.FirstChild);
        return text.ToString().Trim();
    }

    /// <summary>A GitHub-style slug: lower case, letters, digits and hyphens.</summary>
    public static string Slug(string text)
    {
        var slug = NonWord().Replace(text.ToLowerInvariant(), " ").Trim();
        slug = Spaces().Replace(slug, "-");
        return slug.Length == 0 ? "section" : slug;
    }

    [GeneratedRegex(@"[^\p{L}\p{N}\s-]")]
    private static partial Regex NonWord();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
