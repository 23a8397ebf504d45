namespace WorkbookTool;

/// <summary>One thing a command does: returns 0 to go on; anything else stops the command with that exit code.</summary>
public sealed record Step(string Name, Func<Workspace, Invocation, int> Run);

/// <summary>
/// A command of README: its name, what it does, whether it takes <c>--quick</c>, which program gets
/// the rest of its arguments, and its steps in order.
/// </summary>
public sealed record Command(string Name, string Summary, bool TakesQuick, string? PassesTo, IReadOnlyList<Step> Steps)
{
    /// <summary>The command's options as the usage text shows them.</summary>
    public string Options =>
        string.Join(" ", new[] { TakesQuick ? "[--quick]" : null, PassesTo is null ? null : $"[{PassesTo} options]" }.OfType<string>());
}

/// <summary>How a command was called: the quick flag and the arguments it passes on.</summary>
public sealed record Invocation(bool Quick, IReadOnlyList<string> PassThrough)
{
    /// <summary>Reads a command's arguments: <c>--quick</c> where the command takes it; everything else is passed on.</summary>
    /// <exception cref="ArgumentException">Arguments for a command that passes nothing on.</exception>
    public static Invocation Parse(Command command, IEnumerable<string> args)
    {
        var quick = false;
        var rest = new List<string>();
        foreach (var arg in args)
        {
            if (arg == "--quick" && command.TakesQuick) quick = true;
            else rest.Add(arg);
        }
        if (rest.Count > 0 && command.PassesTo is null)
            throw new ArgumentException($"'{command.Name}' takes no arguments (got: {string.Join(' ', rest)}).");
        return new Invocation(quick, rest);
    }
}
