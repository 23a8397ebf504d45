using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace DlWorkbook.Tests.Display;

/// <summary>What code shows where it runs: printed lines outside a notebook, displayed values inside one.</summary>
static class CellOutputCapture
{
    /// <summary>The lines <paramref name="run"/> prints to the console (callers run in the serial collection).</summary>
    public static string[] Printed(Action run)
    {
        var original = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            run();
        }
        finally
        {
            Console.SetOut(original);
        }
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The values <paramref name="run"/> displays when it runs as a notebook cell (a kernel handling a submission).</summary>
    public static async Task<IReadOnlyList<DisplayedValueProduced>> Displayed(Action run)
    {
        using var kernel = new CellKernel(run);
        var result = await kernel.SendAsync(new SubmitCode("cell"));
        var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
        if (failure is not null) throw new InvalidOperationException(failure.Message, failure.Exception);
        return result.Events.OfType<DisplayedValueProduced>().ToList();
    }

    /// <summary>A kernel that runs a C# delegate for every submission, as a cell would run.</summary>
    sealed class CellKernel(Action run) : Kernel("cell"), IKernelCommandHandler<SubmitCode>
    {
        public Task HandleAsync(SubmitCode command, KernelInvocationContext context)
        {
            run();
            return Task.CompletedTask;
        }
    }
}
