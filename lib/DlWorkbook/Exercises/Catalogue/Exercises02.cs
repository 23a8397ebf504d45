namespace DlWorkbook.Exercises.Catalogue;

internal static class Exercises02
{
    public static IEnumerable<CatalogueEntry> All => [];
}
