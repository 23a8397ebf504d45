namespace DlWorkbook.Exercises.Catalogue;

internal static class Exercises05
{
    public static IEnumerable<CatalogueEntry> All => [];
}
