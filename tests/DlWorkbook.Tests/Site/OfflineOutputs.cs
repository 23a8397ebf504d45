using SiteBuilder;

namespace DlWorkbook.Tests.Site;

/// <summary>The check the notebook smoke test runs on every executed notebook: no output may need the network.</summary>
public static class OfflineOutputs
{
    /// <summary>Fails with one line per address ("NOTEBOOK, cell N (MIME type): ADDRESS") if any output of the notebook loads from the network.</summary>
    public static void AssertNoExternalUrls(string executedNotebook)
    {
        var found = ExternalUrls.InNotebook(executedNotebook);
        Assert.True(found.Count == 0,
            "Outputs that load from the network (charts must use the workbook's offline formatters; see README, \"Charts without network\"):\n"
            + string.Join("\n", found));
    }
}
