using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace CommandLines;

/// <summary>
/// How every tool reads its command line, with System.CommandLine: <c>--help</c> (or <c>-h</c>) prints what the tool does
/// and its options and exits 0; a command line it cannot read gets, on standard error, one line per problem (naming the
/// option or argument and what is wrong with it) and then the help, and exit code 2.
/// </summary>
public static class ToolCommand
{
    /// <summary>Every tool's exit code for a command line it cannot read.</summary>
    public const int BadArguments = 2;

    /// <summary>A tool's command: its name (as the help and the errors show it), what it does, and its options and arguments.</summary>
    public static Command Create(string name, string description, params Symbol[] symbols)
    {
        // Help wrapped at 120 characters, also when written to a file or pipe (System.CommandLine would not wrap it there).
        var command = new Command(name, description) { new HelpOption { Action = new HelpAction { MaxWidth = 120 } } };
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option: command.Options.Add(option); break;
                case Argument argument: command.Arguments.Add(argument); break;
                case Command subcommand: command.Subcommands.Add(subcommand); break;
            }
        }
        return command;
    }

    /// <summary>Parses <paramref name="args"/>; prints the help or the problems as above, or else returns what <paramref name="run"/> returns.</summary>
    public static int Run(Command command, IReadOnlyList<string> args, Func<ParseResult, int> run, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var result = Parse(command, args);
        if (result.Errors.Count > 0)
        {
            foreach (var problem in result.Errors) error.WriteLine($"{command.Name}: {problem.Message}");
            error.WriteLine();
            WriteHelp(result.CommandResult, error);
            return BadArguments;
        }
        if (result.Action is HelpAction)
        {
            WriteHelp(result.CommandResult, output);
            return 0;
        }
        return run(result);
    }

    /// <summary>Parses <paramref name="args"/> without response files: an argument that starts with @ is a file name.</summary>
    public static ParseResult Parse(Command command, IReadOnlyList<string> args) =>
        command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>
    /// The files a tool works on, any number of them, after or among the options. An argument that starts with - is an
    /// option the tool does not know, not a file (System.CommandLine would take it as one).
    /// </summary>
    public static Argument<string[]> Files(string name, string description)
    {
        var files = new Argument<string[]>(name) { Description = description, Arity = ArgumentArity.ZeroOrMore };
        files.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-')))
                result.AddError($"unknown option {token.Value}.");
        });
        return files;
    }

    /// <summary>An option whose value is one of a few words; a word outside them is named with the choices.</summary>
    public static Option<string> Choice(string name, string description, string[] words, string defaultWord)
    {
        var option = new Option<string>(name)
        {
            Description = description, HelpName = string.Join('|', words), DefaultValueFactory = _ => defaultWord,
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !words.Contains(result.Tokens[0].Value))
                result.AddError($"{name} must be {Alternatives(words)}, not '{result.Tokens[0].Value}'.");
        });
        return option;
    }

    static string Alternatives(string[] words) => words.Length > 1 ? string.Join(", ", words[..^1]) + " or " + words[^1] : words[0];

    static void WriteHelp(CommandResult command, TextWriter writer)
    {
        var path = new List<string>();
        for (var at = command; at.Parent is CommandResult parent; at = parent) path.Insert(0, at.Command.Name);
        var root = command;
        while (root.Parent is CommandResult parent) root = parent;
        Parse(root.Command, [.. path, "--help"]).Invoke(new InvocationConfiguration { Output = writer, Error = writer });
    }
}
