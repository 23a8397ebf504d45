using System.Text;

namespace SiteBuilder;

/// <summary>HTML escaping that keeps non-ASCII text as it is (the pages are UTF-8): "·" stays "·", not "&amp;#183;".</summary>
public static class Html
{
    /// <summary>Escapes &amp;, &lt;, &gt; and quotes, for text and attribute values.</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        return escaped.ToString();
    }
}
