namespace DlWorkbook.Exercises.Catalogue;

internal static class Exercises04
{
    public static IEnumerable<CatalogueEntry> All => [];
}
