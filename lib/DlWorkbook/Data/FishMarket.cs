using System.Globalization;
using System.Text;
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
public static class FishMarket
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
    /// <exception cref="DataSetException">The file could not be fetched.</exception>
    public static Frame<int, string> Load(DataCache? cache = null) =>
        ReadCsv((cache ?? DataCache.Default).Fetch(DataManifest.FishCsv));

    /// <summary>Reads any CSV file the way <see cref="Load"/> reads Fish.csv (UTF-8 with or without BOM, invariant culture).</summary>
    public static Frame<int, string> ReadCsv(string path)
    {
        using var stream = File.OpenRead(path);
        return Frame.ReadCsv(stream, hasHeaders: true, inferTypes: true, inferRows: 0, schema: null, separators: ",",
            culture: "", maxRows: null, missingValues: null, preferOptions: false, encoding: new UTF8Encoding(false));
    }

    /// <summary>The numeric columns only (here: everything but <c>Species</c>), like <c>df.select_dtypes('number')</c>.</summary>
    public static Frame<int, string> Numeric(Frame<int, string> frame) =>
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
    public static TensorDataset ToDataset(Frame<int, string> frame, string label = Weight, IReadOnlyList<string>? features = null)
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
