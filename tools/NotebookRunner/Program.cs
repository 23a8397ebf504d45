// NotebookRunner: runs the workbook's notebooks headless and checks every cell.
//
// Usage: NotebookRunner [--quick] [--out DIR] [--timeout SECONDS] [--cell-timeout SECONDS]
//                       [--host interactive|repl|both] [--jobs N] [--each-cell-twice] [NOTEBOOK ...]
//
//   --quick          set DLWORKBOOK_QUICK=1 in the kernel (fewer epochs, less data, same code paths)
//   --out DIR        where the executed copies go (default out/notebooks); files the notebooks link to
//                    (../images/*.svg) are copied to the same relative place, e.g. out/images
//   --timeout S      limit for one whole notebook, in seconds (default 1200 in quick mode, 3600 in full mode), in every host
//   --cell-timeout S limit for one cell, in seconds (default 600 in quick mode, 1800 in full mode: a busy laptop
//                    may take several times an idle one's minutes for a training cell; dotnet-interactive only)
//   --host H         interactive (default): dotnet-interactive, the kernel VS Code runs, spoken to over
//                    `dotnet interactive stdio`; repl: dotnet-repl; both: each notebook in dotnet-interactive
//                    into DIR and in dotnet-repl into DIR-repl (for example out/notebooks-repl)
//   --jobs N         how many runs go on at once (default 1); each notebook in each host is one run, started in
//                    order (00 in both hosts, then 01, ...). Runs side by side share the cores, so the speeds
//                    and times the notebooks print are lower than a learner's
//   --each-cell-twice  run every code cell twice in a row, as a learner who runs a cell again; the copy keeps
//                    each cell's second outputs, and a failure of the second run says so (within twice --timeout)
//   NOTEBOOK ...     the notebooks to run; without any, every notebooks/*.ipynb of the current folder
//
// Prints one line per notebook ("ok" or "FAIL", the host, the time, the executed copy) and one line per
// failure ("<notebook>, cell <N>: <text>", N counting all cells from 1), then
// "notebooks: N passed, N failed". Exits 0 when every notebook ran clean, 1 when any failed, 2 on bad arguments.
// Every executed copy records in its metadata what produced it and how its run ended (RunRecord.cs: host, mode,
// the notebook's SHA-256, the library build, the failures), written last: a copy without one never finished.
// A notebook fails on any error output, standard error output or compiler warning, a cell or notebook past
// its time limit, a kernel that dies (the executed copy still holds the outputs so far) and a file that is
// not a readable notebook; the runner always goes on with the next notebook.
using NotebookRunner;

return RunnerCommandLine.Run(args, Console.Out, Console.Error);
