namespace AppGenerator;

/// <summary>
/// Checks that every cell's names can live in one program's top-level code (see <see cref="CellNames"/>), and
/// otherwise stops with the notebook, the cells and the name, before the compiler would fail on the program.
/// </summary>
/// <remarks>
/// One clash has a clean answer without touching the lesson's code: a name that an earlier cell uses inside a loop
/// or block and a later cell declares for the rest of the notebook (a loop over <c>batchSize</c> in cell 41, then
/// <c>const int batchSize = 32</c> in cell 43). The program then opens a block at the later cell that runs to the end:
/// the later cells still see everything before them, and the loop and the new variable sit in sibling scopes, as in
/// the notebook. The other clashes (a name declared again, or used inside a block after a cell declared it for the
/// whole notebook) need a rename in the notebook.
/// </remarks>
internal static class ProgramScope
{
    /// <summary>The cells before which the program opens a block that runs to the end of the statements.</summary>
    /// <exception cref="GenerationException">Two cells declare the same top-level name, or a nested name would hide a top-level one.</exception>
    public static IReadOnlySet<int> BlockStarts(string notebook, IReadOnlyList<CellCode> cells)
    {
        var firstDeclared = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var cell in cells)
        foreach (var name in cell.Names.TopLevel)
        {
            if (firstDeclared.TryGetValue(name, out var earlier))
                throw new GenerationException(notebook, cell.Number,
                    $"declares `{name}` again (cell {earlier} declared it first). A notebook allows a later cell to declare a "
                    + "name again; one C# program does not. Rename it in one of the two cells (a change to the notebook), then "
                    + "generate the programs again.");
            firstDeclared[name] = cell.Number;
        }

        var blocks = new SortedSet<int>();
        foreach (var cell in cells)
        foreach (var name in cell.Names.Nested.Distinct())
        {
            if (!firstDeclared.TryGetValue(name, out var outer)) continue;
            if (outer > cell.Number)
            {
                blocks.Add(outer);
                continue;
            }
            throw new GenerationException(notebook, cell.Number,
                $"declares `{name}` inside a block, a loop or a pattern, and the earlier cell {outer} declares `{name}` for the "
                + "whole notebook. In one C# program the inner one would hide the outer one, which C# forbids (error CS0136). "
                + "Rename one of them in the notebook, then generate the programs again.");
        }
        // A later block must not put a nested name's cell and its top-level twin back into one scope: they are
        // separated as long as a block starts after the nested cell and at or before the top-level one, which holds.
        return blocks;
    }
}
