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
    readonly CSharpKernel csharp = new();

    public CheckedMatmulHookTests()
    {
        kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        csharp.AddAssemblyReferences([typeof(torch).Assembly.Location, typeof(CheckedMatmul).Assembly.Location]);
        CheckedMatmulHook.Install(kernel);
        Run("using TorchSharp;\nusing static TorchSharp.torch;\nvar a = ones(2, 3);\nvar b = ones(4, 5);");
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
            CheckedMatmulHook.Rewrite("a.matmul(b.T.matmul(b))", csharp.ScriptState));
        Assert.Equal(
            "var c = DlWorkbook.Tensors.CheckedMatmul.Matmul(a, // the weights\n    \n   b);",
            CheckedMatmulHook.Rewrite("var c = a // the weights\n    .matmul(\n   b);", csharp.ScriptState));
        Assert.Null(CheckedMatmulHook.Rewrite("var c = a.mm(b);", csharp.ScriptState));
        Assert.Null(CheckedMatmulHook.Rewrite("// matmul in a comment only", csharp.ScriptState));
    }

    string? Run(string code)
    {
        var result = kernel.SendAsync(new SubmitCode(code)).GetAwaiter().GetResult();
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failed is null, failed?.Message);
        return result.Events.OfType<ReturnValueProduced>().FirstOrDefault()?.Value?.ToString();
    }

    string Fail(string code)
    {
        var result = kernel.SendAsync(new SubmitCode(code)).GetAwaiter().GetResult();
        var failed = result.Events.OfType<CommandFailed>().SingleOrDefault();
        Assert.NotNull(failed);
        return failed.Message;
    }
}
