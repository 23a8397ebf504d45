using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Deedle;
using DlWorkbook.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DlWorkbook.Data;

/// <summary>
/// The Fish market data (Kaggle, Aung Pyae; CC BY 4.0): 159 fish of 7 species with weight (g) and five body
/// measurements (cm). The workbook's small regression data set: predict <c>Weight</c> from the measurements.
/// The Python counterpart is <c>pd.read_csv('Fish.csv')</c> followed by the usual pandas and torch steps.
/// </summary>
public static partial class FishMarket
{
    /// <summary>The species column, the only non-numeric one.</summary>
    public const string Species = "Species";

    /// <summary>The usual regression target, weight in grams.</summary>
    public const string Weight = "Weight";

    /// <summary>
    /// Reads Fish.csv into a Deedle frame (rows 0..158; <c>Species</c> as text, the six measurements as numbers),
    /// like <c>pd.read_csv</c>. The file's byte-order mark is dropped and numbers are parsed with the invariant
    /// culture, so a decimal point is read as such on every machine.
    /// </summary>
    /// <exception cref="DataSetException">The file could not be fetched, or a value in it is not what it should be.</exception>
    public static Frame<int, string> Load(DataCache? cache = null) =>
        ReadCsv((cache ?? DataCache.Default).Fetch(DataManifest.FishCsv));

    /// <summary>
    /// Reads any CSV file the way <see cref="Load"/> reads Fish.csv: comma-separated, a header line, UTF-8 with or
    /// without BOM. A column whose every value is a number (invariant culture, '.' as the decimal point) becomes
    /// numeric (double), any other column text; empty cells and NA, N/A, NaN are missing values, as in pandas.
    /// </summary>
    /// <exception cref="DataSetException">
    /// The file is empty, has no data rows, is separated by semicolons or tabs, names a column twice, or has a value that
    /// would be read wrong (a text among numbers, a decimal comma such as "23,2", "Infinity" or a number beyond a double's
    /// range); the message names the file, column, row and value.
    /// </exception>
    internal static Frame<int, string> ReadCsv(string path)
    {
        var name = Path.GetFileName(path);
        var text = File.ReadAllText(path, Encoding.UTF8);
        var header = text.Split('\n', 2)[0].TrimEnd('\r');
        if (string.IsNullOrWhiteSpace(text))
            throw new DataSetException($"{path} is empty ({new FileInfo(path).Length} bytes): a CSV file needs a header line and data rows. "
                                       + CachedCopyAdvice(name));
        if (!header.Contains(',') && header.Contains(';'))
            throw new DataSetException(
                $"{path} separates its columns with ';' (header: \"{header}\"), as spreadsheets do where the decimal point is a comma. "
                + "The workbook reads comma-separated files with '.' as the decimal point, as pandas' read_csv does: save it as "
                + "comma-separated CSV with '.' decimals (for example from a spreadsheet set to an English locale).");
        if (!header.Contains(',') && header.Contains('\t'))
            throw new DataSetException(
                $"{path} separates its columns with tabs (header, line 1: \"{header.Replace("\t", "\\t")}\"): it is a tab-separated "
                + "file, which would be read as one text column. The workbook reads comma-separated files, as pandas' read_csv "
                + "does: save it as comma-separated CSV, or replace every tab by a comma.");
        CheckHeader(name, header);
        CheckFieldCounts(name, text, header);
        Frame<int, string> raw;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            raw = Frame.ReadCsv(stream, hasHeaders: true, inferTypes: false, inferRows: 0, schema: null, separators: ",",
                culture: "", maxRows: null, missingValues: [], preferOptions: false, encoding: new UTF8Encoding(false));
        }
        catch (Exception e) when (e is not DataSetException)
        {
            throw new DataSetException($"{path} could not be read as a comma-separated file: {e.Message}", e);
        }
        if (raw.RowCount == 0)
            throw new DataSetException($"{path} has a header (\"{header}\") but no data rows. " + CachedCopyAdvice(name));
        var columns = new FrameBuilder.Columns<int, string>();
        foreach (var key in raw.ColumnKeys)
        {
            var cells = raw.GetColumn<string>(key);
            var keys = cells.Keys.ToArray();
            var values = keys.Select(k => cells.TryGet(k) is { HasValue: true } v ? v.Value : "").ToArray();
            var numbers = ParseColumn(name, key, keys, values);
            columns.Add(key, numbers is null ? cells : new Series<int, double>(keys, numbers));
        }
        return columns.Frame;
    }

    /// <summary>Every column name once: the frame is keyed by name, so a second "Weight" has nowhere to go.</summary>
    static void CheckHeader(string file, string header)
    {
        var names = Fields(header).Select(n => n.Trim().Trim('"').Trim()).ToList();
        var twice = names.Select((n, i) => (Name: n, Column: i + 1)).GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is null) return;
        throw new DataSetException(
            $"{file}, line 1 (the header): the column name \"{twice.Key}\" appears {twice.Count()} times, as columns "
            + $"{string.Join(" and ", twice.Select(c => c.Column))}. Each column needs its own name: rename all but one "
            + $"(for example \"{twice.Key}2\"), or delete the repeated column if it is a copy.");
    }

    /// <summary>The fields of a line, split at commas outside double quotes.</summary>
    static List<string> Fields(string line)
    {
        var (fields, start, quoted) = (new List<string>(), 0, false);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') quoted = !quoted;
            else if (line[i] == ',' && !quoted)
            {
                fields.Add(line[start..i]);
                start = i + 1;
            }
        }
        fields.Add(line[start..]);
        return fields;
    }

    /// <summary>Every line has as many fields as the header: the CSV reader would silently drop the extra ones.</summary>
    static void CheckFieldCounts(string file, string text, string header)
    {
        var columns = Fields(header).Count;
        var lines = text.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0) continue;
            var fields = Fields(line).Count;
            if (fields != columns)
                throw new DataSetException(
                    $"{file}, line {i + 1}: {fields} values, but the header names {columns} columns ({header.Replace(",", ", ")}). "
                    + "A value with a comma in it must be in quotes.");
        }
    }

    static readonly string[] MissingValues = ["", "NA", "N/A", "NaN", "nan", "null"];

    /// <summary>The column's numbers (NaN where missing), or null when it is a text column.</summary>
    static double[]? ParseColumn(string file, string column, int[] rows, string[] cells)
    {
        var numbers = new double[cells.Length];
        int numeric = 0, text = 0, firstText = -1;
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i].Trim();
            if (MissingValues.Contains(cell))
            {
                numbers[i] = double.NaN;
            }
            else if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
            {
                // "Infinity" parses, and so does 1e999 (too large for a double): both would enter the data as ±infinity.
                if (!double.IsFinite(numbers[i]))
                    throw new DataSetException(
                        $"{file}, column \"{column}\", data row {rows[i] + 1}: \"{cell}\" "
                        + (cell.Any(char.IsDigit) ? "is beyond the largest number a double holds (about 1.8e308) and " : "")
                        + $"would be read as {(numbers[i] > 0 ? "+" : "-")}infinity, which no mean, z-score or training step "
                        + "survives. Correct the value, or leave the cell empty to mark it missing.");
                numeric++;
            }
            else if (DecimalComma().IsMatch(cell))
            {
                throw new DataSetException(
                    $"{file}, column \"{column}\", data row {rows[i] + 1}: \"{cell}\" has a comma inside a number. The workbook reads "
                    + "'.' as the decimal point and no thousands separators (read naively, \"23,2\" would become 232): write "
                    + $"{cell.Replace(',', '.')} if the comma is a decimal comma, or {cell.Replace(",", "")} if it separates thousands.");
            }
            else
            {
                text++;
                if (firstText < 0) firstText = i;
            }
        }
        if (text == 0 && numeric > 0) return numbers;
        if (numeric > text)
            throw new DataSetException(
                $"{file}, column \"{column}\", data row {rows[firstText] + 1}: \"{cells[firstText]}\" is not a number, but {numeric} of the "
                + $"column's {cells.Length} values are ({text} {(text == 1 ? "is" : "are")} not). Correct the value, or leave the cell "
                + "empty to mark it missing; read as text, the whole column would silently drop out of the numeric data.");
        return null;
    }

    static string CachedCopyAdvice(string name) =>
        name == DataManifest.FishCsv.FileName ? "If it is the workbook's cached copy, delete it so it is fetched again." : "";

    [GeneratedRegex(@"^[+-]?\d+,\d+$")]
    private static partial Regex DecimalComma();

    /// <summary>The numeric columns only (here: everything but <c>Species</c>), like <c>df.select_dtypes('number')</c>.</summary>
    internal static Frame<int, string> Numeric(Frame<int, string> frame) =>
        Frame.FromColumns(NumericColumns(frame).Select(k => KeyValue.Create(k, frame.GetColumn<double>(k))));

    /// <summary>
    /// Every numeric column standardised to mean 0 and (sample) standard deviation 1, like pandas'
    /// <c>(df - df.mean()) / df.std()</c>; non-numeric columns are left out. The sample standard deviation
    /// (divide by n − 1) is what pandas' <c>std()</c> uses.
    /// </summary>
    /// <exception cref="ArgumentException">A column is constant, so it cannot be scaled.</exception>
    public static Frame<int, string> ZScore(Frame<int, string> frame) =>
        Frame.FromColumns(NumericColumns(frame).Select(k => KeyValue.Create(k, ZScore(frame.GetColumn<double>(k), k))));

    /// <summary>
    /// The frame as float32 tensors: features [n, k] (row-major, columns in the given order) and labels [n, 1],
    /// like <c>torch.tensor(df[features].values, dtype=torch.float32)</c>.
    /// </summary>
    /// <param name="frame">The data, e.g. from <see cref="Load"/> or <see cref="ZScore(Frame{int,string})"/>.</param>
    /// <param name="label">The target column.</param>
    /// <param name="features">Feature columns; by default every numeric column except <paramref name="label"/>.</param>
    /// <exception cref="ArgumentException">A column is missing or not numeric.</exception>
    public static (Tensor Features, Tensor Labels) ToTensors(Frame<int, string> frame, string label = Weight, IReadOnlyList<string>? features = null)
    {
        TorchNative.EnsureLoaded();
        features ??= NumericColumns(frame).Where(k => k != label).ToList();
        var columns = features.Select(k => Column(frame, k)).ToList();
        var n = frame.RowCount;
        var x = new float[n * columns.Count];
        for (var j = 0; j < columns.Count; j++)
            for (var i = 0; i < n; i++) x[i * columns.Count + j] = (float)columns[j][i];
        var y = Array.ConvertAll(Column(frame, label), v => (float)v);
        return (tensor(x, [n, columns.Count]), tensor(y, [n, 1]));
    }

    /// <summary>
    /// <see cref="ToTensors"/> wrapped in <c>torch.utils.data.TensorDataset(X, y)</c>, ready for
    /// <see cref="TorchData.RandomSplit"/> and <see cref="TorchData.DataLoader"/>.
    /// </summary>
    internal static TensorDataset ToDataset(Frame<int, string> frame, string label = Weight, IReadOnlyList<string>? features = null)
    {
        var (x, y) = ToTensors(frame, label, features);
        return utils.data.TensorDataset(x, y);
    }

    static IEnumerable<string> NumericColumns(Frame<int, string> frame) =>
        frame.ColumnKeys.Zip(frame.ColumnTypes).Where(c => IsNumeric(c.Second)).Select(c => c.First);

    static bool IsNumeric(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(decimal) || type == typeof(int) || type == typeof(long);

    static double[] Column(Frame<int, string> frame, string key)
    {
        if (!frame.ColumnKeys.Contains(key))
            throw new ArgumentException($"The frame has no column \"{key}\"; its columns are {string.Join(", ", frame.ColumnKeys)}.");
        if (!IsNumeric(frame.ColumnTypes.ElementAt(frame.ColumnKeys.ToList().IndexOf(key))))
            throw new ArgumentException($"Column \"{key}\" is not numeric, so it cannot go into a tensor.");
        var values = frame.GetColumn<double>(key).Values.ToArray();
        if (values.Length != frame.RowCount)
            throw new ArgumentException($"Column \"{key}\" has {frame.RowCount - values.Length} missing values; drop or fill them first.");
        return values;
    }

    static Series<int, double> ZScore(Series<int, double> column, string name)
    {
        var values = column.Values.ToArray();
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        if (!(std > 0))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Column \"{name}\" has the same value {mean} in every row (standard deviation 0), so it cannot be standardised."));
        return column.Select(kv => (kv.Value - mean) / std);
    }
}
