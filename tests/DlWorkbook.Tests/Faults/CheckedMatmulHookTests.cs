using DlWorkbook.Interactive;
using DlWorkbook.Tensors;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using TorchSharp;

namespace DlWorkbook.Tests.Faults;

/// <summary>
/// The notebook side: a real C# kernel (the one VS Code and dotnet-repl run) with the hook installed. A mistyped
/// matmul fails its cell with the checked message and the kernel runs the next cell; without the hook the same
/// cell would end the test process.
/// </summary>
public sealed class CheckedMatmulHookTests : IDisposable
{
    readonly CompositeKernel kernel;
    readonly CSharpKernel csharp;

    static readonly string[] References = [typeof(torch).Assembly.Location, typeof(CheckedMatmul).Assembly.Location];

    public CheckedMatmulHookTests()
    {
        kernel = Kernel(out csharp);
        csharp.AddAssemblyReferences(References);
        Run("using TorchSharp;\nusing static TorchSharp.torch;\nvar a = ones(2, 3);\nvar b = ones(4, 5);");
    }

    /// <summary>A notebook's kernel: a composite with one C# kernel, the hook installed as the extension installs it.</summary>
    static CompositeKernel Kernel(out CSharpKernel csharp)
    {
        csharp = new CSharpKernel();
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        CheckedMatmulHook.Install(composite);
        return composite;
    }

    public void Dispose() => kernel.Dispose();

    [Theory]
    [InlineData("torch.matmul(a, b)")]
    [InlineData("a.matmul(b)")]
    [InlineData("matmul(a, b)")]
    [InlineData("var c = b.T.matmul(a.matmul(b));")]
    [InlineData("Console.WriteLine($\"{a.matmul(b)}\");")]
    public void AMismatchFailsTheCellAndTheKernelRunsOn(string cell)
    {
        var failure = Fail(cell);
        Assert.Contains("matmul cannot multiply shapes [2, 3] and [4, 5]", failure);
        Assert.Contains("Rule:", failure);

        Assert.Equal("[2, 2]", Run("var ok = a.matmul(ones(3, 2));\n$\"[{string.Join(\", \", ok.shape)}]\""));
    }

    /// <summary>
    /// Every other way a cell can reach TorchSharp's matmul: conditional access, method groups (assigned, inferred,
    /// passed as an argument), named arguments, dynamic binding, a Unicode escape in the name, an expression tree.
    /// Before each was rewritten, each of these cells ended the test process (exit 134).
    /// </summary>
    [Theory]
    [InlineData("a?.matmul(b)")]
    [InlineData("var c = a?.matmul(b).sum();")]
    [InlineData("var t = a.T;\nvar c = t?.T?.matmul(b);")]
    [InlineData("var c = a?.matmul(ones(3, 3))?.matmul(b);")]
    [InlineData("Func<Tensor, Tensor, Tensor> f = torch.matmul;\nf(a, b);")]
    [InlineData("Func<Tensor, Tensor, Tensor> f = matmul;\nf(a, b);")]
    [InlineData("var f = TorchSharp.torch.matmul;\nf(a, b);")]
    [InlineData("Func<Tensor, Tensor> g = a.matmul;\ng(b);")]
    [InlineData("var c = a?.T.T.matmul(b).sum();")]
    [InlineData("var list = new List<Tensor> { a };\nvar c = list?[0].matmul(b);")]
    [InlineData("var c = a?.T.T\n    .matmul(ones(3, 3)).matmul(b);")]
    [InlineData("new[] { b }.Aggregate(a, torch.matmul);")]
    [InlineData("static Tensor Apply(Func<Tensor, Tensor, Tensor> op, Tensor x, Tensor y) => op(x, y);\nApply(matmul, a, b);")]
    [InlineData("torch.matmul(target: b, input: a);")]
    [InlineData("a.matmul(target: b);")]
    [InlineData("dynamic d = a;\nd.matmul(b);")]
    [InlineData("torch.matmul((dynamic)a, b);")]
    [InlineData("a.matmul((dynamic)b);")]
    [InlineData("a.\\u006Datmul(b);")]
    [InlineData("System.Linq.Expressions.Expression<Func<Tensor, Tensor, Tensor>> e = (x, y) => x.matmul(y);\ne.Compile()(a, b);")]
    public void EveryWayToReachMatmulIsChecked(string cell)
    {
        var failure = Fail(cell);
        Assert.Contains("matmul cannot multiply shapes [2, 3] and [4, 5]", failure);

        Assert.Equal("[2, 2]", Run("Func<Tensor, Tensor> ok = a.matmul;\nvar r = a?.matmul(ones(3, 2)) + ok(ones(3, 2));\n$\"[{string.Join(\", \", r.shape)}]\""));
    }

    [Fact]
    public void TheFirstCellOfAFreshKernelIsCheckedToo()
    {
        using var fresh = Kernel(out var csharp);
        csharp.AddAssemblyReferences(References);

        var failure = Fail(fresh, "using static TorchSharp.torch;\nvar x = ones(2, 3);\nx.matmul(ones(4, 5));");

        Assert.Contains("matmul cannot multiply shapes [2, 3] and [4, 5]", failure);
    }

    [Fact]
    public void ReferencesAddedAfterTheLastCellAreSeen()
    {
        // As after `#r "nuget: DlWorkbook"` in a kernel that already ran a cell.
        using var fresh = Kernel(out var csharp);
        Run(fresh, "var before = 1;");
        csharp.AddAssemblyReferences(References);

        var failure = Fail(fresh, "var x = TorchSharp.torch.ones(2, 3);\nTorchSharp.torch.matmul(x, x);");

        Assert.Contains("matmul cannot multiply shapes [2, 3] and [2, 3]", failure);
    }

    [Fact]
    public void LineNumbersOfLaterLinesStayTheSame()
    {
        var failure = Fail("var c = a\n    .matmul(\n        ones(3, 2));\nvar d = torch\n  .matmul(a, ones(3));\nundefinedName++;");

        Assert.Contains("(6,1)", failure);   // the compiler's line and column of the undefined name
    }

    [Theory]
    [InlineData("new Doubler().matmul(21).ToString()", "42")]
    [InlineData("new Doubler()?.matmul(21).ToString()", "42")]
    [InlineData("nameof(torch.matmul) + nameof(a.matmul)", "matmulmatmul")]
    public void ALearnersOwnMatmulIsLeftAlone(string expression, string expected)
    {
        Run("class Doubler { public int matmul(int x) => 2 * x; }");
        Assert.Equal(expected, Run(expression));
        Assert.Null(CheckedMatmulHook.Rewrite(expression, csharp));
    }

    [Fact]
    public void ADynamicReceiverThatIsNoTensorKeepsItsOwnMatmul()
    {
        // Bound at run time, so the receiver is wrapped anyway; anything but a tensor passes through unchanged.
        Run("class Doubler { public int matmul(int x) => 2 * x; }");
        Assert.Equal("42", Run("((dynamic)new Doubler()).matmul(21).ToString()"));
        Assert.Equal("42", Run("dynamic d = new Doubler();\nd?.matmul(21).ToString()"));
    }

    [Fact]
    public void RewriteKeepsTheLinesAndTouchesOnlyTorchCalls()
    {
        const string On = "DlWorkbook.Tensors.CheckedMatmul.On";
        const string Matmul = "DlWorkbook.Tensors.CheckedMatmul.Matmul";
        Assert.Equal($"{On}(a).matmul({On}(b.T).matmul(b))", CheckedMatmulHook.Rewrite("a.matmul(b.T.matmul(b))", csharp));
        Assert.Equal(
            $"var c = {On}(a) // the weights\n    .matmul(\n   b);",
            CheckedMatmulHook.Rewrite("var c = a // the weights\n    .matmul(\n   b);", csharp));
        Assert.Equal($"{On}(a)?.matmul(b)", CheckedMatmulHook.Rewrite("a?.matmul(b)", csharp));
        Assert.Equal($"{On}({On}(a)?.matmul(b.T))?.matmul(b)", CheckedMatmulHook.Rewrite("a?.matmul(b.T)?.matmul(b)", csharp));
        Assert.Equal($"var c = {On}(a?.T\n  ?.T)\n  ?.matmul(b);", CheckedMatmulHook.Rewrite("var c = a?.T\n  ?.T\n  ?.matmul(b);", csharp));
        Assert.Equal($"Func<Tensor, Tensor, Tensor> f = {Matmul};", CheckedMatmulHook.Rewrite("Func<Tensor, Tensor, Tensor> f = torch.matmul;", csharp));
        Assert.Equal($"Func<Tensor, Tensor> g = {On}(a).matmul;", CheckedMatmulHook.Rewrite("Func<Tensor, Tensor> g = a.matmul;", csharp));
        Assert.Equal($"{On}({On}(a?.T)\n  ?.matmul(b.T))?.matmul(b).sum()", CheckedMatmulHook.Rewrite("a?.T\n  .matmul(b.T).matmul(b).sum()", csharp));
        Assert.Null(CheckedMatmulHook.Rewrite("var c = a.mm(b);", csharp));
        Assert.Null(CheckedMatmulHook.Rewrite("// matmul in a comment only", csharp));
    }

    string? Run(string code) => Run(kernel, code);

    string Fail(string code) => Fail(kernel, code);

    static string? Run(Kernel kernel, string code)
    {
        var result = kernel.SendAsync(new SubmitCode(code)).GetAwaiter().GetResult();
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failed is null, failed?.Message);
        return result.Events.OfType<ReturnValueProduced>().FirstOrDefault()?.Value?.ToString();
    }

    static string Fail(Kernel kernel, string code)
    {
        var result = kernel.SendAsync(new SubmitCode(code)).GetAwaiter().GetResult();
        var failed = result.Events.OfType<CommandFailed>().SingleOrDefault();
        Assert.NotNull(failed);
        return failed.Message;
    }
}
