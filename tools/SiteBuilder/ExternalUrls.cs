using System.Text.RegularExpressions;

namespace SiteBuilder;

/// <summary>
/// Finds what a saved notebook output would load from the network: any http:// or https:// address in any MIME
/// type of any output (a CDN script, a stylesheet, an image, an address inside a chart's JSON), except plain
/// links a reader may follow and XML namespace names, which nothing loads.
/// </summary>
/// <remarks>Used by the site build, which refuses such outputs, and by the notebook smoke test.</remarks>
public static partial class ExternalUrls
{
    [GeneratedRegex(@"https?://[^\s""'<>()\[\]{}\\`]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    // What may stand right before an address that nothing loads: an XML namespace or a DTD name.
    [GeneratedRegex(@"(xmlns(:[\w-]+)?\s*=\s*[""']|<!DOCTYPE[^>]*)$", RegexOptions.IgnoreCase)]
    private static partial Regex NamespaceBefore();

    // An HTML link: <a ... href=" right before the address, inside one tag.
    [GeneratedRegex(@"<a\s[^<>]*href\s*=\s*[""']?$", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLinkBefore();

    // A markdown link or autolink: "](" or "<" right before the address.
    [GeneratedRegex(@"(\]\(\s*|<)$")]
    private static partial Regex MarkdownLinkBefore();

    // A markdown image, which the reader's viewer loads: "![alt](" right before the address.
    [GeneratedRegex(@"!\[[^\]]*\]\(\s*$")]
    private static partial Regex MarkdownImageBefore();

    /// <summary>
    /// Every external address in the outputs of <paramref name="executedNotebook"/>, one line each:
    /// "NOTEBOOK, cell N (MIME type): ADDRESS". Empty when the notebook's outputs need no network.
    /// </summary>
    public static IReadOnlyList<string> InNotebook(string executedNotebook) => InNotebook(Notebook.Load(executedNotebook));

    /// <inheritdoc cref="InNotebook(string)"/>
    public static IReadOnlyList<string> InNotebook(Notebook notebook)
    {
        var found = new List<string>();
        foreach (var cell in notebook.Cells)
            foreach (var output in cell.Outputs)
            {
                var parts = output.Data.Select(d => (d.Key, d.Value))
                    .Concat(output.Text is null ? [] : [($"{output.StreamName ?? "stream"} text", output.Text)])
                    .Concat(output.Error is null ? [] : [("error", output.Error)]);
                foreach (var (mime, content) in parts)
                    foreach (var url in InContent(mime, content))
                        found.Add($"{notebook.Name}, {cell.Label} ({mime}): {url}");
            }
        return found;
    }

    /// <summary>The external addresses in one output's content of MIME type <paramref name="mime"/> that something would load.</summary>
    public static IEnumerable<string> InContent(string mime, string content)
    {
        foreach (Match match in Url().Matches(content))
        {
            var before = content[Math.Max(0, match.Index - 400)..match.Index];
            if (NamespaceBefore().IsMatch(before)) continue;
            if ((mime is "text/html" or "image/svg+xml") && HtmlLinkBefore().IsMatch(before)) continue;
            if (mime == "text/markdown" && MarkdownLinkBefore().IsMatch(before) && !MarkdownImageBefore().IsMatch(before)) continue;
            yield return match.Value;
        }
    }
}
