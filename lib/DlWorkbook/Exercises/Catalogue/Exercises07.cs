namespace DlWorkbook.Exercises.Catalogue;

internal static class Exercises07
{
    public static IEnumerable<CatalogueEntry> All => [];
}
