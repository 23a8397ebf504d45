using DlWorkbook.Data;
using DlWorkbook.Tests.Data;

namespace DlWorkbook.Tests.Faults;

/// <summary>Bad CSV files: each is an error naming the file, the column, the row and the value, or a readable frame.</summary>
public sealed class CsvFaultTests : IDisposable
{
    const string Header = "Species,Weight,Length1,Length2,Length3,Height,Width";
    readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ANonNumericCellIsNamedInsteadOfDroppingItsColumn()
    {
        var e = Read($"{Header}\nBream,242,23.2,25.4,30,11.52,4.02\nBream,290,24,26.3,31.2,12.48,4.3056\nBream,34O,23.9,26.5,31.1,12.3778,4.6961\n");

        Assert.Equal(
            "fish.csv, column \"Weight\", data row 3: \"34O\" is not a number, but 2 of the column's 3 values are (1 is not). "
            + "Correct the value, or leave the cell empty to mark it missing; read as text, the whole column would silently "
            + "drop out of the numeric data.", e.Message);
    }

    [Fact]
    public void AQuotedDecimalCommaIsNamedInsteadOfBecomingTenTimesLarger()
    {
        var e = Read($"{Header}\nBream,242,\"23,2\",25.4,30,11.52,4.02\n");

        Assert.StartsWith("fish.csv, column \"Length1\", data row 1: \"23,2\" has a comma inside a number.", e.Message);
        Assert.Contains("write 23.2 if the comma is a decimal comma", e.Message);
    }

    [Fact]
    public void AnEmptyFileNamesItself()
    {
        var e = Read("");

        Assert.Equal($"{folder.File("fish.csv")} is empty (0 bytes): a CSV file needs a header line and data rows. ", e.Message);
    }

    [Fact]
    public void AHeaderOnlyFileSaysItHasNoRows()
    {
        var e = Read(Header + "\r\n");

        Assert.Equal($"{folder.File("fish.csv")} has a header (\"{Header}\") but no data rows. ", e.Message);
    }

    [Fact]
    public void ASemicolonSeparatedFileIsRecognised()
    {
        var e = Read("Species;Weight;Length1\nBream;242;23,2\n");

        Assert.StartsWith($"{folder.File("fish.csv")} separates its columns with ';' (header: \"Species;Weight;Length1\")", e.Message);
        Assert.Contains("comma-separated", e.Message);
    }

    [Fact]
    public void ATabSeparatedFileIsRecognised()
    {
        var e = Read("Species\tWeight\tLength1\nBream\t242\t23.2\n");

        Assert.Equal($"{folder.File("fish.csv")} separates its columns with tabs (header, line 1: \"Species\\tWeight\\tLength1\"): "
                     + "it is a tab-separated file, which would be read as one text column. The workbook reads comma-separated "
                     + "files, as pandas' read_csv does: save it as comma-separated CSV, or replace every tab by a comma.", e.Message);
    }

    [Fact]
    public void ARepeatedColumnNameIsNamedWithItsColumns()
    {
        var e = Read("Species,Weight,Length1,\"Weight\"\nBream,242,23.2,243\n");

        Assert.Equal("fish.csv, line 1 (the header): the column name \"Weight\" appears 2 times, as columns 2 and 4. Each column "
                     + "needs its own name: rename all but one (for example \"Weight2\"), or delete the repeated column if it is a copy.",
            e.Message);
    }

    [Theory]
    [InlineData("Infinity", "\"Infinity\" would be read as +infinity")]
    [InlineData("-Infinity", "\"-Infinity\" would be read as -infinity")]
    [InlineData("1e999", "\"1e999\" is beyond the largest number a double holds (about 1.8e308) and would be read as +infinity")]
    public void AnInfiniteValueIsNamedInsteadOfEnteringTheData(string value, string problem)
    {
        var e = Read($"{Header}\nBream,242,23.2,25.4,30,11.52,4.02\nBream,{value},24,26.3,31.2,12.48,4.3056\n");

        Assert.Equal($"fish.csv, column \"Weight\", data row 2: {problem}, which no mean, z-score or training step survives. "
                     + "Correct the value, or leave the cell empty to mark it missing.", e.Message);
    }

    [Fact]
    public void ARowWithMoreValuesThanTheHeaderIsNamed()
    {
        var e = Read("a,b\n1,2\n\"3,5\",4\n6,7,8\n");

        Assert.Equal("fish.csv, line 4: 3 values, but the header names 2 columns (a, b). A value with a comma in it must be in quotes.", e.Message);
    }

    [Fact]
    public void MissingCellsStayMissingAndTextColumnsStayText()
    {
        File.WriteAllText(folder.File("fish.csv"), $"{Header}\nBream,242,23.2,25.4,30,11.52,4.02\nRoach,,19,20.5,NA,6.4752,3.3516\n");

        var frame = FishMarket.ReadCsv(folder.File("fish.csv"));

        Assert.Equal(typeof(string), frame.ColumnTypes.First());
        Assert.Equal(242.0, frame.GetColumn<double>("Weight")[0]);
        Assert.False(frame.GetColumn<double>("Weight").TryGet(1).HasValue);
        var e = Assert.Throws<ArgumentException>(() => FishMarket.ToTensors(frame));
        Assert.Contains("missing values", e.Message);
    }

    DataSetException Read(string text)
    {
        File.WriteAllText(folder.File("fish.csv"), text);
        return Assert.Throws<DataSetException>(() => FishMarket.ReadCsv(folder.File("fish.csv")));
    }
}
