namespace NotebookRunner;

/// <summary>
/// A run with every code cell run twice in a row, as a learner does who presses Run on a cell again: the notebook is
/// run with each code cell followed by a copy of itself, and the executed copy is folded back to the notebook's own
/// cells, each keeping the outputs of its second run. A failure names the notebook's own cell number and says which
/// run of the cell it was.
/// </summary>
public static class EachCellTwice
{
    /// <summary>
    /// Writes <paramref name="notebook"/> with every code cell doubled to <paramref name="path"/>; returns, for each
    /// 1-based cell number of the doubled notebook, the notebook's own cell number and whether it is the second run.
    /// </summary>
    public static IReadOnlyList<(int Cell, bool Again)> WriteDoubled(string notebook, string path)
    {
        var document = NotebookDocument.Load(notebook);
        var origin = new List<(int Cell, bool Again)>();
        var cells = document.Cells;
        var number = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            origin.Add((++number, false));
            if (cells[i]!["cell_type"]?.GetValue<string>() != "code") continue;
            cells.Insert(i + 1, cells[i]!.DeepClone());
            origin.Add((number, true));
            i++;
        }
        document.Save(path);
        return origin;
    }

    /// <summary>
    /// Folds the executed doubled notebook <paramref name="executedDoubled"/> back into the notebook's own cells and
    /// saves it as <paramref name="executed"/>: each code cell keeps its second run's outputs, or its first run's when the
    /// run stopped before the second.
    /// </summary>
    public static void Fold(string executedDoubled, IReadOnlyList<(int Cell, bool Again)> origin, string executed)
    {
        var document = NotebookDocument.Load(executedDoubled);
        var cells = document.Cells;
        if (cells.Count != origin.Count)
            throw new InvalidNotebookException($"has {cells.Count} cells after the run, not the {origin.Count} that were run");
        for (var i = cells.Count - 1; i > 0; i--)
        {
            if (!origin[i].Again) continue;
            var ranAgain = cells[i]!["execution_count"] is not null || cells[i]!["outputs"]?.AsArray().Count > 0;
            cells.RemoveAt(ranAgain ? i - 1 : i);
        }
        document.Save(executed);
        if (executedDoubled != executed) File.Delete(executedDoubled);
    }

    /// <summary>A failure in the doubled notebook, named by the notebook's own cell and the run of it that failed.</summary>
    public static CellFailure Renumber(CellFailure failure, IReadOnlyList<(int Cell, bool Again)> origin)
    {
        if (failure.Cell < 1 || failure.Cell > origin.Count) return failure;
        var (cell, again) = origin[failure.Cell - 1];
        return failure with
        {
            Cell = cell,
            Message = again ? "run a second time (as a learner who runs the cell again): " + failure.Message : failure.Message,
        };
    }
}
