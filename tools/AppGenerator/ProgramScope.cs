namespace AppGenerator;

/// <summary>Where the program puts braces so that every cell's names fit in one program.</summary>
/// <param name="OwnBlocks">Cells put in a block of their own: their names are theirs alone, as a notebook cell's can be.</param>
/// <param name="RestBlocks">Cells at which a block opens that runs to the end of the statements.</param>
internal sealed record ProgramLayout(IReadOnlySet<int> OwnBlocks, IReadOnlySet<int> RestBlocks);

/// <summary>
/// Fits every cell's names (see <see cref="CellNames"/>) into one program's top-level code, adding only braces, or
/// stops with the notebook, the cells and the name, before the compiler would fail on the program.
/// </summary>
/// <remarks>
/// <para>C# script gives every cell its own scope; one program's top-level statements are one scope, in which a name
/// may be declared once and not again in a nested block (CS0128, CS0136). Braces give a clash its notebook meaning back:</para>
/// <list type="bullet">
/// <item>A cell whose names no later cell uses (the later cells that mention one of them declare it themselves), for
/// example an exercise's <c>long[] shape = null!;</c> line, goes in a block of its own.</item>
/// <item>A name that an earlier cell uses inside a loop or block and a later cell declares for the rest of the notebook
/// (a loop over <c>batchSize</c>, then <c>const int batchSize = 32</c>): a block opens at the later cell and runs to the
/// end, so the later cells still see everything before them.</item>
/// </list>
/// A clash neither can solve (a name declared again while later cells still use the first one, or used inside a loop
/// after a cell declared it for the rest of the notebook) needs a rename in the notebook.
/// </remarks>
internal static class ProgramScope
{
    /// <exception cref="GenerationException">A clash that braces cannot solve; the message names the cells and the name.</exception>
    public static ProgramLayout Fit(string notebook, IReadOnlyList<CellCode> cells)
    {
        var own = new SortedSet<int>();
        var rest = new SortedSet<int>();
        // Each step adds one brace pair, so this ends after at most two steps per cell.
        for (var step = 0; step <= 2 * cells.Count; step++)
        {
            if (FirstClash(cells, own, rest) is not { } clash) return new ProgramLayout(own, rest);
            var (first, second, name) = clash;
            if (first.TopLevel && !own.Contains(first.Cell.Number) && Private(first.Cell, cells))
                own.Add(first.Cell.Number);
            else if (second.TopLevel && !own.Contains(second.Cell.Number) && Private(second.Cell, cells))
                own.Add(second.Cell.Number);
            else if (second.TopLevel && (!first.TopLevel || own.Contains(first.Cell.Number)) && !rest.Contains(second.Cell.Number))
                rest.Add(second.Cell.Number);
            else
                throw Unsolvable(notebook, first, second, name);
        }
        throw new InvalidOperationException("The program layout did not settle; this is a bug in the generator.");
    }

    /// <summary>True when no later cell uses one of the cell's top-level names, except cells that declare it again.</summary>
    static bool Private(CellCode cell, IReadOnlyList<CellCode> cells) =>
        cell.Body.Length > 0 && cells.Where(c => c.Number > cell.Number).All(later =>
            cell.Names.TopLevel.All(name => !later.Names.Used.Contains(name) || later.Names.TopLevel.Contains(name)));

    sealed record Declaration(CellCode Cell, bool TopLevel);

    /// <summary>
    /// The first pair of declarations of one name where one's scope holds the other's (or is the same), given the
    /// braces so far; nested declarations of one cell are taken to sit in separate blocks, as the notebook compiled them.
    /// </summary>
    static (Declaration First, Declaration Second, string Name)? FirstClash(IReadOnlyList<CellCode> cells, ISet<int> own, ISet<int> rest)
    {
        var declarations = cells
            .SelectMany(c => c.Names.TopLevel.Distinct().Select(n => (Name: n, Declaration: new Declaration(c, true)))
                .Concat(c.Names.Nested.Distinct().Select(n => (Name: n, Declaration: new Declaration(c, false)))))
            .GroupBy(d => d.Name, d => d.Declaration, StringComparer.Ordinal);
        foreach (var group in declarations)
        {
            var list = group.OrderBy(d => d.Cell.Number).ThenBy(d => d.TopLevel ? 0 : 1).ToList();
            for (var i = 0; i < list.Count; i++)
            for (var j = i + 1; j < list.Count; j++)
            {
                var (a, b) = (list[i], list[j]);
                if (a.Cell == b.Cell) continue;
                var (pathA, pathB) = (ScopePath(a, own, rest), ScopePath(b, own, rest));
                if (IsPrefix(pathA, pathB) || IsPrefix(pathB, pathA)) return (a, b, group.Key);
            }
        }
        return null;
    }

    /// <summary>
    /// The scopes around a declaration, outermost first: one per rest block opened at or before its cell, then the
    /// cell's own block, then for a nested declaration a scope of its own within the cell.
    /// </summary>
    static List<string> ScopePath(Declaration declaration, ISet<int> own, ISet<int> rest)
    {
        var number = declaration.Cell.Number;
        var path = rest.Where(r => r <= number).Select(r => "rest" + r).ToList();
        if (own.Contains(number)) path.Add("own" + number);
        if (!declaration.TopLevel) path.Add("nested" + number);
        return path;
    }

    static bool IsPrefix(List<string> outer, List<string> inner) =>
        outer.Count <= inner.Count && outer.SequenceEqual(inner.Take(outer.Count));

    static GenerationException Unsolvable(string notebook, Declaration first, Declaration second, string name) =>
        (first.TopLevel, second.TopLevel) switch
        {
            (true, true) => new GenerationException(notebook, second.Cell.Number,
                $"declares `{name}` again (cell {first.Cell.Number} declared it first, and a later cell still uses names of that "
                + "cell). A notebook allows a later cell to declare a name again; one C# program does not. Rename it in one of "
                + "the two cells (a change to the notebook), then generate the programs again."),
            (true, false) => new GenerationException(notebook, second.Cell.Number,
                $"declares `{name}` inside a block, a loop or a pattern, and the earlier cell {first.Cell.Number} declares "
                + $"`{name}` for the rest of the notebook (later cells use its names). In one C# program the inner one would hide "
                + "the outer one, which C# forbids (error CS0136). Rename one of them in the notebook, then generate the programs again."),
            _ => new GenerationException(notebook, second.Cell.Number,
                $"declares `{name}`, which cell {first.Cell.Number} also declares, in a way one C# program cannot hold. Rename "
                + "one of them in the notebook, then generate the programs again."),
        };
}
