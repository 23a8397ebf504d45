using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Deedle;
using DlWorkbook.Display;
using DlWorkbook.Interactive;
using DlWorkbook.Runtime;
using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;

namespace DlWorkbook.Tests.Foundation;

public class FrameTableTests
{
    static Frame<int, string> Frame(int rows) =>
        Deedle.Frame.FromColumns(new Dictionary<string, Series<int, double>>
        {
            ["x"] = new(Enumerable.Range(0, rows), Enumerable.Range(0, rows).Select(i => i / 4.0)),
        });

    [Fact]
    public void ShortFramesShowEveryRow()
    {
        var html = FrameTable.ToHtml(Frame(3));
        Assert.StartsWith("<table class=\"dlw-frame\"><thead><tr><th></th><th>x</th></tr></thead>", html);
        Assert.Contains("<tr><th>2</th><td>0.5</td></tr>", html);
        Assert.Contains("3 rows × 1 columns", html);
        Assert.DoesNotContain("…", html);
    }

    [Fact]
    public void LongFramesShowFirstAndLastRowsAroundAGap()
    {
        var html = FrameTable.ToHtml((object)Frame(159));
        Assert.Contains("<tr><th>4</th><td>1</td></tr><tr><td>…</td><td>…</td></tr><tr><th>154</th><td>38.5</td></tr>", html);
        Assert.DoesNotContain("<th>5</th>", html);
        Assert.Contains("<th>158</th>", html);
        Assert.Contains("159 rows × 1 columns", html);
    }

    [Fact]
    public void NonFramesAreRejectedWithTheirType()
    {
        var e = Assert.Throws<ArgumentException>(() => FrameTable.ToHtml("not a frame"));
        Assert.Contains("got String", e.Message);
    }
}

public class FormulaTests
{
    [Fact]
    public void NumbersUseADecimalPointWhateverTheCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var mse = 44.0 / 3;
            Assert.Equal(@"$$\mathrm{MSE} = \frac{44}{3} = 14.667$$",
                Formula.Latex($$"""\mathrm{MSE} = \frac{44}{3} = {{mse:F3}}""").ToString());
        }
        finally { CultureInfo.CurrentCulture = previous; }
    }

    [Fact]
    public void PlainTexIsWrappedOnce() =>
        Assert.Equal("$$a^2$$", Formula.FromTex("$$a^2$$").ToString());
}

/// <summary>Reseeds the global generator and sets the quick-mode variable, so it runs alone.</summary>
[Collection(SerialCollection.Name), Trait(SerialCollection.Trait, SerialCollection.Alone)]
public class WorkbookTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("0", false)]
    [InlineData(null, false)]
    public void QuickModeFollowsTheEnvironment(string? value, bool quick)
    {
        var previous = Environment.GetEnvironmentVariable(Workbook.QuickModeVariable);
        Environment.SetEnvironmentVariable(Workbook.QuickModeVariable, value);
        try
        {
            Assert.Equal(quick, Workbook.QuickMode);
            Assert.Equal(quick ? 1 : 10, Workbook.Pick(full: 10, quick: 1));
        }
        finally { Environment.SetEnvironmentVariable(Workbook.QuickModeVariable, previous); }
    }

    [Fact]
    public void SeedMakesTorchRandMatchPyTorch()
    {
        // Notebook 03, §3.2: torch.rand(3, 5) after seeding 42, as PyTorch prints it.
        Workbook.Seed(42);
        using var w = torch.rand(3, 5);
        Assert.Equal(
            "tensor([[0.8823, 0.9150, 0.3829, 0.9593, 0.3904],\n" +
            "        [0.6009, 0.2566, 0.7936, 0.9408, 0.1332],\n" +
            "        [0.9346, 0.5936, 0.8694, 0.5677, 0.7411]])",
            TensorText.Format(w));
        Assert.Equal(42, Workbook.CurrentSeed);
    }
}

public class KernelExtensionTests
{
    [Fact]
    public void FSharpCoreRequestsOfAnyVersionGetTheLoadedCopy()
    {
        _ = typeof(Frame).Assembly; // Deedle loads FSharp.Core
        _ = Deedle.Frame.FromRecords(new[] { new { A = 1 } }).RowCount;
        var loaded = FSharpCoreUnifier.Loaded();
        Assert.NotNull(loaded);
        var wanted = new AssemblyName("FSharp.Core, Version=99.1.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a");
        Assert.Same(loaded, FSharpCoreUnifier.Resolve(AssemblyLoadContext.Default, wanted));
        Assert.Null(FSharpCoreUnifier.Resolve(AssemblyLoadContext.Default, new AssemblyName("Other.Library")));
    }

    [Fact]
    public void FormattersShowTensorsAndFrames()
    {
        TorchNative.EnsureLoaded();
        WorkbookKernelExtension.RegisterFormatters();
        using var t = torch.tensor(new float[] { 0.5f, 0.25f });
        Assert.Equal("tensor([0.5000, 0.2500])\nshape [2] · float32 · cpu", t.ToDisplayString(PlainTextFormatter.MimeType));
        Assert.Contains("<pre style=\"margin:2px 0\">tensor([0.5000, 0.2500])</pre>", t.ToDisplayString(HtmlFormatter.MimeType));
        var frame = Deedle.Frame.FromRecords(new[] { new { A = 1.5 } });
        Assert.StartsWith("<table class=\"dlw-frame\">", frame.ToDisplayString(HtmlFormatter.MimeType));
    }
}
