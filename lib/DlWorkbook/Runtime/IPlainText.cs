namespace DlWorkbook.Runtime;

/// <summary>
/// A value of the library's that has one line (or block) of plain text for a console, where a notebook would show
/// its HTML: a console host prints <see cref="ToText"/> without knowing the value's layer (an exercise result, say).
/// </summary>
internal interface IPlainText
{
    /// <summary>The plain text a console prints for this value.</summary>
    string ToText();
}
