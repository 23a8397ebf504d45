namespace DlWorkbook.Exercises.Catalogue;

internal static class Exercises06
{
    public static IEnumerable<CatalogueEntry> All => [];
}
