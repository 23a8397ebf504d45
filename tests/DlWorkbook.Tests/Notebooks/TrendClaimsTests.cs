using PrintedRun = WorkbookTool.PrintedRun;
using Trend = WorkbookTool.Trend;
using TrendClaim = WorkbookTool.TrendClaim;
using TrendClaims = WorkbookTool.TrendClaims;

namespace DlWorkbook.Tests.Notebooks;

/// <summary>
/// The prose's rising and falling curves against the curves the runs print: every such sentence is a claim with its
/// chart and curve or a general statement, the quick-run claims hold in every run of the test command, and the
/// full-run claims name curves that the runs print, so that setup's check of a full run finds them. The runs are the
/// prose check's: two threads (dotnet-interactive) and one (the program); dotnet-repl keeps a live chart as pictures only.
/// </summary>
public class TrendClaimsTests
{
    public static TheoryData<string> Notebooks() => new(TestRunOutputs.Notebooks);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EverySentenceThatACurveRisesOrFallsIsCheckedOrStatesNoRunsResult(string notebook)
    {
        var unaccounted = TrendClaims.Unaccounted(Path.Combine(RepoPaths.Notebooks, notebook));
        Assert.True(unaccounted.Count == 0, string.Join("\n", unaccounted));
    }

    [Fact]
    public void EveryListedPhraseIsInItsNotebooksProse()
    {
        var listed = TrendClaims.Claims.Select(c => (c.Notebook, c.Phrase))
            .Concat(TrendClaims.General.Select(g => (g.Notebook, g.Phrase)));
        foreach (var (notebook, phrase) in listed)
            Assert.True(TrendClaims.Sentences(Path.Combine(RepoPaths.Notebooks, notebook)).Any(s => s.Sentence.Contains(phrase, StringComparison.Ordinal)),
                $"{notebook}: TrendClaims lists \"{phrase}\", which no sentence about a rising or falling curve in its prose contains");
        Assert.All(TrendClaims.General, g => Assert.False(string.IsNullOrWhiteSpace(g.Reason), $"{g.Notebook}: \"{g.Phrase}\" has no reason"));
    }

    public static TheoryData<string> QuickClaims() => new(TrendClaims.Claims.Where(c => !c.FullRunOnly).Select(c => c.Phrase));

    [Theory]
    [MemberData(nameof(QuickClaims))]
    public void AClaimQuickModeShowsHoldsInEveryRun(string phrase)
    {
        var claim = TrendClaims.Claims.Single(c => c.Phrase == phrase);
        foreach (var run in ProseClaimsTests.Runs(claim.Notebook))
            Assert.True(TrendClaims.Check(claim, run) is null, $"{claim}: {TrendClaims.Check(claim, run)}");
    }

    public static TheoryData<string> FullRunClaims() => new(TrendClaims.Claims.Where(c => c.FullRunOnly).Select(c => c.Phrase));

    [Theory]
    [MemberData(nameof(FullRunClaims))]
    public void AFullRunClaimsCurvesArePrintedByEveryRunSoSetupFindsThem(string phrase)
    {
        var claim = TrendClaims.Claims.Single(c => c.Phrase == phrase);
        foreach (var run in ProseClaimsTests.Runs(claim.Notebook))
        {
            Assert.True(TrendClaims.CurveOf(run, claim.Chart, claim.Curve, out var printed) is not null, $"{claim}, {run.Name} run: {printed}");
            if (claim.Other is not null)
                Assert.True(TrendClaims.CurveOf(run, claim.Chart, claim.Other, out printed) is not null, $"{claim}, {run.Name} run: {printed}");
        }
    }

    const string Table = """
        losses: cross-entropy loss over epoch
          epoch | train | test
              1 |   1.3 |  1.2
              2 |   0.8 |  0.9
              3 |   0.6 |  1.1
        """;

    const string Summary = """
        Chart: perplexity over epoch
          perplexity: 500 points; first 24.89 at epoch 1, last 1.28 at epoch 500; min 1.207 at epoch 499, max 24.89 at epoch 1
        """;

    static readonly PrintedRun Printed = new("probe", new Dictionary<int, string> { [2] = "before\n" + Table, [5] = Summary });

    static string? Check(string curve, Trend trend, string? other = null, double threshold = double.NaN, string chart = "losses") =>
        TrendClaims.Check(new TrendClaim("99-probe.ipynb", "p", chart, curve, trend, Other: other, Threshold: threshold), Printed);

    [Fact]
    public void ACurveIsReadFromAPrintedTableOrSummaryAndEachTrendIsJudged()
    {
        Assert.Null(Check("train", Trend.Falls));
        Assert.Equal("it went from 1.3 to 0.6", Check("train", Trend.Rises));
        Assert.Null(Check("test", Trend.EndsAboveItsLowest));
        Assert.Equal("its lowest value, 0.6, is its last (0.6): it never climbed", Check("train", Trend.EndsAboveItsLowest));
        Assert.Null(Check("train", Trend.EndsBelow, other: "test"));
        Assert.Equal("it ends at 0.6, test at 1.1", Check("train", Trend.EndsAbove, other: "test"));
        Assert.Equal("it went from 1.3 to 0.6, less than a hundredfold", Check("train", Trend.FallsHundredfold));
        Assert.Equal("value 2, 0.8, is less than ten times value 1, 1.3", Check("train", Trend.GrowsTenfoldEachStep));

        // A long curve is printed as a summary: first, last, min and max, and where the min is.
        Assert.Null(Check("perplexity", Trend.Falls, chart: "Chart"));
        Assert.Null(Check("perplexity", Trend.DropsBelow, threshold: 2, chart: "Chart"));
        Assert.Null(Check("perplexity", Trend.EndsAboveItsLowest, chart: "Chart"));   // min at epoch 499, last at 500
        Assert.Equal("its lowest value is 1.207", Check("perplexity", Trend.DropsBelow, threshold: 1.2, chart: "Chart"));
        Assert.Equal("the run printed only a summary of the curve, not each value",
            Check("perplexity", Trend.GrowsTenfoldEachStep, chart: "Chart"));

        // A renamed chart or curve fails with what the run printed instead.
        Assert.Equal("the probe run printed no curve \"training\" in a chart \"losses\" (its columns: train, test)", Check("training", Trend.Falls));
        Assert.Equal("the probe run printed no curve \"train\" in a chart \"loss\" (no chart of that title)", Check("train", Trend.Falls, chart: "loss"));
        Assert.Equal("the probe run printed no curve \"tokens\" in a chart \"Chart\" (its curves: perplexity)",
            Check("tokens", Trend.Falls, chart: "Chart"));
    }
}
