using System.Text.Json.Nodes;

namespace DlWorkbook.Tests.Site;

/// <summary>Small executed notebooks written to a temporary folder, with every kind of output the site shows.</summary>
sealed class FixtureNotebooks : IDisposable
{
    public FixtureNotebooks()
    {
        Root = Directory.CreateTempSubdirectory("dlw-site-").FullName;
        Directory.CreateDirectory(Notebooks);
        Directory.CreateDirectory(Images);
        File.WriteAllText(Path.Combine(Images, "loop.svg"),
            """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#def"/><text x="10" y="25">loop</text></svg>""");
    }

    public string Root { get; }
    public string Notebooks => Path.Combine(Root, "out", "notebooks");
    public string Images => Path.Combine(Root, "images");
    public string Site => Path.Combine(Root, "out", "site");

    public static JsonObject Markdown(string source) => new() { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source };

    public static JsonObject Code(string source, params JsonObject[] outputs) => new()
    {
        ["cell_type"] = "code", ["execution_count"] = 1, ["metadata"] = new JsonObject(), ["source"] = source,
        ["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray()),
    };

    public static JsonObject DisplayData(string mime, JsonNode content) => new()
    {
        ["output_type"] = "display_data", ["metadata"] = new JsonObject(), ["data"] = new JsonObject { [mime] = content },
    };

    public static JsonObject Bundle(params (string Mime, JsonNode Content)[] parts)
    {
        var data = new JsonObject();
        foreach (var (mime, content) in parts) data[mime] = content;
        return new JsonObject { ["output_type"] = "display_data", ["metadata"] = new JsonObject(), ["data"] = data };
    }

    public static JsonObject Stream(string text, string name = "stdout") => new() { ["output_type"] = "stream", ["name"] = name, ["text"] = text };

    public static JsonObject Error(string ename, string evalue) => new()
    {
        ["output_type"] = "error", ["ename"] = ename, ["evalue"] = evalue, ["traceback"] = new JsonArray(),
    };

    /// <summary>A chart output as the workbook's formatters make it: Plotly JSON, SVG and text.</summary>
    public static JsonObject Chart() => Bundle(
        ("application/vnd.plotly.v1+json", JsonNode.Parse("""{"data":[{"type":"scatter","name":"loss","mode":"lines+markers","x":[1,2,3],"y":[0.9,0.5,0.3]}],"layout":{"width":600,"height":320,"xaxis":{"title":{"text":"epoch"}},"yaxis":{"title":{"text":"loss"}}}}""")!),
        ("image/svg+xml", JsonValue.Create("""<svg xmlns="http://www.w3.org/2000/svg" width="600" height="320"><text x="10" y="20">static chart</text></svg>""")),
        ("text/plain", JsonValue.Create("Chart: loss over epoch")));

    /// <summary>Writes a notebook of <paramref name="cells"/> as <paramref name="name"/>.</summary>
    public string Write(string name, params JsonObject[] cells)
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
            ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(Notebooks, name);
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    /// <summary>Two notebooks with math, code, a table, a tensor, a chart, an image, streams and links between them.</summary>
    public void WriteCourse()
    {
        Write("00-first.ipynb",
            Markdown("# 00 · First steps\n\nA model $\\hat y = w\\,x + b$ with $w_1 < 2$.\n\n$$L(w) = \\frac{1}{n}\\sum_{i=1}^n (\\hat y_i - y_i)^2$$\n\n## The loop\n\n![The loop](../images/loop.svg)\n\nNext: [the second notebook](01-second.ipynb#the-chart)."),
            Code("#r \"nuget: DlWorkbook, *-*\"\n// a comment\nvar x = torch.ones(2, 3);\nConsole.WriteLine($\"shape {x.shape[0]}\");\nx",
                Stream("shape 2\n"),
                DisplayData("text/html", JsonValue.Create("<div class=\"dlw-tensor\"><pre>tensor([[1., 1., 1.],\n        [1., 1., 1.]])</pre></div>")!)),
            Markdown("### A table\n\n| a | b |\n| --- | --- |\n| 1 | 2 |"),
            Code("Formula.Latex($$\"\"\"L = {{loss:F2}}\"\"\")", DisplayData("text/latex", JsonValue.Create("$$L = 0.25,\\quad \\eta < 2 / \\lambda_\\max$$")!)));
        Write("01-second.ipynb",
            Markdown("# 01 · Second\n\nBack to [the start](00-first.ipynb) or [the loop](00-first.ipynb#the-loop).\n\n## The chart"),
            Code("Plots.Curves(...)", Chart()),
            Code("Console.Error.WriteLine(\"careful\");", Stream("careful\n", "stderr")));
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
