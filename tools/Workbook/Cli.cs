using System.Diagnostics;

namespace WorkbookTool;

/// <summary>Runs one command: its steps in order, stopping at the first that fails, with a closing line.</summary>
public static class Cli
{
    public const string Usage = "dotnet run --project tools/Workbook --";

    public static int Run(string[] args, Workspace workspace)
    {
        var command = args.Length == 0 ? null : Commands.All.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            var asked = args.Length > 0 && args[0] is "help" or "--help" or "-h";
            var output = asked ? Console.Out : Console.Error;
            if (args.Length > 0 && !asked) output.WriteLine($"workbook: unknown command '{args[0]}'.");
            output.WriteLine($"Usage: {Usage} <command> [options]");
            foreach (var c in Commands.All)
                output.WriteLine($"  {c.Name,-6} {c.Options,-36} {c.Summary}");
            return asked ? 0 : 2;
        }
        Invocation invocation;
        try
        {
            invocation = Invocation.Parse(command, args.Skip(1));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"workbook: {e.Message}");
            return 2;
        }
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
