namespace AppGenerator;

/// <summary>
/// A notebook the generator cannot turn into a program as it is. The message names the notebook, the cell (counted
/// from 1 over all cells, as the notebook runner counts them) and what to change.
/// </summary>
public sealed class GenerationException(string notebook, int cell, string problem) : Exception(
    cell > 0 ? $"{notebook}, cell {cell}: {problem}" : $"{notebook}: {problem}")
{
    /// <summary>The notebook's file name.</summary>
    public string Notebook { get; } = notebook;

    /// <summary>The cell, counted from 1 over all cells; 0 for the whole notebook.</summary>
    public int Cell { get; } = cell;
}
