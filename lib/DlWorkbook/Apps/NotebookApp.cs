using System.Globalization;
using System.Text;
using DlWorkbook.Display;
using DlWorkbook.Runtime;

namespace DlWorkbook.Apps;

/// <summary>
/// The run-time side of a notebook turned into a plain C# program (tools/AppGenerator writes them to
/// <c>out/apps/</c>): where each cell starts, the notebook's <c>display(...)</c>, and errors named by notebook and cell.
/// </summary>
/// <remarks>
/// A generated program starts with <c>NotebookApp.Begin("02-softmax-regression.ipynb")</c> and marks each code cell
/// with <c>NotebookApp.Cell(7, "3.2 One-hot labels")</c>. The first output of a cell is preceded by a line naming
/// it, so the console reads like the notebook; cells that print nothing print no line. An exception that
/// escapes the program is reported as "02-softmax-regression.ipynb, cell 7: …" (cells counted from 1 over all
/// cells, as the notebook runner counts them) and the program exits with code 1.
/// </remarks>
public static class NotebookApp
{
    /// <summary>The exit code of a program whose notebook code threw.</summary>
    internal const int FailureExitCode = 1;

    static CellHeaderWriter? headers;
    static GcStress? stress;

    /// <summary>The notebook the program was generated from (its file name), or null before <see cref="Begin"/>.</summary>
    public static string? Notebook { get; private set; }

    /// <summary>The code cell running now, counted from 1 over all cells; 0 before the first.</summary>
    internal static int CurrentCell { get; private set; }

    /// <summary>
    /// Starts the program of <paramref name="notebook"/>: names it on the console, sends charts and images to
    /// <paramref name="outputFolder"/> (by default a folder named like the program, beside its .cs file) with plotly.js
    /// in <c>assets</c> beside that folder, and reports an escaping exception with the notebook and cell.
    /// </summary>
    public static void Begin(string notebook, string? outputFolder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(notebook);
        Notebook = notebook;
        var folder = Path.GetFullPath(outputFolder ?? DefaultOutputFolder(notebook));
        ConsoleDisplay.OutputFolder = folder;
        ConsoleDisplay.AssetsFolder = Path.Combine(Path.GetDirectoryName(folder)!, "assets");
        RemoveOldFiles(folder);
        AppDomain.CurrentDomain.UnhandledException += (_, e) => Fail(e.ExceptionObject as Exception);
        stress ??= GcStress.StartIfRequested();
        if (headers is null)
        {
            headers = new CellHeaderWriter(Console.Out);
            Console.SetOut(TextWriter.Synchronized(headers));
        }
        Console.WriteLine($"{notebook} as a plain C# program{(Workbook.QuickMode ? " (quick mode)" : "")}. "
                          + $"Charts and images go to {ConsoleDisplay.Shown(folder)}{Path.DirectorySeparatorChar}");
    }

    /// <summary>
    /// Marks the start of code cell <paramref name="number"/> (counted from 1 over all cells);
    /// <paramref name="section"/> is the heading above it in the notebook, shown in the cell's first output line.
    /// </summary>
    public static void Cell(int number, string? section = null)
    {
        CurrentCell = number;
        ConsoleDisplay.FileStem = "cell-" + number.ToString(CultureInfo.InvariantCulture);
        headers?.Expect(HeaderLine(number, section));
    }

    /// <summary>
    /// The notebook's <c>display(value)</c> on a console: prints the value as the notebook would show it, or writes
    /// it to a file and prints the path (see <see cref="ConsoleDisplay"/>). The MIME types are ignored.
    /// </summary>
    /// <remarks>Lower-case like the notebook kernel's global function, so notebook code compiles unchanged; no
    /// notebook imports this class, so a notebook never sees two <c>display</c> functions.</remarks>
    public static void display(object? value, params string[] mimeTypes) => ConsoleDisplay.Show(value);

    /// <summary>The line that precedes a cell's first output.</summary>
    internal static string HeaderLine(int number, string? section) =>
        $"── cell {number.ToString(CultureInfo.InvariantCulture)}{(string.IsNullOrWhiteSpace(section) ? "" : " · " + section.Trim())} ──";

    /// <summary>What an escaping exception prints: notebook, cell, exception and message, then the details.</summary>
    internal static string FailureText(string? notebook, int cell, Exception? error)
    {
        var where = cell > 0 ? $"{notebook}, cell {cell}" : notebook ?? "the program";
        var message = error is null ? "the program failed" : $"{error.GetType().Name}: {error.Message}";
        return $"{where}: {message}\n{error}";
    }

    static void Fail(Exception? error)
    {
        Console.Out.Flush();
        Console.Error.WriteLine();
        Console.Error.WriteLine(FailureText(Notebook, CurrentCell, error));
        Console.Error.Flush();
        Environment.Exit(FailureExitCode);
    }

    /// <summary>Beside the running .cs file (a .NET 10 file-based program knows its path), else under the current folder.</summary>
    static string DefaultOutputFolder(string notebook)
    {
        var name = Path.GetFileNameWithoutExtension(notebook);
        return AppContext.GetData("EntryPointFilePath") is string source && source.Length > 0
            ? Path.Combine(Path.GetDirectoryName(source)!, Path.GetFileNameWithoutExtension(source))
            : Path.Combine(Environment.CurrentDirectory, name);
    }

    /// <summary>The chart and image files of the last run, so the folder holds only this run's.</summary>
    static void RemoveOldFiles(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder, "cell-*.*"))
            if (file.EndsWith(".html", StringComparison.Ordinal) || file.EndsWith(".png", StringComparison.Ordinal)) File.Delete(file);
    }

    /// <summary>Writes a pending header line before the first text a cell prints.</summary>
    sealed class CellHeaderWriter(TextWriter inner) : TextWriter
    {
        string? pending;

        public override Encoding Encoding => inner.Encoding;

        public void Expect(string header) => pending = header;

        public override void Write(char value)
        {
            Header();
            inner.Write(value);
        }

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            Header();
            inner.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            if (count == 0) return;
            Header();
            inner.Write(buffer, index, count);
        }

        public override void Flush() => inner.Flush();

        void Header()
        {
            if (pending is null) return;
            var header = pending;
            pending = null;
            inner.Write(Environment.NewLine + header + Environment.NewLine);
        }
    }
}
