namespace DlWorkbook.Exercises.Catalogue;

internal static class Exercises01
{
    public static IEnumerable<CatalogueEntry> All => [];
}
