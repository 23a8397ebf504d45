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

    [Fact]
    public void ALearnersOwnMatmulIsLeftAlone()
    {
        Assert.Equal("42", Run("class Doubler { public int matmul(int x) => 2 * x; }\nnew Doubler().matmul(21).ToString()"));
    }

    [Fact]
    public void RewriteKeepsTheLinesAndTouchesOnlyTorchCalls()
    {
        Assert.Equal(
            "DlWorkbook.Tensors.CheckedMatmul.Matmul(a, DlWorkbook.Tensors.CheckedMatmul.Matmul(b.T, b))",
            CheckedMatmulHook.Rewrite("a.matmul(b.T.matmul(b))", csharp));
        Assert.Equal(
            "var c = DlWorkbook.Tensors.CheckedMatmul.Matmul(a, // the weights\n    \n   b);",
            CheckedMatmulHook.Rewrite("var c = a // the weights\n    .matmul(\n   b);", csharp));
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
