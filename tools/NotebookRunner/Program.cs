// NotebookRunner: runs the workbook's notebooks headless and checks every cell. `--help` lists the options
// (RunnerCommandLine.cs).
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
