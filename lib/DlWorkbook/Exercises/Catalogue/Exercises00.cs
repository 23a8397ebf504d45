namespace DlWorkbook.Exercises.Catalogue;

internal static class Exercises00
{
    public static IEnumerable<CatalogueEntry> All => [];
}
