using System.Xml.Linq;

namespace WorkbookTool;

/// <summary>Passed and failed tests summed over the TRX files of a test run (TRX is not translated, unlike the console summary).</summary>
public sealed record TestCounts(int Passed, int Failed)
{
    /// <summary>The counts of every *.trx under <paramref name="folder"/>, or null when there is none.</summary>
    public static TestCounts? Read(string folder)
    {
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.trx", SearchOption.AllDirectories) : [];
        if (files.Length == 0) return null;
        var counters = files.Select(f => XDocument.Load(f).Descendants().First(e => e.Name.LocalName == "Counters")).ToList();
        return new TestCounts(counters.Sum(c => Count(c, "passed")), counters.Sum(c => Count(c, "failed")));
    }

    /// <summary>
    /// Why tests were skipped (a test that needs a browser or a network namespace this machine lacks): each distinct
    /// reason with how many tests it skipped, from the TRX files under <paramref name="folder"/>.
    /// </summary>
    public static IReadOnlyList<(string Reason, int Tests)> SkipReasons(string folder) =>
        (Directory.Exists(folder) ? Directory.GetFiles(folder, "*.trx", SearchOption.AllDirectories) : [])
            .SelectMany(f => XDocument.Load(f).Descendants().Where(e => e.Name.LocalName == "UnitTestResult"
                                                                       && (string?)e.Attribute("outcome") == "NotExecuted"))
            .Select(r => r.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value.Trim() ?? "no reason given")
            .GroupBy(reason => reason).Select(g => (g.Key, g.Count())).ToList();

    static int Count(XElement counters, string name) => int.TryParse(counters.Attribute(name)?.Value, out var n) ? n : 0;
}
