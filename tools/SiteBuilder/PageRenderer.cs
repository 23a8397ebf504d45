using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SiteBuilder;

/// <summary>A notebook rendered as the main part of its page.</summary>
/// <param name="Title">The notebook's first level-1 heading, else its file name.</param>
/// <param name="Body">The cells as HTML.</param>
/// <param name="Headings">Every heading, in order, for the table of contents.</param>
/// <param name="Charts">How many interactive charts the page draws (plotly.js is loaded only when there are some).</param>
public sealed record RenderedPage(string Title, string Body, IReadOnlyList<Heading> Headings, int Charts);

/// <summary>
/// Turns one executed notebook into HTML: markdown cells through <see cref="MarkdownRenderer"/>, code cells
/// highlighted by <see cref="CSharpHighlighter"/>, and each output in the richest form a browser can show offline.
/// </summary>
public static partial class PageRenderer
{
    /// <summary>MIME types in the order the site prefers them; an output is shown in the first one it carries.</summary>
    public static IReadOnlyList<string> Preference { get; } =
    [
        "application/vnd.plotly.v1+json", "image/svg+xml", "image/png", "image/jpeg", "text/html", "text/markdown", "text/latex", "text/plain",
    ];

    /// <summary>Renders <paramref name="notebook"/>; links and images go through <paramref name="links"/>.</summary>
    public static RenderedPage Render(Notebook notebook, PageLinks links)
    {
        var body = new StringBuilder();
        var headings = new List<Heading>();
        var charts = 0;
        foreach (var cell in notebook.Cells)
        {
            links.Cell = cell;
            switch (cell.Type)
            {
                case "markdown":
                    body.Append("<section class=\"cell markdown\" id=\"cell-").Append(cell.Index + 1).Append("\">")
                        .Append(MarkdownRenderer.ToHtml(cell.Source, links, headings)).Append("</section>\n");
                    break;
                case "code":
                    body.Append("<section class=\"cell code\" id=\"cell-").Append(cell.Index + 1).Append("\">");
                    if (cell.Source.Trim().Length > 0)
                        body.Append("<pre class=\"source\"><code>").Append(CSharpHighlighter.ToHtml(cell.Source.TrimEnd())).Append("</code></pre>");
                    if (cell.Outputs.Count > 0)
                    {
                        body.Append("<div class=\"outputs\">");
                        foreach (var output in cell.Outputs) body.Append(RenderOutput(output, links, ref charts));
                        body.Append("</div>");
                    }
                    body.Append("</section>\n");
                    break;
            }
        }
        var title = headings.FirstOrDefault(h => h.Level == 1)?.Text ?? Path.GetFileNameWithoutExtension(notebook.Name);
        return new RenderedPage(title, body.ToString(), headings, charts);
    }

    static string RenderOutput(Output output, PageLinks links, ref int charts)
    {
        if (output.Kind == "stream")
        {
            var css = output.StreamName == "stderr" ? "stream stderr" : "stream";
            return $"<pre class=\"{css}\">{Esc(Ansi().Replace(output.Text ?? "", ""))}</pre>";
        }
        if (ExtensionLoadMessage(output) is { } extension)
            return $"<pre class=\"output-text\">Loading extensions from {Esc(extension)}</pre>";
        var mime = Preference.FirstOrDefault(output.Data.ContainsKey);
        if (mime is null)
            return output.Data.Count == 0 ? "" : $"<pre class=\"output-text\">{Esc(output.Data.First().Value)}</pre>";
        var content = output.Data[mime];
        switch (mime)
        {
            case "application/vnd.plotly.v1+json":
                return Chart(content, output.Data.GetValueOrDefault("image/svg+xml"), links, ref charts);
            case "image/svg+xml":
                return $"<div class=\"output-image\">{content}</div>";
            case "image/png" or "image/jpeg":
                return $"<div class=\"output-image\"><img alt=\"output image\" src=\"data:{mime};base64,{content.Trim()}\"></div>";
            case "text/html":
                return $"<div class=\"output-html\">{content}</div>";
            case "text/markdown":
                return $"<div class=\"output-markdown\">{MarkdownRenderer.ToHtml(content, links)}</div>";
            case "text/latex":
                return $"<div class=\"output-latex\"><div class=\"math\">\\[{Esc(DisplayMath(content))}\\]</div></div>";
            default:
                return $"<pre class=\"output-text\">{Esc(content)}</pre>";
        }
    }

    /// <summary>
    /// A chart: a container that site.js fills with plotly.js from the figure in the script element beside it, and
    /// the static SVG (when the output has one) shown until then and in place of the chart without scripts.
    /// </summary>
    static string Chart(string figureJson, string? svg, PageLinks links, ref int charts)
    {
        JsonNode? figure;
        try { figure = JsonNode.Parse(figureJson); }
        catch (System.Text.Json.JsonException e) { links.Problem($"its chart output is not valid Plotly JSON ({e.Message})"); return ""; }
        if (figure?["data"] is not JsonArray)
        {
            links.Problem("its chart output has no \"data\" array");
            return "";
        }
        var id = $"figure-{++charts}";
        // "</" inside a script element would end it early; JSON allows the escaped form.
        var json = figure.ToJsonString(RelaxedJson).Replace("</", "<\\/", StringComparison.Ordinal);
        return $"<div class=\"chart\" data-figure=\"{id}\"><div class=\"chart-plot\"></div>"
               + (svg is null ? "" : $"<div class=\"chart-static\">{svg}</div>")
               + $"<script type=\"application/json\" id=\"{id}\">{json}</script></div>";
    }

    /// <summary>
    /// The file name of the extension in the kernel's "Loading extensions from `…/Name.dll`" message, which names
    /// the full path of the building machine's package folder (its user name and folder layout): the page shows
    /// only the file. Null for every other output.
    /// </summary>
    static string? ExtensionLoadMessage(Output output)
    {
        if (output.Kind != "display_data" || output.Data.Count != 1 || !output.Data.TryGetValue("text/plain", out var text)) return null;
        var match = ExtensionLoad().Match(text.Trim());
        if (!match.Success) return null;
        var path = match.Groups["path"].Value;
        return path[(path.LastIndexOfAny(['/', '\\']) + 1)..];
    }

    /// <summary>The TeX inside a text/latex output, without its $$ … $$ or $ … $ delimiters.</summary>
    internal static string DisplayMath(string latex)
    {
        var tex = latex.Trim();
        if (tex.StartsWith("$$", StringComparison.Ordinal) && tex.EndsWith("$$", StringComparison.Ordinal) && tex.Length >= 4) return tex[2..^2].Trim();
        if (tex.StartsWith("\\[", StringComparison.Ordinal) && tex.EndsWith("\\]", StringComparison.Ordinal)) return tex[2..^2].Trim();
        if (tex.StartsWith('$') && tex.EndsWith('$') && tex.Length >= 2) return tex[1..^1].Trim();
        return tex;
    }

    static string Esc(string text) => Html.Escape(text);

    static readonly System.Text.Json.JsonSerializerOptions RelaxedJson =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex(@"^Loading extensions from `(?<path>[^`]+)`$")]
    private static partial Regex ExtensionLoad();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();
}
