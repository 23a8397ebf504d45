using System.Diagnostics;
using CommandLines;

namespace WorkbookTool;

/// <summary>Runs one command: its steps in order, stopping at the first that fails, with a closing line.</summary>
public static class Cli
{
    public const string Usage = "dotnet run --project tools/Workbook --";

    /// <summary>Runs the command <paramref name="args"/> names; help and bad arguments go to <paramref name="output"/> and <paramref name="error"/> (default: the console).</summary>
    public static int Run(string[] args, Workspace workspace, TextWriter? output = null, TextWriter? error = null)
    {
        var tool = new ToolCommand("workbook", $"The workbook's commands, run as `{Usage} <command> [options]`.");
        foreach (var command in Commands.All) tool.Subcommands.Add(command.Syntax());
        return tool.Run(args is ["help"] ? ["--help"] : args, parsed =>
            Run(Commands.All.Single(c => c.Name == parsed.CommandResult.Command.Name), Invocation.Of(parsed), workspace), output, error);
    }

    static int Run(Command command, Invocation invocation, Workspace workspace)
    {
        var total = Stopwatch.StartNew();
        var times = new List<string>();
        foreach (var step in command.Steps)
        {
            var clock = Stopwatch.StartNew();
            var code = step.Run(workspace, invocation);
            if (code != 0)
            {
                Console.Error.WriteLine($"{command.Name}: stopped at step '{step.Name}' (exit code {code}).");
                return code;
            }
            if (clock.Elapsed.TotalSeconds >= 1) times.Add($"{step.Name} {clock.Elapsed.TotalSeconds:0} s");
        }
        Console.WriteLine($"{command.Name}: done in {total.Elapsed.TotalSeconds:0} s ({string.Join(", ", times)})");
        return 0;
    }
}
