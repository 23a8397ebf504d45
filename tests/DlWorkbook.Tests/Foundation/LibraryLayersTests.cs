using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DlWorkbook.Tests.Foundation;

/// <summary>
/// The library reads top-down (README, "Layout"): each layer names only the layers below it, bound by Roslyn's
/// semantic model, so a fully qualified name, an extension method or a <c>cref</c> counts as much as a <c>using</c>.
/// </summary>
public class LibraryLayersTests
{
    /// <summary>
    /// The layers bottom to top, by namespace under <c>DlWorkbook</c> ("" is <c>Workbook.cs</c>); a layer may use the
    /// layers before it in this list and those in its own group, as long as no two folders use each other.
    /// </summary>
    static readonly string[][] BottomToTop =
    [
        ["Runtime"],
        ["Tensors", ""],
        ["Data", "Layers"],
        ["Training", "Exercises"],
        ["Display"],
        ["Apps", "Interactive"],
    ];

    static readonly Lazy<IReadOnlyList<Use>> Uses = new(FindUses);

    [Fact]
    public void OnlyTheHostsAboveDisplayNameIt()
    {
        var below = Uses.Value.Where(u => u.To == "Display" && u.From is not ("Display" or "Apps" or "Interactive")).ToList();

        Assert.True(below.Count == 0, "Display draws what the layers below it compute; they never name it "
            + "(declare a picture of their types in Display, as an extension member, instead):\n" + string.Join("\n", below));
    }

    [Fact]
    public void EveryLayerUsesOnlyTheLayersBelowIt()
    {
        var upward = Uses.Value.Where(u => Rank(u.To) > Rank(u.From)).ToList();

        Assert.True(upward.Count == 0, "a layer names one above it:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void NoTwoFoldersUseEachOther()
    {
        var edges = Uses.Value.Where(u => u.From != u.To).Select(u => (u.From, u.To)).ToHashSet();

        var both = edges.Where(e => edges.Contains((e.To, e.From)) && string.CompareOrdinal(e.From, e.To) < 0)
            .Select(e => $"{Shown(e.From)} ↔ {Shown(e.To)}: " + string.Join("; ", Uses.Value.Where(u =>
                (u.From, u.To) == e || (u.From, u.To) == (e.To, e.From)).Take(4))).ToList();
        Assert.True(both.Count == 0, "folders that use each other:\n" + string.Join("\n", both));
    }

    [Fact]
    public void TheScanSeesEveryLayer()
    {
        // A scan that bound nothing would pass the tests above; these uses are known to exist.
        var edges = Uses.Value.Select(u => (u.From, u.To)).ToHashSet();

        Assert.Contains(("Display", "Training"), edges);
        Assert.Contains(("Display", "Data"), edges);
        Assert.Contains(("Training", "Data"), edges);
        Assert.Contains(("Apps", "Display"), edges);
        Assert.Contains(("Interactive", "Display"), edges);
        Assert.Equal(BottomToTop.SelectMany(g => g).Order(), Uses.Value.Select(u => u.From).Distinct().Order());
    }

    /// <summary>A name in <paramref name="File"/> (a layer's folder) that binds to something in layer <paramref name="To"/>.</summary>
    sealed record Use(string From, string To, string File, int Line, string Name)
    {
        public override string ToString() => $"{File}({Line}): {Name} is in {Shown(To)}";
    }

    static string Shown(string layer) => layer.Length == 0 ? "DlWorkbook (Workbook.cs)" : layer;

    static int Rank(string layer)
    {
        var rank = Array.FindIndex(BottomToTop, g => g.Contains(layer));
        return rank >= 0 ? rank : throw new InvalidOperationException(
            $"The namespace DlWorkbook.{layer} is in no layer; add it to {nameof(BottomToTop)} where it belongs.");
    }

    static List<Use> FindUses()
    {
        var compilation = LibraryCompilation.Library;
        var uses = new List<Use>();
        foreach (var tree in compilation.SyntaxTrees.Where(t => t.FilePath.Length > 0))
        {
            var root = tree.GetRoot();
            var declared = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).Distinct().Single();
            var from = Layer(declared) ?? throw new InvalidOperationException($"{tree.FilePath} is not in a DlWorkbook namespace");
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in root.DescendantNodes(descendIntoTrivia: true).OfType<SimpleNameSyntax>().Where(Counts))
            {
                var info = model.GetSymbolInfo(name);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (symbol is null || Layer(NamespaceOf(symbol)) is not { } to) continue;
                uses.Add(new Use(from, to, tree.FilePath, name.GetLocation().GetLineSpan().StartLinePosition.Line + 1, name.ToString()));
            }
        }
        return uses;
    }

    /// <summary>Not the file's own namespace declaration, nor <c>DlWorkbook</c> in <c>DlWorkbook.Data</c> (the name on the right counts).</summary>
    static bool Counts(SimpleNameSyntax name) =>
        !name.Ancestors().Any(a => a is NameSyntax && a.Parent is BaseNamespaceDeclarationSyntax)
        && !(name.Parent is QualifiedNameSyntax q && q.Left == name);

    static string NamespaceOf(ISymbol symbol) => symbol switch
    {
        INamespaceSymbol ns => ns.ToDisplayString(),
        _ => symbol.ContainingNamespace?.ToDisplayString() ?? "",
    };

    /// <summary>"Training" for DlWorkbook.Training (and its child namespaces), "" for DlWorkbook, null outside.</summary>
    static string? Layer(string ns) =>
        ns == "DlWorkbook" ? "" : ns.StartsWith("DlWorkbook.", StringComparison.Ordinal) ? ns["DlWorkbook.".Length..].Split('.')[0] : null;
}
