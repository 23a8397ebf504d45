using System.CommandLine.Parsing;
using CommandLines;
using Syntax = System.CommandLine;

namespace WorkbookTool;

/// <summary>One thing a command does: returns 0 to go on; anything else stops the command with that exit code.</summary>
public sealed record Step(string Name, Func<Workspace, Invocation, int> Run);

/// <summary>An option of a command that is on or off.</summary>
public sealed record Flag(string Name, string Description)
{
    /// <summary><c>--quick</c>: the shrunken run CI uses.</summary>
    public static Flag Quick { get; } = new("--quick", "the shrunken run CI uses: fewer epochs, less data, the same code paths");

    /// <summary><c>--reset</c> of <c>progress</c>.</summary>
    public static Flag Reset { get; } = new("--reset", "forget every result");
}

/// <summary>
/// A command of README: its name, what it does, its flags, which program gets the rest of its arguments (none: the
/// command takes no others), and its steps in order.
/// </summary>
public sealed record Command(string Name, string Summary, IReadOnlyList<Flag> Flags, string? PassesTo, IReadOnlyList<Step> Steps)
{
    /// <summary>The command as System.CommandLine reads it (the help option comes from the tool's, <see cref="Cli"/>).</summary>
    public Syntax.Command Syntax()
    {
        var syntax = new Syntax.Command(Name, PassesTo is null ? Summary : $"{Summary}; other options go to {PassesTo}")
        {
            TreatUnmatchedTokensAsErrors = PassesTo is null,
        };
        foreach (var flag in Flags) syntax.Options.Add(new Syntax.Option<bool>(flag.Name) { Description = flag.Description });
        return syntax;
    }
}

/// <summary>How a command was called: the flags given and the arguments it passes on, in their order.</summary>
public sealed record Invocation(IReadOnlyCollection<string> Flags, IReadOnlyList<string> PassThrough)
{
    /// <summary>Whether <c>--quick</c> was given.</summary>
    public bool Quick => Has(Flag.Quick);

    /// <summary>Whether <paramref name="flag"/> was given.</summary>
    public bool Has(Flag flag) => Flags.Contains(flag.Name);

    /// <summary>Reads a command's arguments: its flags; everything else is passed on where the command passes options on.</summary>
    /// <exception cref="ArgumentException">An argument the command neither takes nor passes on; the message names it.</exception>
    public static Invocation Parse(Command command, IReadOnlyList<string> args)
    {
        var result = ToolCommand.Parse(command.Syntax(), args);
        return result.Errors.Count == 0 ? Of(result) : throw new ArgumentException(string.Join(' ', result.Errors.Select(e => e.Message)));
    }

    /// <summary>The invocation a parsed command line holds.</summary>
    public static Invocation Of(Syntax.ParseResult parsed) => new(
        [.. parsed.CommandResult.Children.OfType<OptionResult>().Where(o => o.GetValueOrDefault<bool>()).Select(o => o.Option.Name)],
        parsed.UnmatchedTokens);
}
