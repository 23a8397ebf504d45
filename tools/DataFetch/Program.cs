// DataFetch: every data set into the workbook's cache (data/, or DLWORKBOOK_DATA_DIR), copied from
// DLWORKBOOK_DATA_MIRROR when it is set, else downloaded and checked against its SHA-256. Run from the repository root.
using CommandLines;
using DlWorkbook.Data;

return new ToolCommand("DataFetch", "Fetches every data set into the workbook's cache.").Run(args, _ =>
{
    var cache = DataCache.Default;
    try
    {
        foreach (var file in DataManifest.All) cache.Fetch(file);
    }
    catch (DataSetException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
    Console.WriteLine($"data: {DataManifest.All.Count} files in {cache.Folder}");
    return 0;
});
