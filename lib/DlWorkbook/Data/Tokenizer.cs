namespace DlWorkbook.Data;

/// <summary>What a token is: a word or a single character.</summary>
public enum TokenKind
{
    /// <summary>Words: a line split at runs of whitespace (d2l's <c>token='word'</c>).</summary>
    Word,

    /// <summary>Characters, spaces included (d2l's <c>token='char'</c>).</summary>
    Char,
}

/// <summary>Splits text lines into tokens. Counterpart of d2l's <c>tokenize(lines, token='word')</c>.</summary>
public static class Tokenizer
{
    static readonly char[] Whitespace = [' ', '\t', '\n', '\r', '\v', '\f'];

    /// <summary>
    /// One token list per line: words (Python's <c>line.split()</c>: no empty tokens) or characters
    /// (Python's <c>list(line)</c>, each a one-letter string).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Tokenize(IEnumerable<string> lines, TokenKind token = TokenKind.Word) =>
        lines.Select(line => token switch
        {
            TokenKind.Word => (IReadOnlyList<string>)line.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries),
            TokenKind.Char => line.Select(c => c.ToString()).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(token), token, "Tokens are words or characters."),
        }).ToList();
}
