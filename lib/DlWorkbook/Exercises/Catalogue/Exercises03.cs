namespace DlWorkbook.Exercises.Catalogue;

internal static class Exercises03
{
    public static IEnumerable<CatalogueEntry> All => [];
}
