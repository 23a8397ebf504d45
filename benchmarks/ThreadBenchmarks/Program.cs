using System.Globalization;
using DlWorkbook.Benchmarks;

// Training speed of the workbook's models under libtorch's thread settings, on idle cores and beside busy
// processes: the driver (no --child) starts busy processes and one child per (setting, load). See README.md.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Options options;
try
{
    options = Options.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
if (options.IsSpinner) return Spinner.Run(options);
if (options.IsChild) return Child.Run(options, Candidate.Find(options.Setting ?? "default"));
return Driver.Run(options);
